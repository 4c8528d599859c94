"""Rows and registrations, both ways: what a checked row sends is what exporting it writes back."""

from __future__ import annotations

from dataclasses import replace

import pytest

import policies
from bot.campaignevents import NOT_SHOWN, Registration, changed_fields
from bot.events import RowChecker
from bot.events.mapping import (
    hidden_fields,
    local_time_text,
    registration_from_draft,
    row_from_registration,
)
from bot.eventsfile import FileRow

BASE = {
    "timezone": "Europe/Lisbon",
    "start": "2099-03-06T10:00",
    "end": "2099-03-06T18:00",
    "types": "Editing event",
    "wikis": "ptwiki",
}
ROWS = {
    "hybrid": {
        **BASE, "event_page": "Event:WikiGap 2099/Lisbon", "participation": "hybrid",
        "country": "Portugal", "address": "Praça do Comércio, Lisboa",
        "meeting_url": "https://meet.example.org/wikigap", "types": "Editing event;Workshop",
    },
    "online with URL and chat": {
        **BASE, "event_page": "Event:Online edit-a-thon", "participation": "online",
        "meeting_url": "https://meet.example.org/a", "chat_url": "https://t.me/+wikigap",
        "timezone": "+05:30", "start": "2099-01-01T00:00:30",
    },
    "in person, statistics off": {
        **BASE, "event_page": "Event:Photo walk", "participation": "in-person", "country": "DE",
        "address": "Alexanderplatz 1, Berlin", "types": "media-upload-event",
        "contribution_statistics": "off", "wikis": "commonswiki;dewiki",
    },
    "all wikis, topics, goal": {
        **BASE, "event_page": "Project:Backlog drive 2099", "participation": "online",
        "wikis": "*", "topics": "Women;TV and film;history", "types": "backlog-drive",
        "contribution_statistics": "on", "goal_type": "total_edits", "goal_target": "200",
    },
    "tracking tool, test event, closed": {
        **BASE, "event_page": "Event:Contest 2099", "participation": "online", "types": "contest",
        "tracking_tool_id": "wikimedia-pe-dashboard", "tracking_tool_event_id": "Org/Contest_2099",
        "test_event": "true", "status": "closed", "event_id": "41",
    },
    "meetup, no specific wikis": {
        **BASE, "event_page": "Event:Meetup 2099", "participation": "in-person", "country": "PT",
        "types": "Meetup", "wikis": "none", "status": "open",
    },
}  # fmt: skip


def checked(cells: dict):
    result = RowChecker(policies.load(), now=None).check(FileRow(2, cells))
    assert result.errors == []
    return result


@pytest.mark.parametrize("cells", ROWS.values(), ids=ROWS.keys())
def test_export_of_a_row_reads_back_as_the_same_draft(cells):
    first = checked({"status": "open", "event_id": "7", **cells})
    registration = registration_from_draft(first.draft)
    exported = row_from_registration(replace(registration, id=first.event_id))
    again = checked(exported)
    assert again.draft == first.draft
    assert again.event_id == first.event_id
    assert changed_fields(registration, registration_from_draft(again.draft)) == ()


def test_a_hybrid_row_means_this_registration():
    reg = registration_from_draft(checked(ROWS["hybrid"]).draft)
    assert reg.to_body(update=False) == {
        "event_page": "Event:WikiGap 2099/Lisbon",
        "timezone": "Europe/Lisbon",
        "start_time": "20990306100000",
        "end_time": "20990306180000",
        "types": ["editing-event", "workshop"],
        "wikis": ["ptwiki"],
        "online_meeting": True,
        "inperson_meeting": True,
        "meeting_url": "https://meet.example.org/wikigap",
        "meeting_country_code": "PT",
        "meeting_address": "Praça do Comércio, Lisboa",
        "is_test_event": False,
        "tracks_contributions": True,
    }
    assert reg.status == "open"


def test_exported_cells_are_as_people_write_them():
    reg = registration_from_draft(checked(ROWS["all wikis, topics, goal"]).draft)
    row = row_from_registration(replace(reg, id=12))
    assert row["event_id"] == 12
    assert (row["start"], row["end"]) == ("2099-03-06T10:00", "2099-03-06T18:00")
    assert row["wikis"] == ["*"]
    assert row["topics"] == ["women", "tv-and-film", "history"]
    assert row["participation"] == "online"
    assert row["contribution_statistics"] == "on"
    assert (row["goal_type"], row["goal_target"]) == ("total_edits", 200)
    assert local_time_text("20990101000030") == "2099-01-01T00:00:30"


def server(**changes) -> Registration:
    reg = registration_from_draft(checked(ROWS["online with URL and chat"]).draft)
    return replace(reg, id=5, status="closed", **changes)


def test_an_update_row_without_status_keeps_the_wikis_status():
    cells = {k: v for k, v in ROWS["online with URL and chat"].items() if k != "status"}
    draft = checked(cells).draft
    assert registration_from_draft(draft).status == "open"
    assert registration_from_draft(draft, current=server()).status == "closed"
    assert registration_from_draft(draft, current=server()).id == 5


def test_a_url_the_wiki_hid_is_exported_empty_and_never_wiped_on_the_way_back():
    current = server(meeting_url=NOT_SHOWN, chat_url=NOT_SHOWN)
    row = row_from_registration(current)
    assert (row["meeting_url"], row["chat_url"]) == (None, None)
    assert hidden_fields(current) == ["meeting_url", "chat_url"]
    back = registration_from_draft(checked(row).draft, current=current)
    assert (back.meeting_url, back.chat_url) == (NOT_SHOWN, NOT_SHOWN)
    assert changed_fields(current, back) == ()


def test_a_url_the_row_gives_replaces_a_hidden_one():
    current = server(meeting_url=NOT_SHOWN)
    draft = checked(ROWS["online with URL and chat"]).draft
    assert registration_from_draft(draft, current=current).meeting_url == (
        "https://meet.example.org/a"
    )


def test_statistics_an_older_wiki_did_not_report_are_exported_as_auto():
    row = row_from_registration(server(tracks_contributions=None))
    assert row["contribution_statistics"] is None
    assert checked(row).draft.tracks_contributions is True
