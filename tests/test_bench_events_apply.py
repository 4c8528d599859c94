"""bench/events_apply.py in its quick mode, so the benchmark cannot rot: it applies 20 events
to the sandbox at two latencies, twice, and prints its table. Request counts are exact, so they
are checked; timings are printed, never asserted."""

from __future__ import annotations

from bench import events_apply

PHASES = [("0", "create"), ("0", "unchanged"), ("50", "create"), ("50", "unchanged")]


def table(out: str) -> list[list[str]]:
    """The rows of the bench's table: latency, 'ms', phase, exit, requests, per event, …"""
    rows = [line.split() for line in out.splitlines() if line.startswith(" ")]
    return [row for row in rows if len(row) == 12 and row[1] == "ms"]


def test_quick_bench_sends_one_request_per_create_and_per_unchanged(capsys):
    assert events_apply.main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = table(out)
    assert [(row[0], row[2]) for row in rows] == PHASES
    assert all(row[3] == "0" for row in rows), out  # every run exited 0
    assert all(row[5] == "1.00" for row in rows), out  # requests per event
    assert "1 request per create: met; 1 request per unchanged: met" in out
    assert "peer baseline (bound; bench.peer measures it)" in out
