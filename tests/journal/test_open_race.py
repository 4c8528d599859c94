"""Several gatebot processes opening one new journal at the same moment all get a usable one."""

from __future__ import annotations

import subprocess
import sys
import time

OPEN = """
import sys, time
from pathlib import Path
from bot.journal import Journal
start = float(sys.argv[2])
while time.time() < start:
    pass
with Journal.open(Path(sys.argv[1])) as journal:
    print(journal.path)
"""


def test_processes_opening_a_new_journal_together_all_succeed(tmp_path):
    for attempt in range(5):
        state = tmp_path / f"state{attempt}"
        start = str(time.time() + 1.0)
        children = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(state), start],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [(child.communicate(timeout=60), child.returncode) for child in children]
        assert [(code, err) for (_, err), code in results] == [(0, "")] * 4
