"""Quota race across the user's midnight: 8 processes of one user, 40 answers each, their
clocks running from 3 s before midnight in the user's zone. Each day gets exactly the limit,
never more, and every answer sent is the ledger's, counted on the day it was sent.

Driven at the library level (`bot.ledger.Gate` with an injected clock, as tests/ledger does), on
any day of the year; test_quota_midnight_cli.py races the real CLI under libfaketime."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone

import policies
from bot.ledger import Ledger
from bot.ledger.store import stamp
from bot.ledger.verdict import Days
from tests.faults.midnight import race_across_midnight
from tests.ledger.fakes import IMAGE, account

LIMIT, PROCESSES, EACH = 25, 8, 40
MIDNIGHT = datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc)  # 00:00 in Europe/Berlin (CEST)
POLICY = policies.load()


def test_eight_processes_across_midnight_send_the_limit_on_each_day_and_never_more(tmp_path):
    state, sent = tmp_path / "state", tmp_path / "sent.txt"
    Ledger.open(state).close()
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    start = MIDNIGHT - timedelta(seconds=3)
    racers = [
        spawn.Process(target=race_across_midnight,
                      args=(str(state), str(sent), start, MIDNIGHT, barrier, EACH))
        for _ in range(PROCESSES)
    ]  # fmt: skip
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert [racer.exitcode for racer in racers] == [0] * PROCESSES
    before = Days.of(POLICY, account(), MIDNIGHT - timedelta(seconds=1)).user
    after = Days.of(POLICY, account(), MIDNIGHT + timedelta(seconds=1)).user
    assert (before.end, after.start) == (MIDNIGHT, MIDNIGHT)
    with Ledger.open(state) as ledger:
        days = [ledger.entries(account(), day, task_type=IMAGE) for day in (before, after)]
    for entries in days:
        assert [entry.state for entry in entries] == ["committed"] * LIMIT
    assert all(e.at < stamp(MIDNIGHT) for e in days[0]), "a day-1 answer dated after midnight"
    assert all(e.at >= stamp(MIDNIGHT) for e in days[1]), "a day-2 answer dated before midnight"
    assert len(sent.read_text().splitlines()) == 2 * LIMIT  # what the wiki received
    assert len({entry.pid for entry in days[0] + days[1]}) > 1  # the processes really raced
