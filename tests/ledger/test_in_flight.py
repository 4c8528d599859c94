"""An answer still coming back when the wiki's count is read: the count may or may not hold it.

Two sessions of one user share the ledger. The wiki counts an answer the moment it takes it and
replies later, so a count read meanwhile already holds the answer the ledger sees in flight. The
gate must neither stop one short (counting it twice) nor send one over (leaving it out).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone

import policies
from bot.ledger import Gate, Ledger, Stop, WikiCount
from tests.ledger.fakes import IMAGE, Reply, Result, Tasks, account

LIMIT = 3
POLICY = replace(policies.load(), max_per_day={IMAGE: LIMIT})


def now() -> datetime:
    return datetime.now(timezone.utc)


class CountingWiki:
    """Counts an answer when it arrives; `hold` keeps the reply back until `release` is set."""

    def __init__(self) -> None:
        self.count = 0
        self.hold = False
        self.arrived = threading.Event()
        self.release = threading.Event()

    def submit(self, task, answer) -> Result:
        self.count += 1
        if self.hold:
            self.arrived.set()
            self.release.wait(10)
        return Result(daily_limit_reached=self.count >= LIMIT)


class LiveCounts(Tasks):
    """The wiki's count as it is when asked, stamped with when it was asked and answered."""

    def __init__(self, wiki: CountingWiki):
        super().__init__()
        self.wiki = wiki
        self.last = WikiCount(0, False, now(), now())

    def wiki_count(self, task_type: str, *, fresh: bool = False) -> WikiCount:
        if fresh:
            asked = now()
            count = self.wiki.count
            self.last = WikiCount(count, count >= LIMIT, asked, now())
        return self.last


def session(ledger: Ledger, wiki: CountingWiki, **options) -> Gate:
    return Gate(ledger, POLICY, account(), LiveCounts(wiki), wiki, task_types=[IMAGE], **options)


def test_an_answer_in_flight_when_the_count_is_read_is_waited_for_not_counted_twice(tmp_path):
    wiki = CountingWiki()
    with Ledger.open(tmp_path) as first, Ledger.open(tmp_path) as second:
        one, other = session(first, wiki), session(second, wiki)
        assert one.answer(one.next_suggestion(), Reply("yes")).sent
        wiki.hold = True
        flying = threading.Thread(target=other.answer, args=(other.next_suggestion(), Reply("no")))
        flying.start()
        assert wiki.arrived.wait(10)
        wiki.hold = False
        threading.Timer(0.2, wiki.release.set).start()
        third = one.answer(one.next_suggestion(), Reply("yes"))  # the count read now holds 2
        flying.join(10)
        assert third.sent, third.verdict.message()
        assert wiki.count == LIMIT
        assert isinstance(one.next_suggestion(), Stop)
        assert isinstance(other.next_suggestion(), Stop)
        assert wiki.count == LIMIT


def test_an_answer_in_flight_the_count_does_not_hold_yet_still_counts(tmp_path):
    wiki = CountingWiki()
    with Ledger.open(tmp_path) as first, Ledger.open(tmp_path) as second:
        one, other = session(first, wiki), session(second, wiki)
        assert one.answer(one.next_suggestion(), Reply("yes")).sent
        wiki.hold = True
        flying = threading.Thread(target=other.answer, args=(other.next_suggestion(), Reply("no")))
        flying.start()
        assert wiki.arrived.wait(10)
        wiki.hold, wiki.count = False, wiki.count - 1  # the wiki's count lags: it reads 1
        threading.Timer(0.2, wiki.release.set).start()
        assert one.answer(one.next_suggestion(), Reply("yes")).sent
        flying.join(10)
        wiki.count += 1  # the lagging count catches up
        assert isinstance(one.next_suggestion(), Stop)
        assert not one.answer(one.source.next_task([IMAGE]), Reply("yes")).sent
        assert wiki.count == LIMIT


def test_an_answer_whose_process_died_in_flight_keeps_counting_without_a_wait(tmp_path):
    wiki = CountingWiki()
    with Ledger.open(tmp_path) as ledger:
        gate = session(ledger, wiki, settle_wait=20)
        gate.answer(gate.next_suggestion(), Reply("yes"))
        reserve_and_die(tmp_path)
        wiki.count += 1  # the dead session's answer reached the wiki, or not: nobody knows
        task, started = gate.next_suggestion(), time.monotonic()
        refused = gate.answer(task, Reply("yes"))  # its count may hold the dead answer, or not
        assert time.monotonic() - started < 5, "waited for an answer that never comes back"
        assert not refused.sent
        assert (refused.verdict.unsettled, wiki.count) == (1, 2)


def reserve_and_die(state) -> None:
    """Another gatebot process reserves a slot and is killed before its answer comes back."""
    code = (
        "import os, sys, policies\n"
        "from dataclasses import replace\n"
        "from bot.ledger import Ledger, Gate\n"
        "from tests.ledger.fakes import IMAGE, Reply, Tasks, account\n"
        f"policy = replace(policies.load(), max_per_day={{IMAGE: {LIMIT}}})\n"
        "class Dies:\n"
        "    def submit(self, task, answer):\n"
        "        os._exit(9)\n"
        "ledger = Ledger.open(sys.argv[1])\n"
        "gate = Gate(ledger, policy, account(), Tasks(), Dies())\n"
        "gate.answer(gate.next_suggestion(), Reply('no'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(state)], check=False, timeout=60)
    assert done.returncode == 9
