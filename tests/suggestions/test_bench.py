"""`bench/session.py --quick` still runs: its figures are printed, never asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_session_benchmark_runs_in_quick_mode():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "bench.session", "--quick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    for variant in ("with prefetch", "without prefetch"):
        assert variant in run.stdout
    assert run.stdout.count("sent->shown    p50 ") == 2
