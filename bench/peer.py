"""The peer baseline, measured: a plain pywikibot script with pywikibot's default throttle edits N
event pages on the sandbox, one `Page.save()` each, as a pywikibot user would do per event.

A fresh sandbox is served in this process (latency 50 ms by default) with the pages already
created; the script runs in a child process (pywikibot reads `sys.argv` and its base folder at
import) whose base folder is a new temporary one holding only what reaching the sandbox needs:
the family file for its api URL, the bot password Organizer@gatebot in a password file and a
user agent. Nothing about throttling is set, so `put_throttle` and the Throttle are pywikibot's
own. Measured: the child's wall time (start-up included, as gatebot's events/s), the time to
its first write and between writes, the requests the sandbox counted, and what pywikibot's
Throttle reported (its write delay and the number of processes it found on that wiki).

    .venv/bin/python -m bench.peer [--writes 4] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.events_apply import LOGIN, page_title
from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import serve

FAMILY, MARK = "gbpeer", "PEER "
SCRIPT = f"""
import json, sys, time
import pywikibot
site = pywikibot.Site()
site_at = time.time()
site.login()
saved = []
for title in sys.argv[1:]:
    page = pywikibot.Page(site, title)
    page.text += "\\nEdited once by a plain pywikibot script."
    page.save(summary="peer baseline")
    saved.append(time.time())
print({MARK!r} + json.dumps({{
    "site_at": site_at, "saved": saved, "version": pywikibot.__version__,
    "put_throttle": pywikibot.config.put_throttle,
    "write_delay": site.throttle.get_delay(write=True),
    "processes": site.throttle.process_multiplicity,
}}))
"""


@dataclass(frozen=True)
class PeerRun:
    """One run of the pywikibot script: times from the child's start, and the sandbox's count."""

    writes: int
    latency_ms: int
    wall_s: float
    site_s: float
    saved_s: list[float]
    requests: Counter[str]
    version: str
    put_throttle: float
    write_delay: float
    processes: int

    @property
    def writes_per_s(self) -> float:
        return self.writes / self.wall_s

    @property
    def per_write(self) -> float:
        return self.requests.total() / self.writes

    @property
    def edits_per_write(self) -> float:
        return self.requests["api:edit"] / self.writes

    @property
    def between_s(self) -> float | None:
        """The median time between two saves; None with one write."""
        gaps = [b - a for a, b in itertools.pairwise(self.saved_s)]
        return statistics.median(gaps) if gaps else None


def user_config(api_url: str) -> str:
    """pywikibot's user-config.py for the sandbox: family, login and user agent, no throttle."""
    name = LOGIN[0].partition("@")[0]
    return (f"family_files[{FAMILY!r}] = {api_url!r}\nfamily = {FAMILY!r}\nmylang = {FAMILY!r}\n"
            f"usernames[{FAMILY!r}]['*'] = {name!r}\npassword_file = 'passwords'\n"
            "user_agent_description = 'gatebot-bench-peer'\n")  # fmt: skip


def password_line() -> str:
    name, _, bot = LOGIN[0].partition("@")
    return f"({name!r}, BotPassword({bot!r}, {LOGIN[1]!r}))\n"


def measure(writes: int, latency_ms: int = 50) -> PeerRun:
    """Serve a sandbox with `writes` event pages; time the pywikibot script editing each once."""
    server = serve(load_config().with_latency(latency_ms))
    try:
        titles = [page_title(number) for number in range(writes)]
        for title in titles:
            create_page(server.wiki, title, "Organizer", "A benchmark event.")
        with tempfile.TemporaryDirectory(prefix="gatebot-peer-") as tmp:
            base = Path(tmp)
            for name, text in (("user-config.py", user_config(server.api_url)),
                               ("passwords", password_line())):  # fmt: skip
                (base / name).write_text(text, encoding="utf-8")
                (base / name).chmod(0o600)
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("PYWIKIBOT", "GATEBOT_"))
            }
            env.update(PYWIKIBOT_DIR=str(base), HOME=str(base))
            before, began = server.requests.snapshot(), time.time()
            done = subprocess.run([sys.executable, "-c", SCRIPT, *titles], env=env, cwd=base,
                                  capture_output=True, text=True, check=False)  # fmt: skip
            wall = time.time() - began
            requests = server.requests.snapshot() - before
    finally:
        server.stop()
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not lines:
        raise SystemExit(f"the pywikibot script exited {done.returncode}:\n{done.stderr[-2000:]}")
    seen = json.loads(lines[-1][len(MARK) :])
    return PeerRun(
        writes=writes,
        latency_ms=latency_ms,
        wall_s=wall,
        site_s=seen["site_at"] - began,
        saved_s=[stamp - began for stamp in seen["saved"]],
        requests=requests,
        version=seen["version"],
        put_throttle=float(seen["put_throttle"]),
        write_delay=float(seen["write_delay"]),
        processes=int(seen["processes"]),
    )


def describe(run: PeerRun) -> list[str]:
    """The figures as lines of text."""
    between = f"{run.between_s:.1f} s (median)" if run.between_s is not None else "- (one write)"
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(run.requests.items()))
    return [
        f"pywikibot {run.version}, default throttle: put_throttle {run.put_throttle:g} s; its "
        f"Throttle's write delay {run.write_delay:g} s, found {run.processes} pywikibot "
        f"process(es) on this wiki; {run.writes} Page.save() at {run.latency_ms} ms",
        f"wall {run.wall_s:.1f} s (start-up included): {run.writes_per_s:.2f} writes/s",
        f"first write answered {run.saved_s[0]:.1f} s after the start ({run.site_s:.1f} s to "
        f"the Site object, whose Throttle counts the delay from its creation); between "
        f"writes {between}",
        f"requests: {run.requests.total()} ({run.per_write:.2f} per write, "
        f"{run.edits_per_write:.2f} edits per write): {kinds}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=4, help="pages saved, one each")
    parser.add_argument("--latency-ms", type=int, default=50, help="the sandbox's delay")
    args = parser.parse_args(argv)
    if args.writes < 1:
        parser.error("--writes must be at least 1")
    print("\n".join(describe(measure(args.writes, args.latency_ms))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
