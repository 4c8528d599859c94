"""Crash and resume: `gatebot events apply` on a 100-event file, SIGKILLed at a seeded random
moment (often between the wiki's write and the journal's record of it), then run again to the
end. Every run must leave exactly one registration per row and report every row, with no
person in the loop: a create that landed unjournaled once the organizer's list is full (50
events) is found by probing the ids above its journaled floor, never sent twice.

GATEBOT_FAULT_RUNS sets how many runs (the issue's 50 by default); GATEBOT_FAULT_SEED replays
one sequence of moments."""

from __future__ import annotations

import os
import random
import signal
import threading
from pathlib import Path

from bot.journal import Journal
from bot.sandbox.server import SandboxServer
from tests.faults.conftest import (
    CREATE,
    REGISTERED,
    Watch,
    event_titles,
    events_file,
    finished,
)
from tests.faults.conftest import gatebot as start_gatebot

EVENTS = 100
RUNS = int(os.environ.get("GATEBOT_FAULT_RUNS", "50"))
SEED = int(os.environ.get("GATEBOT_FAULT_SEED", str(random.randrange(1 << 30))))


class Killer:
    """SIGKILLs the child either right after the wiki created its `at`-th event (before the
    answer leaves the sandbox, so the journal still says `sending`), or after `delay` seconds."""

    def __init__(self, watch: Watch, *, at: int | None = None, delay: float | None = None):
        self.at, self.delay, self.pid, self.created = at, delay, 0, 0
        self.killed = threading.Event()
        watch.hook = self.after_answer

    def after_answer(self, request, response) -> None:
        if (request.method, request.path) != CREATE or response.status != 201:
            return
        self.created += 1
        if self.created == self.at:
            self.kill()

    def kill(self) -> None:
        if self.pid and not self.killed.is_set():
            self.killed.set()
            os.kill(self.pid, signal.SIGKILL)


def apply(server: SandboxServer, state: Path, batch: Path) -> tuple[int, dict, str]:
    return finished(start_gatebot(server, state, "Organizer", "events", "apply", str(batch),
                                  "--json"))  # fmt: skip


def seeded_by_organizer(server: SandboxServer) -> int:
    """How many events Organizer had before the batch (its list shows 50 at most)."""
    account = server.wiki.config.account("Organizer")
    assert account is not None
    return len(server.wiki.store.events_of_organizer(account.user_id, 1000))


def test_a_batch_killed_at_any_moment_finishes_on_rerun_with_each_event_created_once(
    watch, start_wiki, tmp_path: Path
):
    chance = random.Random(SEED)
    moments = dict.fromkeys(
        ["between write and journal", "past a full organizer list", "at a random time",
         "finished first"],
        0,
    )  # fmt: skip
    for run in range(RUNS):
        server = start_wiki()
        seeded, organized = server.wiki.store.event_count(), seeded_by_organizer(server)
        batch = events_file(server, tmp_path / f"events{run}.csv", EVENTS)
        state = tmp_path / f"state{run}"
        watch.creates.clear()
        if chance.random() < 0.6:
            killer = Killer(watch, at=chance.randint(1, EVENTS))
            moments["between write and journal"] += 1
        else:
            killer = Killer(watch, delay=chance.uniform(0.05, 0.8))  # a full run: ~0.7 s
        child = start_gatebot(server, state, "Organizer", "events", "apply", str(batch), "--json")
        killer.pid = child.pid
        if killer.delay is not None:
            timer = threading.Timer(killer.delay, killer.kill)
            timer.start()
        child.communicate(timeout=120)
        if killer.delay is not None:
            timer.cancel()
        watch.hook = None
        where = f"seed {SEED}, run {run}, kill at create {killer.at} / after {killer.delay} s"
        if killer.at is not None:
            assert child.returncode == -signal.SIGKILL, where
            with Journal.open(state) as journal:  # the killed write is still open
                assert [w.state for w in journal.pending(server.api_url)] == ["sending"], where
            if organized + killer.created > 50:
                moments["past a full organizer list"] += 1
        else:
            killed = child.returncode == -signal.SIGKILL
            moments["at a random time" if killed else "finished first"] += 1
        status, report, err = apply(server, state, batch)
        assert status == 0, (where, err, [r for r in report.get("rows", []) if not r["ok"]][:2])
        assert len(report["rows"]) == EVENTS, where
        assert {(r["status"], r["ok"]) for r in report["rows"]} == {("done", True)}, where
        assert server.wiki.store.event_count() == seeded + EVENTS, where
        assert watch.creates[201] == EVENTS, (where, watch.creates)
        # no create was sent for a page registered already (only the wiki's refusal caught it)
        assert watch.creates[REGISTERED] == 0, (where, watch.creates)
        with Journal.open(state) as journal:
            assert journal.pending(server.api_url) == [], where
            assert all(journal.known(server.api_url, t) for t in event_titles(EVENTS)), where
        server.stop()
    assert moments["finished first"] <= max(2, RUNS // 5), moments
    print(f"crash and resume: {RUNS} runs, seed {SEED}, kills {moments}")
