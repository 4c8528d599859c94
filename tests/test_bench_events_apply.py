"""bench/events_apply.py in its quick mode, so the benchmark cannot rot: it runs the CLI against
the sandbox at two latencies and prints its table (timings are printed, never asserted)."""

from __future__ import annotations

import contextlib
import io

import pytest

from bench import events_apply
from bot.cli import build_parser

PHASES = [("0", "create"), ("0", "unchanged"), ("50", "create"), ("50", "unchanged")]


def has_apply() -> bool:
    """Whether this checkout has `gatebot events apply` (branch i8-apply)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # argparse's usage message
            build_parser().parse_args(["events", "apply", "events.csv"])
    except SystemExit:
        return False
    return True


def table(out: str) -> list[list[str]]:
    """The rows of the bench's table: latency, 'ms', phase, exit, requests, per event, …"""
    rows = [line.split() for line in out.splitlines() if line.startswith(" ")]
    return [row for row in rows if len(row) == 12 and row[1] == "ms"]


def test_quick_bench_of_the_offline_check_runs_both_phases_at_both_latencies(capsys):
    assert events_apply.main(["--quick", "--command", "check"]) == 0
    out = capsys.readouterr().out
    assert [(row[0], row[2]) for row in table(out)] == PHASES
    assert "peer baseline (computed, not run)" in out


@pytest.mark.skipif(not has_apply(), reason="gatebot events apply is not in this checkout")
def test_quick_bench_of_apply_sends_one_request_per_create_and_per_unchanged(capsys):
    assert events_apply.main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = table(out)
    assert [(row[0], row[2]) for row in rows] == PHASES
    assert all(row[3] == "0" for row in rows), out  # every run exited 0
    assert all(row[5] == "1.00" for row in rows), out  # requests per event: counted, not timed
    assert "1 request per create: met; 1 request per unchanged: met" in out
