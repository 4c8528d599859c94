"""One benchmark table: runs the existing benchmarks side by side and writes bench/RESULTS.md.

Each figure is printed next to its goal from the earlier issues. The benchmarks are imported,
not rewritten: `bench.events_apply` (requests per event, events/s, serial efficiency, client
CPU; an update phase is added here by changing every row's meeting URL between runs),
`bench.peer` (the peer baseline: a plain pywikibot script, pywikibot's default throttle, saving
event pages at 50 ms), `bench.events_check` (the file generator and its check child, beside a
bare CSV-read-and-JSON-write pass over the same file in the same run), `bench.gate`
(reservation p99, 8 processes) and `bench.session` (answer to next suggestion, with and without
the prefetch).

    .venv/bin/python -m bench.results [--quick] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench import events_apply, events_check, gate, peer, session
from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import serve

ROOT = Path(__file__).resolve().parent.parent
CE = events_apply.CE
UPDATE_ROUTES = (f"GET {CE}/event_registration/{{id}}", f"PUT {CE}/event_registration/{{id}}")
GOAL_CHECK_ROWS_S, GOAL_CHECK_MB = 20_000, 100

FLOOR = """
import csv, json, os, resource, sys, time
start = time.perf_counter()
rows = 0
with open(sys.argv[1], encoding="utf-8", newline="") as source, open(os.devnull, "w") as sink:
    for row in csv.DictReader(source):
        sink.write(json.dumps(row))
        rows += 1
print(rows, time.perf_counter() - start)
"""


@dataclass(frozen=True)
class Sizes:
    """How big each measurement is: the full run, or the smoke test's."""

    events: int
    check_rows: int
    gate_answers: int
    session_answers: int
    session_think_s: float
    startup_runs: int
    peer_writes: int


FULL = Sizes(events=500, check_rows=1_000_000, gate_answers=100, session_answers=8,
             session_think_s=0.5, startup_runs=5, peer_writes=4)  # fmt: skip
QUICK = Sizes(events=10, check_rows=2_000, gate_answers=5, session_answers=3,
              session_think_s=0.05, startup_runs=1, peer_writes=1)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One line of the table: what, measured, goal, and whether the goal was met."""

    name: str
    value: str
    goal: str
    met: bool | None = None

    def row(self) -> str:
        verdict = {True: "met", False: "NOT met", None: "-"}[self.met]
        return f"| {self.name} | {self.value} | {self.goal} | {verdict} |"


def apply_figures(sizes: Sizes, folder: Path) -> list[Figure]:
    """create, update and unchanged at 0 and 50 ms; pywikibot at 50 ms as the peer baseline."""
    figures: list[Figure] = []
    events = sizes.events
    source = folder / "events.csv"
    startup = events_apply.startup_cpu_s(events_apply.child_env(folder))
    for latency in (0, 50):
        events_apply.write_events(source, events)
        server = serve(load_config().with_latency(latency))
        try:
            for number in range(events):
                create_page(server.wiki, events_apply.page_title(number), "Organizer", "Bench.")
            state = folder / f"state-{latency}"
            state.mkdir()
            env = events_apply.child_env(state)
            argv = events_apply.cli("events", "apply", str(source), "--wiki", server.api_url,
                                    "--json")  # fmt: skip
            runs = {}
            for phase in ("create", "unchanged", "update"):
                if phase == "update":
                    text = source.read_text(encoding="utf-8").replace("/bench/", "/bench2/")
                    source.write_text(text, encoding="utf-8")
                run = events_apply.run_cli(server, argv, env, latency_ms=latency,
                                           phase="create" if phase == "update" else phase,
                                           events=events)  # fmt: skip
                if run.exit_code:
                    raise SystemExit(f"events apply ({phase}) exited {run.exit_code}:\n"
                                     f"{run.stderr[-2000:]}")  # fmt: skip
                runs[phase] = run
            floor = events_apply.request_floor(server, min(events, 100))
        finally:
            server.stop()
        for phase, run in runs.items():
            if phase == "update":
                per = sum(run.requests[route] for route in UPDATE_ROUTES) / events
                goal, met = "2 (GET + PUT)", per <= 2
            else:
                per, goal, met = run.per_event, "1", run.per_event <= 1
            where = f"{phase}, {latency} ms"
            figures.append(Figure(f"requests per event, {where}", f"{per:.2f}", goal, met))
            figures.append(Figure(f"events/s, {where}", f"{run.events_per_s:.1f}", "-"))
            if latency:
                efficiency = run.events_per_s * latency / 1000 * (2 if phase == "update" else 1)
                figures.append(Figure(
                    f"serial efficiency, {where}",
                    f"{efficiency:.2f} ({efficiency / floor.efficiency(latency):.2f} x the floor)",
                    f">= {events_apply.GOAL_EFFICIENCY}",
                    efficiency >= events_apply.GOAL_EFFICIENCY,
                ))  # fmt: skip
            cpu, marginal = run.cpu_ms_per_event(), run.cpu_ms_per_event(startup)
            figures.append(Figure(f"client CPU per event, {where}",
                                  f"{cpu:.2f} ms ({marginal:.2f} ms without start-up)",
                                  f"<= {events_apply.GOAL_CPU_MS:g} ms",
                                  cpu <= events_apply.GOAL_CPU_MS))  # fmt: skip
        figures.append(Figure(
            f"floor: bare requests.Session GET loop, {latency} ms, per request",
            f"{floor.cpu_s * 1000:.2f} ms CPU"
            + (f", serial efficiency {floor.efficiency(latency):.2f}" if latency else ""),
            "-",
        ))  # fmt: skip
        if latency:
            figures += peer_figures(peer.measure(sizes.peer_writes, latency), runs["create"])
    return figures


def peer_figures(run: peer.PeerRun, create: events_apply.Run) -> list[Figure]:
    """pywikibot's measured writes/s and requests per write beside gatebot's creates."""
    where = f"{run.writes} Page.save() at {run.latency_ms} ms, measured"
    then = f", then one per {run.between_s:.1f} s" if run.between_s is not None else ""
    return [
        Figure(f"peer baseline: pywikibot default throttle, writes/s ({where})",
               f"{run.writes_per_s:.2f} ({run.wall_s:.1f} s; first write after "
               f"{run.saved_s[0]:.1f} s{then})",
               f"gatebot: {create.events_per_s:.1f} creates/s at {create.latency_ms} ms"),
        Figure(f"peer baseline: requests per write ({where})",
               f"{run.per_write:.2f} ({run.edits_per_write:.2f} edits per write; "
               f"{run.requests.total()} requests in all)",
               f"gatebot: {create.per_event:.2f} per create"),
        Figure(f"pywikibot {run.version} put_throttle (default)",
               f"{run.put_throttle:g} s between writes (Throttle: {run.write_delay:g} s x "
               f"{run.processes} pywikibot process(es) on the wiki)", "-"),
    ]  # fmt: skip


def child(code: list[str]) -> tuple[list[str], int]:
    """Run a Python child; its stdout words and peak RSS in MB."""
    output, _, peak = events_check.run_child([sys.executable, *code])
    return output.split(), peak


def check_figures(sizes: Sizes, folder: Path) -> list[Figure]:
    """`events check` rows/s and peak memory against the bare CSV-to-JSON pass on one file."""
    path = folder / "check.csv"
    events_check.generate(path, sizes.check_rows, varied=False)
    (rows, elapsed, _), peak = child(["-c", events_check.CHILD, str(path)])
    (floor_rows, floor_elapsed), floor_peak = child(["-c", FLOOR, str(path)])
    rate, floor_rate = int(rows) / float(elapsed), int(floor_rows) / float(floor_elapsed)
    path.unlink()
    n = f"{sizes.check_rows:,} rows"
    return [
        Figure(f"events check rows/s, {n}", f"{rate:,.0f} ({rate / floor_rate:.2f} x the floor "
               f"{floor_rate:,.0f})", f">= {GOAL_CHECK_ROWS_S:,}", rate >= GOAL_CHECK_ROWS_S),
        Figure(f"events check peak memory, {n}", f"{peak} MB ({peak / floor_peak:.2f} x the "
               f"floor {floor_peak} MB)", f"< {GOAL_CHECK_MB} MB", peak < GOAL_CHECK_MB),
    ]  # fmt: skip


def gate_figures(sizes: Sizes) -> list[Figure]:
    """Check + reserve p99 with 8 processes of one user, the wiki answering in 50 ms."""
    merged = gate.run(gate.gate_worker, 8, sizes.gate_answers, 0.05)
    p99 = gate.percentile_ms(merged["reserve"], 0.99)
    bare = gate.percentile_ms(gate.run(gate.bare_worker, 8, sizes.gate_answers, 0.05)["bare"],
                              0.99)  # fmt: skip
    figures = [
        Figure("gate check + reserve p99, 8 processes", f"{p99:.2f} ms",
               f"<= {gate.GOAL_MS:g} ms", p99 <= gate.GOAL_MS),
        Figure("baseline: bare SQLite BEGIN IMMEDIATE insert (fsynced) p99, 8 processes",
               f"{bare:.2f} ms", "-"),
    ]  # fmt: skip
    if Path(gate.MEMORY).is_dir():
        memory = gate.run(gate.gate_worker, 8, sizes.gate_answers, 0.05, gate.MEMORY)
        figures.append(Figure(
            f"gate check + reserve p99, 8 processes, ledger in {gate.MEMORY} (no disk wait)",
            f"{gate.percentile_ms(memory['reserve'], 0.99):.2f} ms", "-",
        ))  # fmt: skip
    return figures


def session_figures(sizes: Sizes, latency_ms: int) -> list[Figure]:
    """Answer to next suggestion shown at `latency_ms`, with and without the prefetch."""
    figures = []
    for prefetch in (True, False):
        v = session.run(prefetch, latency_ms, sizes.session_think_s, sizes.session_answers)
        after = v.shown[1:]
        waits = [s - g for g, s in zip(v.given, after, strict=True)]
        sent = [s - t for t, s in zip(v.taken, after, strict=True)]
        label = "with prefetch" if prefetch else "without prefetch"
        figures.append(Figure(f"answer -> next suggestion, {latency_ms} ms, {label} (median)",
                              f"{statistics.median(waits) * 1000:.0f} ms", "-"))  # fmt: skip
        median = statistics.median(sent) * 1000
        figures.append(Figure(
            f"wiki took the answer -> next suggestion, {latency_ms} ms, {label} (median)",
            f"{median:.0f} ms", f"<= {session.GOAL_MS:g} ms (with prefetch)",
            median <= session.GOAL_MS if prefetch else None,
        ))  # fmt: skip
    return figures


def startup_figures(sizes: Sizes) -> list[Figure]:
    """Wall time of `gatebot --help` in a fresh interpreter, the median of several."""
    env = events_apply.child_env(ROOT)
    times = []
    for _ in range(sizes.startup_runs):
        began = time.perf_counter()
        subprocess.run(events_apply.cli("--help"), env=env, stdout=subprocess.DEVNULL,
                       check=True)  # fmt: skip
        times.append((time.perf_counter() - began) * 1000)
    ms = statistics.median(times)
    return [Figure("CLI start-up (`gatebot --help`, median wall)", f"{ms:.0f} ms",
                   "none set (issue 2 noted about 500 ms)")]  # fmt: skip


def machine() -> str:
    """nproc, CPU model, Python and the date of the run."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{os.cpu_count()} CPUs ({model}), Python {sys.version.split()[0]}, "
            f"{platform.system()} {platform.release()}; run {day}, load average "
            f"{os.getloadavg()[0]:.1f} at the start")  # fmt: skip


def render(sizes: Sizes, quick: bool, sections: list[tuple[str, list[Figure]]]) -> str:
    lines = ["# gatebot benchmark results", "",
             "Regenerated by `.venv/bin/python -m bench.results` (one command; `--quick` is the "
             "smoke test CI runs). Every figure is measured in this one run on this machine; "
             "the pywikibot peer runs in it too, with its default throttle.", "",
             f"Machine: {machine()}.", "",
             f"Sizes: {sizes.events} events per apply phase, {sizes.check_rows:,} rows for "
             f"`events check`, {sizes.gate_answers} answers per gate process, "
             f"{sizes.session_answers} answers per session variant "
             f"(think {sizes.session_think_s:g} s), {sizes.peer_writes} pywikibot page save(s)."
             + (" QUICK RUN: figures are not meaningful." if quick else ""), ""]  # fmt: skip
    for title, figures in sections:
        lines += [f"## {title}", "", "| figure | measured | goal | |", "|---|---|---|---|"]
        lines += [figure.row() for figure in figures] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    latency = 50 if args.quick else 200
    events_apply.compile_sources()  # every child starts as an installed gatebot does
    with tempfile.TemporaryDirectory(prefix="gatebot-results-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("CLI start-up", lambda: startup_figures(sizes)),
            ("events apply (sandbox, real CLI in a child)", lambda: apply_figures(sizes, folder)),
            ("events check", lambda: check_figures(sizes, folder)),
            ("Daily gate", lambda: gate_figures(sizes)),
            ("Image session", lambda: session_figures(sizes, latency)),
        ]
        sections = []
        for title, step in steps:
            print(f"running: {title}", file=sys.stderr)
            sections.append((title, step()))
    args.out.write_text(render(sizes, args.quick, sections), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
