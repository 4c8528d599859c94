"""bench/events_apply.py in its quick mode, so the benchmark cannot rot: it runs the CLI against
the sandbox at two latencies and prints its table (figures are printed, never asserted)."""

from __future__ import annotations

import pytest

from bench import events_apply


def test_quick_bench_runs_both_phases_at_both_latencies(capsys: pytest.CaptureFixture[str]):
    assert events_apply.main(["--quick", "--command", "check"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.strip().endswith(tuple("0123456789"))]
    table = [(row[0], row[2]) for row in rows if len(row) == 12]
    assert table == [("0", "create"), ("0", "unchanged"), ("50", "create"), ("50", "unchanged")]
    assert "peer baseline (computed, not run)" in out
    assert "start-up CPU of one CLI process" in out
