"""A session in its own OS process, for the concurrency tests and bench/gate.py (spawn-safe)."""

from __future__ import annotations

import os
import time
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

import policies
from bot.ledger import Gate, Ledger, Stop
from policies.daily_limits import GateState
from policies.policy import Policy
from tests.ledger.fakes import IMAGE, Clock, Reply, Result, Tasks, account


class AppendingWiki:
    """A submitter that notes every answer it receives in a shared file, one line each."""

    def __init__(self, sent: Path, delay: float):
        self.sent = sent
        self.delay = delay

    def submit(self, task: Any, answer: Any) -> Result:
        descriptor = os.open(self.sent, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, f"{os.getpid()} {task.title}\n".encode())
        finally:
            os.close(descriptor)
        time.sleep(self.delay)
        return Result()


class SlowPolicy(Policy):
    """The shipped policy, taking 20 ms per gate decision: a wide window between the count and
    the reservation, where a non-atomic ledger would let two processes take the same slot."""

    def gate(self, *args: Any, **options: Any) -> GateState:
        time.sleep(0.02)
        return super().gate(*args, **options)


def slow_policy() -> SlowPolicy:
    shipped = policies.load()
    return SlowPolicy(**{field.name: getattr(shipped, field.name) for field in fields(shipped)})


def race(state_dir: str, sent: str, now: datetime, barrier: Any, attempts: int) -> None:
    """Wait for the others, then try to answer `attempts` tasks as fast as possible."""
    with Ledger.open(state_dir) as ledger:
        gate = Gate(ledger, slow_policy(), account(), Tasks(), AppendingWiki(Path(sent), 0.01),
                    clock=Clock(now), task_types=[IMAGE])  # fmt: skip
        barrier.wait()
        for _ in range(attempts):
            task = gate.next_suggestion()
            if isinstance(task, Stop):
                return
            time.sleep(0.005)  # the user decides; meanwhile the other sessions go on
            gate.answer(task, Reply("yes"))
