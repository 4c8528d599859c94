"""Planning decisions: how a checked row resolves to create, update, unchanged or refused, and
which reads of the wiki it costs (a scripted CampaignEvents wiki, the real journal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

import policies
from bot.campaignevents import (
    EventDeleted,
    EventNotFound,
    OrganizedEvent,
    OrganizerEvents,
    Registration,
)
from bot.events import RowChecker
from bot.events.mapping import registration_from_draft
from bot.events.pages import PageState
from bot.events.plan import Planner
from bot.eventsfile import FileRow
from bot.journal import Journal, fingerprint
from bot.wiki import RestError

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
WIKI = "http://127.0.0.1:8780/w/api.php"
PAGE = "Event:WikiGap 2027/Lisbon"
CELLS = {
    "event_page": PAGE, "timezone": "Europe/Lisbon", "start": "2027-03-06T10:00",
    "end": "2027-03-06T18:00", "types": "Editing event", "wikis": "ptwiki",
    "participation": "online",
}  # fmt: skip


class ScriptedEvents:
    """A CampaignEvents wiki in memory: registrations by id, the organizer's list; counts GETs."""

    def __init__(self, registrations=(), *, deleted=(), capped=False, listed=None):
        self.registrations = {reg.id: reg for reg in registrations}
        self.deleted, self.capped = set(deleted), capped
        self.listed = listed
        self.gets: list[int] = []
        self.listings = 0

    def get(self, event_id: int) -> Registration:
        self.gets.append(event_id)
        if event_id in self.deleted:
            cause = RestError(404, "campaignevents-rest-get-registration-deleted", {"en": "x"})
            raise EventDeleted(cause, f"Event {event_id} was deleted")
        if event_id not in self.registrations:
            cause = RestError(404, "campaignevents-rest-event-not-found", {"en": "x"})
            raise EventNotFound(cause, f"Event {event_id} does not exist on this wiki.")
        return self.registrations[event_id]

    def events_by_organizer(self, central_id: int) -> OrganizerEvents:
        self.listings += 1
        listed = self.listed
        if listed is None:
            listed = [OrganizedEvent(reg.id, reg.event_page.partition(":")[2], False)
                      for reg in self.registrations.values()]  # fmt: skip
        listed += [OrganizedEvent(i, PAGE.partition(":")[2], True) for i in self.deleted]
        return OrganizerEvents(tuple(listed), capped=self.capped)


def checked(number: int = 2, /, **cells: str):
    return RowChecker(policies.load(), now=NOW).check(FileRow(number, {**CELLS, **cells}))


def existing(event_id: int = 7, **cells) -> Registration:
    """The registration a row with `cells` would create, as the wiki holds it under `event_id`."""
    return replace(registration_from_draft(checked(**cells).draft), id=event_id)


@pytest.fixture
def journal(tmp_path: Path):
    with Journal.open(tmp_path / "state") as opened:
        yield opened


def remember(journal: Journal, page: str, event_id: int) -> None:
    """What an earlier apply leaves in the journal for `page`."""
    with journal.run(WIKI) as run:
        run.finish(run.begin(page, "create", {"event_page": page}), event_id)


def plan(events: ScriptedEvents, journal: Journal, row=None, *, exists=True, create_pages=False):
    planner = Planner(
        events,
        pages=lambda titles: {t: PageState(t, exists=exists, namespace=1728) for t in titles},
        known=lambda page: journal.known(WIKI, page),
        central_id=lambda: 2,
        rules=RowChecker(policies.load(), now=NOW).rules,
        create_pages=create_pages,
        user="Organizer",
    )
    return next(iter(planner.plan([row or checked()])))


def test_a_page_the_journal_knows_is_read_by_its_id_only_and_unchanged(journal):
    events = ScriptedEvents([existing(7)])
    remember(journal, PAGE, 7)
    planned = plan(events, journal)
    assert (planned.action, planned.event_id, planned.status) == ("unchanged", 7, "planned")
    assert (events.gets, events.listings) == ([7], 0)


def test_a_row_edited_between_runs_is_an_update_with_the_changed_fields(journal):
    events = ScriptedEvents([existing(7)])
    remember(journal, PAGE, 7)
    planned = plan(events, journal, checked(end="2027-03-06T20:00", topics="women"))
    assert planned.action == "update"
    assert planned.report()["changes"] == {
        "end_time": ["20270306180000", "20270306200000"], "topics": [[], ["women"]],
    }  # fmt: skip
    assert planned.body["end_time"] == "20270306200000" and planned.body["status"] == "open"
    assert fingerprint(planned.body) != journal.known(WIKI, PAGE).fingerprint


def test_a_page_registered_outside_gatebot_is_found_in_the_organizers_list(journal):
    other = existing(9, event_page="Event:Other")
    events = ScriptedEvents([existing(4), other])
    planned = plan(events, journal)
    assert (planned.action, planned.event_id) == ("unchanged", 4)
    assert events.listings == 1
    assert events.gets == [4], "only the event named like the page is read"


def test_the_organizers_list_is_read_once_for_the_whole_run(journal):
    events = ScriptedEvents([])
    planner = Planner(
        events, pages=lambda titles: {t: PageState(t, True, 1728) for t in titles},
        known=lambda page: None, central_id=lambda: 2,
        rules=RowChecker(policies.load(), now=NOW).rules,
    )  # fmt: skip
    rows = [checked(n, event_page=f"Event:Row {n}") for n in range(2, 130)]
    planned = list(planner.plan(rows))
    assert {row.action for row in planned} == {"create"}
    assert events.listings == 1


def test_a_full_organizer_list_is_not_taken_for_not_registered(journal):
    full = [OrganizedEvent(i, f"Event {i}", False) for i in range(1, 51)]
    planned = plan(ScriptedEvents([], capped=True, listed=full), journal)
    assert planned.action == "create"
    assert "cannot see whether this page is registered already" in planned.notes[0]


@pytest.mark.parametrize("create_pages", [False, True])
def test_a_missing_event_page_is_refused_unless_asked_to_create_it(journal, create_pages):
    planned = plan(ScriptedEvents([]), journal, exists=False, create_pages=create_pages)
    if create_pages:
        assert (planned.action, planned.create_page) == ("create", True)
        assert planned.notes == [f"{PAGE} does not exist: gatebot creates it first, as "
                                 "Organizer (--create-pages)."]  # fmt: skip
    else:
        assert (planned.action, planned.status) == ("refused", "failed")
        error = planned.report()["errors"][0]
        assert error["code"] == "campaignevents-error-page-not-found"
        assert "run again with --create-pages" in error["message"]


def test_the_rows_own_event_id_is_read_directly(journal):
    events = ScriptedEvents([existing(12)])
    planned = plan(events, journal, checked(event_id="12", status="closed"))
    assert (planned.action, planned.event_id) == ("update", 12)
    assert planned.report()["changes"] == {"status": ["open", "closed"]}
    assert events.listings == 0


def test_an_event_id_the_wiki_does_not_know_is_refused(journal):
    planned = plan(ScriptedEvents([]), journal, checked(event_id="12"))
    assert planned.action == "refused"
    assert planned.report()["errors"][0]["code"] == "campaignevents-rest-event-not-found"


def test_a_page_whose_registration_was_deleted_is_refused_not_created(journal):
    remember(journal, PAGE, 7)
    planned = plan(ScriptedEvents([], deleted=[7]), journal)
    assert planned.action == "refused"
    error = planned.report()["errors"][0]
    assert error["code"] == "campaignevents-error-page-already-registered-deleted"


def test_an_event_that_started_already_can_still_be_updated_but_not_created(journal):
    past = {"start": "2026-11-01T10:00", "end": "2027-03-06T18:00"}
    new = plan(ScriptedEvents([]), journal, checked(**past))
    assert new.action == "refused"
    assert new.report()["errors"][0]["code"] == "campaignevents-error-start-past"
    events = ScriptedEvents([existing(7, **past)])
    remember(journal, PAGE, 7)
    again = plan(events, journal, checked(**past))
    assert (again.action, again.report()["errors"]) == ("unchanged", [])


def test_a_row_refused_offline_costs_no_request(journal):
    events = ScriptedEvents([existing(7)])
    planned = plan(events, journal, checked(types="Meetup", contribution_statistics="on"))
    assert planned.action == "refused"
    assert planned.report()["errors"][0]["code"] == (
        "campaignevents-error-contribs-tracking-invalid-type"
    )
    assert (events.gets, events.listings) == ([], 0)


def test_statistics_and_a_closed_status_of_a_new_row_are_sent_as_the_wiki_creates(journal):
    planned = plan(ScriptedEvents([]), journal, checked(status="closed"))
    assert planned.action == "create"
    assert planned.body["tracks_contributions"] is True
    assert "status" not in planned.body
