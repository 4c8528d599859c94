"""Test doubles at the gate's seams: a task list, a wiki that takes answers, a settable clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from bot.ledger import NO_WIKI_COUNT, Account, WikiCount

UTC = timezone.utc
IMAGE, SECTION = "image-recommendation", "section-image-recommendation"
BERLIN = "ZoneInfo|60|Europe/Berlin"


def account(timecorrection: str | None = BERLIN, site_timezone: str = "UTC") -> Account:
    return Account("https://wiki.test/w", 7, "Volunteer", timecorrection, site_timezone)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Task:
    task_type: str
    title: str


@dataclass(frozen=True)
class Reply:
    """An answer as the session would build it; only `outcome` matters to the gate."""

    outcome: str
    caption: str = ""


@dataclass(frozen=True)
class Result:
    daily_limit_reached: bool = False


@dataclass
class Tasks:
    """An endless task list; records which types it was asked for; reports set wiki counts."""

    counts: dict[str, WikiCount] = field(default_factory=dict)
    asked: list[tuple[str, ...]] = field(default_factory=list)
    only: str | None = None
    left: int | None = None
    fresh_reads: int = 0

    def next_task(self, task_types: Sequence[str]) -> Task | None:
        self.asked.append(tuple(task_types))
        if self.left is not None:
            if self.left == 0:
                return None
            self.left -= 1
        return Task(self.only or task_types[0], f"Article {len(self.asked)}")

    def wiki_count(self, task_type: str, *, fresh: bool = False) -> WikiCount:
        if fresh:
            self.fresh_reads += 1
        return self.counts.get(task_type, NO_WIKI_COUNT)


@dataclass
class Wiki:
    """Takes answers; `behaviour(n)` may raise or return a Result for the n-th call (1-based)."""

    behaviour: Callable[[int], Result] = lambda _n: Result()
    received: list[tuple[str, str, str]] = field(default_factory=list)
    calls: int = 0

    def submit(self, task: Task, answer: Reply) -> Result:
        self.calls += 1
        result = self.behaviour(self.calls)
        self.received.append((task.task_type, task.title, type(answer).__name__))
        return result
