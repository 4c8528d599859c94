"""`gatebot events apply` of a batch of new events, then again unchanged, against the sandbox.

For each latency (default 0 ms and 50 ms) a fresh sandbox is served in this process with the
batch's event pages already created by the Organizer account (so the batch measures
registrations, not page creation), and the real CLI runs in a child process, as a coordinator
runs it: `gatebot events apply FILE --wiki <sandbox>` once (every row a create), then once more
with the same state folder (every row unchanged). Measured per run:
- requests, counted by the sandbox per route: the per-event route (POST create, GET for an
  unchanged row) divided by the number of events, and the constant (everything else: login,
  tokens, listings, page existence in batches of 50), listed by kind;
- events/s over the child's whole life (start-up included), and at a latency L the serial
  efficiency events/s x L (1.0 = one round trip per event and nothing else);
- the client's CPU per event: the child's user + system time (RUSAGE_CHILDREN), whole process,
  and without start-up (the CPU of `gatebot events apply --help`, measured once, subtracted),
  beside the CPU per request of a bare `requests` loop on the same sandbox (the floor; on a
  virtual machine it grows with the latency, as cores idle between answers).
Here the peer baseline is a bound from pywikibot's `config.put_throttle` (its default, read from
the installed pywikibot): N writes take at least N x put_throttle, its Throttle counting from the
Site's creation (`bench.peer` measures it, and `bench.results` reports that measurement).
Figures are printed, never asserted (tests/test_bench_events_apply.py runs `--quick`).

    .venv/bin/python -m bench.events_apply [--events 500] [--latency 0,50] [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve

ROOT = Path(__file__).resolve().parent.parent
LOGIN = ("Organizer@gatebot", "sandbox")
CE = "/campaignevents/v0"
PER_EVENT = {
    "create": f"POST {CE}/event_registration",
    "unchanged": f"GET {CE}/event_registration/{{id}}",
}
HEADER = ["event_page", "timezone", "start", "end", "types", "wikis", "participation",
          "meeting_url", "contribution_statistics"]  # fmt: skip
GOAL_CPU_MS, GOAL_EFFICIENCY = 2.0, 0.9


def page_title(number: int) -> str:
    return f"Event:Bench 2099/Event {number:05d}"


def write_events(path: Path, events: int) -> None:
    """A campaign of `events` online editing events, one a day from 1 March 2099."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for number in range(events):
            day = f"2099-{3 + number // 28 % 9:02d}-{1 + number % 28:02d}"
            writer.writerow([
                page_title(number), "Europe/Lisbon", f"{day}T10:00", f"{day}T18:00",
                "editing-event", "*", "online", f"https://meet.example.org/bench/{number}", "auto",
            ])  # fmt: skip


@dataclass(frozen=True)
class Run:
    """One child run of the CLI: what the sandbox counted and what the child cost."""

    latency_ms: int
    phase: str
    events: int
    exit_code: int
    wall_s: float
    cpu_s: float
    server_cpu_s: float
    requests: Counter[str]
    stderr: str

    @property
    def per_event(self) -> float:
        return self.requests[PER_EVENT[self.phase]] / self.events

    @property
    def constant(self) -> Counter[str]:
        return Counter({k: n for k, n in self.requests.items() if k != PER_EVENT[self.phase]})

    @property
    def events_per_s(self) -> float:
        return self.events / self.wall_s

    @property
    def efficiency(self) -> float | None:
        """events/s x latency: the share of the one-round-trip-per-event limit reached."""
        return self.events_per_s * self.latency_ms / 1000 if self.latency_ms else None

    def cpu_ms_per_event(self, startup_s: float = 0.0) -> float:
        return (self.cpu_s - startup_s) * 1000 / self.events

    def breakdown(self) -> str:
        """Where an event's wall time went: round trips, client CPU, sandbox CPU, the rest."""
        per = 1000 / self.events
        trips = self.requests.total() * self.latency_ms * per / 1000
        client, server = self.cpu_s * per, self.server_cpu_s * per
        rest = self.wall_s * per - trips - client - server
        return (f"{self.wall_s * per:.1f} ms = {trips:.1f} round trips + {client:.1f} client "
                f"CPU + {server:.1f} sandbox CPU + {rest:.1f} waiting (start-up, disk, a busy "
                "CPU)")  # fmt: skip


def cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child_cpu_s() -> float:
    return cpu_s(resource.RUSAGE_CHILDREN)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def compile_sources() -> None:
    """Write the bytecode of gatebot's own modules, as installing it does. Without it a child
    started where PYTHONDONTWRITEBYTECODE is set (as on the development VM) compiles some 250
    modules from source every time, about 0.3 s of CPU that an installed gatebot never spends."""
    for package in ("bot", "policies"):
        compileall.compile_dir(ROOT / package, quiet=1)


def child_env(state: Path) -> dict[str, str]:
    """The environment of a coordinator's shell: a bot password and a private state folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEBOT_", "PYWIKIBOT"))}
    env.update(
        GATEBOT_USER=LOGIN[0],
        GATEBOT_PASSWORD=LOGIN[1],
        GATEBOT_STATE_DIR=str(state),
        HOME=str(state),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def run_cli(server: SandboxServer, argv: list[str], env: dict[str, str], **fields) -> Run:
    """Run the CLI to its end; count the sandbox's requests and the child's CPU meanwhile."""
    before, began = server.requests.snapshot(), time.perf_counter()
    cpu, server_cpu = child_cpu_s(), cpu_s(resource.RUSAGE_SELF)
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - began
    return Run(
        exit_code=done.returncode,
        wall_s=wall,
        cpu_s=child_cpu_s() - cpu,
        server_cpu_s=cpu_s(resource.RUSAGE_SELF) - server_cpu,
        requests=server.requests.snapshot() - before,
        stderr=done.stderr,
        **fields,
    )


def startup_cpu_s(env: dict[str, str]) -> float:
    """The CPU a child spends before its first row: interpreter, imports, argument parsing."""
    cpu = child_cpu_s()
    subprocess.run(cli("events", "apply", "--help"), env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, check=True)  # fmt: skip
    return child_cpu_s() - cpu


FLOOR = """
import sys, time
import requests
session, url, count = requests.Session(), sys.argv[1], int(sys.argv[2])
began, wall = time.process_time(), time.perf_counter()
for _ in range(count):
    session.get(url, params={"action": "query", "meta": "siteinfo", "format": "json"}).json()
print((time.process_time() - began) / count, (time.perf_counter() - wall) / count)
"""


@dataclass(frozen=True)
class Floor:
    """A bare `requests` loop on the same sandbox, per request: its CPU (the library's floor,
    and how this machine's CPU cost grows when every answer takes a while) and its wall time
    (the best a serial client can do there)."""

    cpu_s: float
    wall_s: float

    def efficiency(self, latency_ms: int) -> float:
        return latency_ms / 1000 / self.wall_s


def request_floor(server: SandboxServer, count: int) -> Floor:
    done = subprocess.run([sys.executable, "-c", FLOOR, server.api_url, str(count)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    cpu, wall = done.stdout.split()
    return Floor(float(cpu), float(wall))


def bench_latency(
    latency_ms: int, events: int, folder: Path, backend: str
) -> tuple[list[Run], Floor]:
    """Both phases against one fresh sandbox delaying every answer by `latency_ms`, and the
    bare-`requests` floor on it."""
    server = serve(load_config().with_latency(latency_ms))
    try:
        for number in range(events):
            create_page(server.wiki, page_title(number), "Organizer", "A benchmark event.")
        state = folder / f"state-{latency_ms}"
        state.mkdir()
        argv = cli("events", "apply", str(folder / "events.csv"), "--wiki", server.api_url,
                   "--backend", backend, "--json")  # fmt: skip
        env = child_env(state)
        runs = [
            run_cli(server, argv, env, latency_ms=latency_ms, phase=phase, events=events)
            for phase in ("create", "unchanged")
        ]
        return runs, request_floor(server, min(events, 100))
    finally:
        server.stop()


def pywikibot_put_throttle() -> float:
    """pywikibot's default seconds between two writes, from the installed pywikibot."""
    env = {**os.environ, "PYWIKIBOT_NO_USER_CONFIG": "1"}
    code = "import pywikibot.config as c; print(c.put_throttle)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return float(done.stdout.split()[-1])


def report(
    runs: list[Run], floors: dict[int, Floor], startup_s: float, throttle: float, events: int
) -> bool:
    """Print the table, the constants and the baseline; True when every run exited 0."""
    print(f"{'latency':>7}  {'phase':<9}  {'exit':>4}  {'requests':>8}  {'per event':>9}  "
          f"{'constant':>8}  {'wall s':>7}  {'events/s':>8}  {'efficiency':>10}  "
          f"{'CPU ms/event':>12}  {'w/o start-up':>12}")  # fmt: skip
    for run in runs:
        efficiency = f"{run.efficiency:.2f}" if run.efficiency is not None else "-"
        cpu, marginal = run.cpu_ms_per_event(), run.cpu_ms_per_event(startup_s)
        print(f"{run.latency_ms:>5} ms  {run.phase:<9}  {run.exit_code:>4}  "
              f"{run.requests.total():>8}  {run.per_event:>9.2f}  {run.constant.total():>8}  "
              f"{run.wall_s:>7.2f}  {run.events_per_s:>8.1f}  {efficiency:>10}  "
              f"{cpu:>12.2f}  {marginal:>12.2f}")  # fmt: skip
    print(f"\nstart-up CPU of one CLI process: {startup_s * 1000:.0f} ms")
    for latency, floor in floors.items():
        serial = f", serial efficiency {floor.efficiency(latency):.2f}" if latency else ""
        print(f"bare requests.Session GET at {latency} ms: {floor.cpu_s * 1000:.2f} ms CPU per "
              f"request{serial}")  # fmt: skip
    for run in runs:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(run.constant.items()))
        print(f"constant at {run.latency_ms} ms, {run.phase}: {kinds or 'none'}")
    print("\nper event (the sandbox runs in this process, so its CPU is this process's):")
    for run in runs:
        print(f"  {run.latency_ms} ms, {run.phase}: {run.breakdown()}")
    creates = max((r for r in runs if r.phase == "create"), key=lambda r: r.latency_ms)
    gaps = events * throttle
    print(f"\npeer baseline (bound; bench.peer measures it): pywikibot's put_throttle = "
          f"{throttle:g} s before each write, so {events} creates take >= "
          f"{events} x {throttle:g} s "
          f"= {gaps:,.0f} s ({events / gaps:.2f} events/s) before any latency; measured here: "
          f"{creates.wall_s:.1f} s ({creates.events_per_s:.1f} events/s) at "
          f"{creates.latency_ms} ms.")  # fmt: skip
    for run in runs:
        if run.exit_code:
            print(f"\nFAILED: {run.phase} at {run.latency_ms} ms exited {run.exit_code}:\n"
                  f"{run.stderr.strip()[-2000:]}")  # fmt: skip
    goals = [
        ("1 request per create", all(r.per_event == 1 for r in runs if r.phase == "create")),
        ("1 request per unchanged", all(r.per_event == 1 for r in runs if r.phase == "unchanged")),
        (f"serial efficiency >= {GOAL_EFFICIENCY}",
         all((r.efficiency or 1) >= GOAL_EFFICIENCY for r in runs)),
        (f"client CPU <= {GOAL_CPU_MS:g} ms/event (whole process)",
         all(r.cpu_ms_per_event() <= GOAL_CPU_MS for r in runs)),
    ]  # fmt: skip
    print("\n" + "; ".join(f"{name}: {'met' if met else 'NOT met'}" for name, met in goals))
    return all(run.exit_code == 0 for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500, help="events in the batch")
    parser.add_argument("--latency", default="0,50", help="comma-separated latencies in ms")
    parser.add_argument("--backend", default="mwclient", choices=("mwclient", "pywikibot"))
    parser.add_argument("--quick", action="store_true", help="a CI-sized smoke run: 20 events")
    args = parser.parse_args(argv)
    events = 20 if args.quick else args.events
    if events < 1:
        parser.error("--events must be at least 1")
    latencies = [int(value) for value in args.latency.split(",")]
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="gatebot-bench-apply-") as tmp:
        folder = Path(tmp)
        write_events(folder / "events.csv", events)
        print(f"gatebot events apply, {events} events, backend {args.backend}, "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")  # fmt: skip
        runs, floors = [], {}
        for ms in latencies:
            measured, floors[ms] = bench_latency(ms, events, folder, args.backend)
            runs += measured
        startup = startup_cpu_s(child_env(folder))
    return 0 if report(runs, floors, startup, pywikibot_put_throttle(), events) else 1


if __name__ == "__main__":
    sys.exit(main())
