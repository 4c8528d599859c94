"""Export: written events files read back to the same registrations, whatever the text holds;
what cannot be exported faithfully is left out with the reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import policies
from bot.campaignevents import (
    NOT_SHOWN,
    EventNotFound,
    NoCentralId,
    OrganizedEvent,
    OrganizerEvents,
    Registration,
    UnexpectedResponse,
    changed_fields,
)
from bot.events import RowChecker
from bot.events.export import ExportLog, UserNotFoundError, export_rows, organizer_central_id
from bot.events.mapping import registration_from_draft, row_from_registration
from bot.events.writer import WRITERS
from bot.eventsfile import read_events
from bot.wiki import RestError, WikiUnreachable
from policies.errors import InputError

EVENT = Registration(
    event_page="Event:Photo walk 2099", timezone="Europe/Lisbon", start_time="20990101100000",
    end_time="20990101180000", types=("media-upload-event",), wikis=("commonswiki",),
    tracks_contributions=True, inperson_meeting=True, meeting_country_code="PT",
    meeting_address="Praça do Comércio, Lisboa", id=3,
)  # fmt: skip
# Text a careless writer turns into something else on the way back.
TRICKY = {
    "address on two lines": {"meeting_address": "Rua Garrett 120\n1200-205 Lisboa"},
    "YAML 1.1 words and numbers": {
        "tracking_tool_id": "wikimedia-pe-dashboard", "tracking_tool_event_id": "on",
    },
    "octal-looking id": {
        "tracking_tool_id": "wikimedia-pe-dashboard", "tracking_tool_event_id": "0o17",
    },
    "float-looking id": {
        "tracking_tool_id": "wikimedia-pe-dashboard", "tracking_tool_event_id": "1e5",
    },
    "quotes, commas, a formula": {"meeting_address": '=1+2, "Sala 3"; piso 2'},
    "line separators": {"meeting_address": "Lisboa\u2028Portugal\x85Europa"},
    "no specific wiki": {"wikis": (), "tracks_contributions": False},
    "all wikis, closed test event": {"wikis": ("*",), "status": "closed", "is_test_event": True},
    "fixed offset": {"timezone": "+05:30"},
}  # fmt: skip


def write_and_read(tmp_path: Path, kind: str, *regs: Registration) -> list[Registration]:
    path = tmp_path / f"events.{kind}"
    with path.open("w", encoding="utf-8", newline="") as stream:
        WRITERS[kind]((row_from_registration(reg) for reg in regs), stream)
    checker = RowChecker(policies.load(), now=None)
    back = []
    for file_row in read_events(path):
        checked = checker.check(file_row)
        assert checked.errors == [], checked.errors
        back.append(replace(registration_from_draft(checked.draft), id=checked.event_id))
    return back


@pytest.mark.parametrize("kind", ["csv", "json", "yaml"])
@pytest.mark.parametrize("changes", TRICKY.values(), ids=TRICKY.keys())
def test_written_file_reads_back_to_the_same_registration(tmp_path, kind, changes):
    reg = replace(EVENT, **changes)
    (back,) = write_and_read(tmp_path, kind, reg)
    assert changed_fields(reg, back) == ()
    assert back.id == reg.id


@pytest.mark.parametrize("kind", ["csv", "json", "yaml"])
def test_an_empty_export_is_still_a_file_of_its_kind(tmp_path, kind):
    path = tmp_path / f"empty.{kind}"
    with path.open("w", encoding="utf-8") as stream:
        assert WRITERS[kind]([], stream) == 0
    assert path.read_text(encoding="utf-8").strip() in (
        ",".join(row_from_registration(EVENT)),
        '{"events": []}',
        "events: []",
    )


class Client:
    """The CampaignEvents client's listing and GET over fixed answers."""

    def __init__(self, listing: OrganizerEvents, answers: dict):
        self.listing, self.answers = listing, answers

    def events_by_organizer(self, central_id: int) -> OrganizerEvents:
        return self.listing

    def get(self, event_id: int) -> Registration:
        answer = self.answers[event_id]
        if isinstance(answer, Exception):
            raise answer
        return answer


def exported(listing, answers, wiki_id="sandboxwiki"):
    log = ExportLog()
    rows = list(export_rows(Client(listing, answers), 3, log, wiki_id=wiki_id))  # type: ignore[arg-type]
    return rows, log


def listed(*ids: int, deleted=(), capped=False) -> OrganizerEvents:
    events = tuple(OrganizedEvent(i, f"Event {i}", i in deleted) for i in ids)
    return OrganizerEvents(events, capped)


def test_deleted_events_are_skipped_and_named():
    gone = EventNotFound(RestError(404, "campaignevents-rest-event-not-found", {}), "gone")
    rows, log = exported(listed(1, 2, 3, deleted={1}), {2: gone, 3: EVENT})
    assert [row["event_id"] for row in rows] == [3]
    assert log.deleted == [1, 2]
    assert log.failed == []


def test_an_event_that_cannot_round_trip_is_left_out_with_the_reason():
    tools = UnexpectedResponse("The event has 2 tracking tools; a write can keep only one.")
    elsewhere = replace(EVENT, id=4, event_page_wiki="dewiki")
    rows, log = exported(listed(2, 3, 4), {2: tools, 3: EVENT, 4: elsewhere})
    assert [row["event_id"] for row in rows] == [3]
    assert "2 tracking tools" in log.failed[0]
    assert "lives on dewiki" in log.failed[1]


def test_hidden_fields_are_exported_empty_with_a_warning():
    hidden = replace(EVENT, chat_url=NOT_SHOWN)
    (row,), log = exported(listed(3), {3: hidden})
    assert row["chat_url"] is None
    assert log.warnings == [
        "event 3 (Event:Photo walk 2099): the wiki does not show you its chat_url, so the row "
        "leaves it empty; apply keeps the wiki's value for an empty cell it could not see."
    ]


def test_the_listing_cap_is_said_plainly():
    _, log = exported(listed(3, capped=True), {3: EVENT})
    assert log.capped
    assert "any further events are missing from this export" in log.warnings[0]


def test_a_lost_wiki_stops_the_export():
    with pytest.raises(WikiUnreachable):
        exported(listed(3), {3: WikiUnreachable("gone")})


class Wiki:
    def __init__(self, user: dict):
        self.user = user

    def api_get(self, params: dict) -> dict:
        assert (params["list"], params["usprop"]) == ("users", "centralids")
        return {"query": {"users": [{"name": params["ususers"], **self.user}]}}


def test_an_organizers_central_id_prefers_centralauth():
    wiki = Wiki({"userid": 5, "centralids": {"CentralAuth": 9001, "local": 5}})
    assert organizer_central_id(wiki, "Ana") == 9001  # type: ignore[arg-type]
    assert organizer_central_id(Wiki({"centralids": {"local": 5}}), "Ana") == 5  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("user", "error", "status"),
    [
        ({"missing": True}, UserNotFoundError, 2),
        ({"invalid": True}, InputError, 2),
        ({"userid": 5, "centralids": {"CentralAuth": 0}}, NoCentralId, 3),
    ],
)
def test_an_organizer_without_a_central_id_is_named(user, error, status):
    with pytest.raises(error, match="Ana") as raised:
        organizer_central_id(Wiki(user), "Ana")  # type: ignore[arg-type]
    assert raised.value.exit_status == status
