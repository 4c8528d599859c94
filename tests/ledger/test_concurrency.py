"""Several OS processes of one user racing for the last slots never send more than the limit."""

from __future__ import annotations

import multiprocessing
from datetime import datetime

import policies
from bot.ledger import Gate, Ledger
from bot.ledger.verdict import Days
from tests.ledger.fakes import IMAGE, UTC, Clock, Reply, Tasks, Wiki, account
from tests.ledger.racers import race

NOW = datetime(2026, 7, 1, 16, 48, tzinfo=UTC)
POLICY = policies.load()


def test_eight_processes_racing_for_the_last_three_slots_send_exactly_three(tmp_path):
    state, sent = tmp_path / "state", tmp_path / "sent.txt"
    with Ledger.open(state) as ledger:
        gate = Gate(ledger, POLICY, account(), Tasks(), Wiki(), clock=Clock(NOW))
        for _ in range(22):
            gate.answer(gate.next_suggestion(), Reply("no"))
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(8)
    racers = [
        spawn.Process(target=race, args=(str(state), str(sent), NOW, barrier, 3)) for _ in range(8)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert [racer.exitcode for racer in racers] == [0] * 8
    lines = sent.read_text().splitlines()
    assert len(lines) == 3
    with Ledger.open(state) as ledger:
        entries = ledger.entries(account(), Days.of(POLICY, account(), NOW).user, task_type=IMAGE)
    assert [entry.state for entry in entries] == ["committed"] * 25
    assert {entry.pid for entry in entries[22:]} == {int(line.split()[0]) for line in lines}
