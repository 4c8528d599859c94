"""The gate reopens exactly at the user's midnight: DST days, the extreme zones, manual offsets."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import policies
from bot.ledger import Gate, Ledger, Stop, WikiCount
from tests.ledger.fakes import IMAGE, UTC, Clock, Reply, Tasks, Wiki, account

POLICY = policies.load()
MICROSECOND = timedelta(microseconds=1)

CASES = {
    "Berlin spring forward (23 h)": ("ZoneInfo|60|Europe/Berlin", "UTC", (2026, 3, 29, 12), 23),
    "Berlin fall back (25 h)": ("ZoneInfo|120|Europe/Berlin", "UTC", (2026, 10, 25, 12), 25),
    "Havana, DST at midnight": ("ZoneInfo|-300|America/Havana", "UTC", (2026, 3, 8, 17), 23),
    "+14:00 Kiritimati": ("ZoneInfo|840|Pacific/Kiritimati", "UTC", (2026, 7, 1, 0), 24),
    "-12:00 zone": ("ZoneInfo|-720|Etc/GMT+12", "UTC", (2026, 7, 1, 0), 24),
    "Offset +14:00": ("Offset|840", "Europe/Berlin", (2026, 7, 1, 0), 24),
    "Offset -12:00": ("Offset|-720", "Europe/Berlin", (2026, 7, 1, 0), 24),
    "Offset +05:30": ("Offset|330", "America/New_York", (2026, 7, 1, 0), 24),
}


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path) as opened:
        yield opened


@pytest.mark.parametrize(("timecorrection", "site", "moment", "hours"), CASES.values(), ids=CASES)
def test_the_gate_reopens_exactly_at_the_users_next_midnight(
    ledger, timecorrection, site, moment, hours
):
    day = POLICY.user_day(timecorrection, site, datetime(*moment, tzinfo=UTC))
    assert day.end - day.start == timedelta(hours=hours)
    assert day.end.astimezone(day.tz).time().isoformat() == "00:00:00"
    clock = Clock(day.start)
    wiki = Wiki()
    who = account(timecorrection, site)
    gate = Gate(ledger, POLICY, who, Tasks(), wiki, clock=clock, task_types=[IMAGE])
    step = (day.end - day.start) / 26
    for _ in range(25):
        assert gate.answer(gate.next_suggestion(), Reply("yes")).sent
        clock.advance(seconds=step.total_seconds())
    clock.now = day.end - MICROSECOND
    closed = gate.verdict(IMAGE)
    assert not closed.open and closed.count == 25
    assert closed.reset_text == f"resets at 00:00 {day.zone}, in 1 min"
    assert (
        closed.resets_at == day.end
        and closed.resets_at.utcoffset() == day.end.astimezone(day.tz).utcoffset()
    )
    assert isinstance(gate.next_suggestion(), Stop)
    clock.now = day.end
    reopened = gate.verdict(IMAGE)
    assert reopened.open and reopened.count == 0 and reopened.remaining == 25
    assert not isinstance(gate.next_suggestion(), Stop)
    assert wiki.calls == 25


def test_an_answer_just_before_midnight_counts_for_the_day_it_was_sent(ledger):
    day = POLICY.user_day("ZoneInfo|60|Europe/Berlin", "UTC", datetime(2026, 7, 1, tzinfo=UTC))
    clock = Clock(day.end - MICROSECOND)
    gate = Gate(ledger, POLICY, account(), Tasks(), Wiki(), clock=clock, task_types=[IMAGE])
    gate.answer(gate.next_suggestion(), Reply("no"))
    assert gate.verdict(IMAGE).count == 1
    clock.now = day.end
    assert gate.verdict(IMAGE).count == 0


def test_a_manual_offset_user_closed_by_the_wiki_sees_the_wikis_midnight(ledger):
    """The wiki counts `Offset|…` users from its own midnight (contract §4.2)."""
    now = datetime(2026, 7, 1, 12, tzinfo=UTC)  # 17:30 at +05:30, 08:00 in New York
    who = account("Offset|330", "America/New_York")
    source = Tasks(counts={IMAGE: WikiCount(25, True, now)})
    gate = Gate(ledger, POLICY, who, source, Wiki(), clock=Clock(now), task_types=[IMAGE])
    verdict = gate.verdict(IMAGE)
    assert not verdict.open and verdict.closed_by == "server"
    assert verdict.reset_zone == "America/New_York" and verdict.zone == "UTC+05:30"
    assert verdict.resets_at.isoformat() == "2026-07-02T00:00:00-04:00"
    assert verdict.reset_text == "resets at 00:00 America/New_York, in 16 h"


def test_a_manual_offset_users_own_count_resets_at_their_own_midnight(ledger):
    now = datetime(2026, 7, 1, 12, tzinfo=UTC)
    who = account("Offset|330", "America/New_York")
    clock = Clock(now)
    gate = Gate(ledger, POLICY, who, Tasks(), Wiki(), clock=clock, task_types=[IMAGE])
    for _ in range(25):
        gate.answer(gate.next_suggestion(), Reply("yes"))
    verdict = gate.verdict(IMAGE)
    assert verdict.reset_text == "resets at 00:00 UTC+05:30, in 6 h 30 min"
    assert verdict.resets_at.isoformat() == "2026-07-02T00:00:00+05:30"


def test_a_wiki_count_read_before_the_wikis_midnight_has_reset_since(ledger):
    evening = datetime(2026, 7, 1, 21, 59, tzinfo=UTC)  # 23:59 in Berlin
    source = Tasks(counts={IMAGE: WikiCount(25, True, evening)})
    clock = Clock(evening)
    gate = Gate(ledger, POLICY, account(), source, Wiki(), clock=clock, task_types=[IMAGE])
    assert isinstance(gate.next_suggestion(), Stop)
    clock.advance(minutes=2)  # 00:01: the wiki has not been asked again yet
    assert gate.answer(gate.next_suggestion(), Reply("yes")).sent
    verdict = gate.verdict(IMAGE)
    assert (verdict.open, verdict.count, verdict.wiki_count) == (True, 1, 1)
