"""A create cut off before the journal heard its answer, once the organizer has 50 events (the
most the wiki lists): the resume finds it, or proves it missing, by reading the ids above the
floor the journal kept for it, and never registers the page twice."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.sandbox.server as sandbox_server
from bot.campaignevents.probe import GAP
from bot.events.batch import Batch
from bot.sandbox.server import SandboxServer
from tests.events.test_apply import batch, events_file, login, pages, row, sent

EVENT_GET = "/w/rest.php/campaignevents/v0/event_registration/"


@pytest.fixture
def served(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every REST request the sandbox answers, as (method, path)."""
    seen: list[tuple[str, str]] = []
    real = sandbox_server.dispatch

    def counting(wiki, request):
        seen.append((request.method, request.path))
        return real(wiki, request)

    monkeypatch.setattr(sandbox_server, "dispatch", counting)
    return seen


def full_list(sandbox: SandboxServer, tmp_path: Path) -> tuple[Batch, Path]:
    """Organizer's list made full (its seeded event and 49 applied ones); the file of Event:Cut."""
    titles = [f"Event:Filler {n}" for n in range(49)]
    pages(sandbox, [*titles, "Event:Cut"])
    work = batch(sandbox, tmp_path, login(sandbox, tmp_path))
    fillers = events_file(tmp_path / "fillers.csv", [row(t) for t in titles])
    with work.applying(str(fillers)) as applier:
        assert all(applier.execute(p).status == "done" for p in work.plan(work.checked(fillers)))
    client = work.client
    assert client.events_by_organizer(client.own_central_id()).capped
    return work, events_file(tmp_path / "cut.csv", [row("Event:Cut")])


def probed(served: list[tuple[str, str]], floor: int) -> list[int]:
    """The event ids above `floor` that were read."""
    ids = [int(path[len(EVENT_GET) :]) for m, path in served if path.startswith(EVENT_GET)]
    return [event_id for event_id in ids if event_id > floor]


def test_a_create_that_landed_unjournaled_past_a_full_list_is_found_above_its_floor(
    sandbox, served, tmp_path
):
    work, path = full_list(sandbox, tmp_path)
    events = sandbox.wiki.store.event_count()
    with work.journal.run(work.identity) as run:  # what a run killed after its POST leaves
        (planned,) = work.plan(work.checked(path))
        wanted, body = sent(planned)
        write = run.begin("Event:Cut", "create", body, floor=work.planner.highest_seen)
        created = work.client.create(wanted)
    assert write.floor is not None and write.floor < created.id
    served.clear()
    with work.applying(str(path)) as applier:  # the open write is settled first
        assert probed(served, write.floor) == list(range(write.floor + 1, created.id + 1))
        settled = work.journal.writes(work.identity)[-1]
        assert (settled.id, settled.state, settled.event_id) == (write.id, "done", created.id)
        (again,) = work.plan(work.checked(path))
        applier.execute(again)
    assert (again.action, again.event_id, again.status) == ("unchanged", created.id, "done")
    assert ("POST", EVENT_GET.rstrip("/")) not in served
    assert sandbox.wiki.store.event_count() == events + 1


def test_a_create_that_never_left_is_proved_missing_by_twenty_ids_and_sent_once(
    sandbox, served, tmp_path
):
    work, path = full_list(sandbox, tmp_path)
    events = sandbox.wiki.store.event_count()
    with work.journal.run(work.identity) as run:  # killed after the record, before the POST
        (planned,) = work.plan(work.checked(path))
        write = run.begin("Event:Cut", "create", sent(planned)[1], floor=work.planner.highest_seen)
    served.clear()
    with work.applying(str(path)) as applier:
        assert write.floor is not None
        assert probed(served, write.floor) == list(range(write.floor + 1, write.floor + GAP + 1))
        settled = work.journal.writes(work.identity)[-1]
        assert (settled.id, settled.state, settled.error_key) == (
            write.id, "failed", "gatebot-write-not-applied",
        )  # fmt: skip
        assert f"{GAP} ids in a row" in (settled.error_message or "")
        (again,) = work.plan(work.checked(path))
        done = applier.execute(again)
    assert (done.action, done.status) == ("create", "done")
    assert served.count(("POST", EVENT_GET.rstrip("/"))) == 1
    assert sandbox.wiki.store.event_count() == events + 1
