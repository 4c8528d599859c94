"""Random interleavings of two sessions: answers, skips, failures, unknown outcomes, days passing.

The gate must send exactly while fewer answers than the limit may have reached the wiki today,
so that the wiki never holds more than the limit, and no slot is lost to a failure.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import replace
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

import policies
from bot.ledger import Gate, Ledger, Stop
from bot.wiki.errors import ApiError, OutcomeUnknown
from tests.ledger.fakes import IMAGE, UTC, Clock, Reply, Result, Tasks, account

LIMIT = 3
POLICY = replace(policies.load(), max_per_day={IMAGE: LIMIT})
START = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)  # the evening before Berlin's 25-hour day

# what the wiki does with an answer: (reaches the wiki, raises)
FATES = {
    "yes": (True, None),
    "no": (True, None),
    "refused": (False, ApiError("hookaborted", "Captions must be 5 characters or longer.")),
    "lost": (False, OutcomeUnknown("sent, no answer came back")),
    "reached": (True, OutcomeUnknown("sent, no answer came back")),
    "interrupted": (True, KeyboardInterrupt()),
}


class ScriptedWiki:
    """Receives answers; what happens to the next one is set by the test beforehand."""

    def __init__(self, clock: Clock, arrived: Counter):
        self.clock, self.arrived, self.fate = clock, arrived, "yes"
        self.calls = 0

    def submit(self, task, answer):
        self.calls += 1
        reaches, error = FATES[self.fate]
        if reaches:
            self.arrived[day_of(self.clock.now)] += 1
        if error is not None:
            raise error
        return Result()


def day_of(moment: datetime) -> str:
    return POLICY.user_day("ZoneInfo|60|Europe/Berlin", "UTC", moment).start.isoformat()


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 1), st.sampled_from([*FATES, "skip"])),
        st.tuples(st.just("show"), st.integers(0, 1), st.just("")),
        st.tuples(st.just("wait"), st.integers(0, 1), st.sampled_from(["1", "90", "600"])),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_two_sessions_never_exceed_the_limit_and_never_lose_a_slot(steps):
    clock = Clock(START)
    arrived: Counter[str] = Counter()  # answers the wiki holds, by the user's day
    maybe: Counter[str] = Counter()  # answers that may have reached it: what must count
    with tempfile.TemporaryDirectory() as state:
        ledgers = [Ledger.open(state), Ledger.open(state)]
        wikis = [ScriptedWiki(clock, arrived), ScriptedWiki(clock, arrived)]
        gates = [
            Gate(ledger, POLICY, account(), Tasks(), wiki, clock=clock, task_types=[IMAGE])
            for ledger, wiki in zip(ledgers, wikis, strict=True)
        ]
        shown: list = [None, None]
        try:
            for action, who, detail in steps:
                today = day_of(clock.now)
                if action == "wait":
                    clock.advance(minutes=int(detail))
                    continue
                task = shown[who]
                if task is None:
                    task = gates[who].next_suggestion()
                    if isinstance(task, Stop):
                        assert maybe[today] >= LIMIT, "refused to offer a task with slots left"
                        continue
                if action == "show":
                    shown[who] = task
                    continue
                shown[who] = None
                before = wikis[who].calls
                wikis[who].fate = "yes" if detail == "skip" else detail
                try:
                    answered = gates[who].answer(task, Reply("skip" if detail == "skip" else "yes"))
                    sent = answered.sent
                except (ApiError, OutcomeUnknown, KeyboardInterrupt):
                    sent = True
                assert sent == (wikis[who].calls > before)
                if detail == "skip":
                    assert not sent
                    continue
                assert sent == (maybe[today] < LIMIT), "sent over the limit, or lost a slot"
                if sent and detail != "refused":
                    maybe[today] += 1
                assert arrived[today] <= LIMIT
                assert gates[1 - who].verdict(IMAGE).local_count == maybe[today]
        finally:
            for ledger in ledgers:
                ledger.close()
