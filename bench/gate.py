"""Daily gate benchmark: check and reservation latency with 8 concurrent processes of one user.

Every process runs a Gate on the same ledger file and answers as fast as its wiki takes the
answers: the wiki answers after `--wiki-ms` (default 50 ms, a fast wiki; 0 saturates the CPUs,
so the figures are then queueing behind the other processes, not the gate). The ledger grows a
history of many days, as it does in use: each process moves its clock on a day every 3 answers,
so a day holds about 24 answers of the user, as under the limit of 25. Timed per answer:
  check      `next_suggestion()`: the gate's check before a task is shown;
  reserve    from `answer()` to the moment the submitter is called: the check again and the
             reservation (`BEGIN IMMEDIATE`, count, insert, commit) before anything is sent;
  settle     from the submitter's return to `answer()`'s: the commit and the verdict after.
Baseline, same run and same file settings: a bare `BEGIN IMMEDIATE; INSERT; COMMIT` in 8
processes, the gate in one process, and the gate in 8 processes on a RAM file system (no fsync
wait: what the gate itself costs). Goal: check + reserve p99 <= 5 ms.

Run from the repository root:
`.venv/bin/python -m bench.gate [--processes 8] [--answers 300] [--wiki-ms 50,0]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import policies
from bot.ledger import NO_WIKI_COUNT, Account, Gate, Ledger, Stop, WikiCount

TASK_TYPE = "image-recommendation"
GOAL_MS = 5.0
MEMORY = "/dev/shm"  # a RAM file system: the gate's own cost, without waiting for the disk
ANSWERS_PER_DAY = 3  # per process: 8 processes make about 24 a day, as under the limit of 25
ACCOUNT = Account("https://bench.test/w", 1, "Bench", "ZoneInfo|60|Europe/Berlin", "UTC")


@dataclass(frozen=True)
class Task:
    task_type: str
    title: str


@dataclass(frozen=True)
class Reply:
    outcome: str = "yes"


@dataclass(frozen=True)
class Result:
    daily_limit_reached: bool = False


class Tasks:
    """An endless task list whose wiki reports no count (the ledger alone gates)."""

    def __init__(self) -> None:
        self.served = 0

    def next_task(self, task_types: Sequence[str]) -> Task:
        self.served += 1
        return Task(task_types[0], f"Article {self.served}")

    def wiki_count(self, task_type: str, *, fresh: bool = False) -> WikiCount:
        return NO_WIKI_COUNT


@dataclass
class Clock:
    start: datetime
    now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or self.start


class StopwatchWiki:
    """Takes each answer after `delay` seconds; notes when it was handed over and returned."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.called_at = self.returned_at = 0.0

    def submit(self, task: Task, answer: Reply) -> Result:
        self.called_at = time.perf_counter()
        time.sleep(self.delay)
        self.returned_at = time.perf_counter()
        return Result()


def gate_worker(state: str, barrier: Any, answers: int, delay: float, results: Any) -> None:
    """Answer `answers` tasks through a Gate; report the three latencies in seconds."""
    policy = replace(policies.load(), max_per_day={TASK_TYPE: 10**9})
    timings: dict[str, list[float]] = {"check": [], "reserve": [], "settle": []}
    clock = Clock(datetime(2026, 7, 1, 10, tzinfo=timezone.utc))
    with Ledger.open(state) as ledger:
        wiki = StopwatchWiki(delay)
        gate = Gate(ledger, policy, ACCOUNT, Tasks(), wiki, task_types=[TASK_TYPE], clock=clock)
        barrier.wait()
        for number in range(answers):
            clock.now = clock.start + timedelta(days=number // ANSWERS_PER_DAY)
            started = time.perf_counter()
            task = gate.next_suggestion()
            shown = time.perf_counter()
            assert not isinstance(task, Stop)
            assert gate.answer(task, Reply()).sent
            done = time.perf_counter()
            timings["check"].append(shown - started)
            timings["reserve"].append(wiki.called_at - shown)
            timings["settle"].append(done - wiki.returned_at)
    results.put(timings)


def bare_worker(state: str, barrier: Any, answers: int, delay: float, results: Any) -> None:
    """The same number of bare SQLite write transactions on a file with the ledger's settings."""
    db = sqlite3.connect(Path(state) / "bare.sqlite3", timeout=30.0, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, title TEXT)")
    barrier.wait()
    timings: list[float] = []
    for number in range(answers):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO answers (title) VALUES (?)", (f"Article {number}",))
        db.execute("COMMIT")
        timings.append(time.perf_counter() - started)
        time.sleep(delay)
    db.close()
    results.put({"bare": timings})


def run(
    worker: Any, processes: int, answers: int, delay: float, root: str | None = None
) -> dict[str, list[float]]:
    """Start `processes` spawned workers on one fresh state folder (under `root`, default the
    system's temporary folder); merge their timings."""
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(processes), spawn.Queue()
    merged: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=root) as state:
        Ledger.open(state).close()
        workers = [
            spawn.Process(target=worker, args=(state, barrier, answers, delay, results))
            for _ in range(processes)
        ]
        for process in workers:
            process.start()
        for _ in workers:
            for name, values in results.get(timeout=600).items():
                merged.setdefault(name, []).extend(values)
        for process in workers:
            process.join()
            if process.exitcode != 0:
                raise SystemExit(f"a benchmark process failed (exit {process.exitcode})")
    return merged


def percentile_ms(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def figures(values: list[float]) -> str:
    return (
        f"{percentile_ms(values, 0.5):8.2f} {percentile_ms(values, 0.99):8.2f} "
        f"{max(values) * 1000:8.2f}"
    )


def report(many: int, answers: int, delay: float) -> None:
    """Run the gate and its baselines with the wiki answering after `delay`; print figures."""
    load = os.getloadavg()[0]
    gate_many = run(gate_worker, many, answers, delay)
    bare_many = run(bare_worker, many, answers, delay)
    gate_one = run(gate_worker, 1, answers, delay)
    in_memory = run(gate_worker, many, answers, delay, MEMORY) if Path(MEMORY).is_dir() else None
    print(
        f"\n{many} processes x {answers} answers on one ledger (WAL, fsync per reservation), "
        f"the wiki answering in {delay * 1000:.0f} ms; {os.cpu_count()} CPUs, load average "
        f"{load:.1f} at the start"
    )
    print(f"{'latency, ms':52} {'p50':>8} {'p99':>8} {'max':>8}")
    rows = [
        (f"check before showing, {many} processes", gate_many["check"]),
        (f"check + reserve before sending, {many} processes", gate_many["reserve"]),
        (f"settle (commit + verdict), {many} processes", gate_many["settle"]),
        (f"baseline: bare BEGIN IMMEDIATE insert, {many} proc.", bare_many["bare"]),
        ("baseline: check + reserve before sending, 1 process", gate_one["reserve"]),
    ]
    if in_memory:
        label = f"check + reserve in {MEMORY} (no disk wait), {many} proc."
        rows.append((label, in_memory["reserve"]))
    for label, values in rows:
        print(f"{label:52} {figures(values)}")
    on_disk = percentile_ms(gate_many["reserve"], 0.99)
    line = f"goal: check + reserve p99 <= {GOAL_MS:.0f} ms: {on_disk:.2f} ms, "
    line += "met" if on_disk <= GOAL_MS else "NOT met"
    line += f" (a bare SQLite insert here: p99 {percentile_ms(bare_many['bare'], 0.99):.2f} ms"
    if in_memory:
        line += f"; without the disk wait: {percentile_ms(in_memory['reserve'], 0.99):.2f} ms"
    print(line + ")")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--answers", type=int, default=300, help="answers per process")
    parser.add_argument(
        "--wiki-ms", default="50,0", help="the wiki's answer time(s) in ms, comma-separated"
    )
    options = parser.parse_args(argv)
    for delay_ms in options.wiki_ms.split(","):
        report(options.processes, options.answers, float(delay_ms) / 1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
