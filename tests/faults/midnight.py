"""A library-level session in its own OS process whose clock runs from seconds before the
user's midnight (spawn-safe; an injected clock, so any date can be raced)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.ledger import Gate, Ledger, Stop
from tests.ledger.fakes import IMAGE, Reply, Tasks, account
from tests.ledger.racers import AppendingWiki, slow_policy


def race_across_midnight(
    state_dir: str, sent: str, start: datetime, midnight: datetime, barrier: Any, attempts: int
) -> None:
    """Answer up to `attempts` tasks; when the gate is closed before midnight, come back (as a
    person would) until the new day opens it; end at a closed gate after midnight."""
    began = [0.0]

    def clock() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began[0])

    with Ledger.open(state_dir) as ledger:
        # everything slow to start (the policy files) before the clocks start together
        gate = Gate(ledger, slow_policy(), account(), Tasks(), AppendingWiki(Path(sent), 0.01),
                    clock=clock, task_types=[IMAGE])  # fmt: skip
        barrier.wait()
        began[0] = time.monotonic()
        for _ in range(attempts):
            asked = clock()
            task = gate.next_suggestion()
            while isinstance(task, Stop) and asked < midnight:  # closed on the old day
                time.sleep(0.02)
                asked = clock()
                task = gate.next_suggestion()
            if isinstance(task, Stop):
                return
            time.sleep(0.005)  # the user decides; meanwhile the other sessions go on
            gate.answer(task, Reply("no"))
