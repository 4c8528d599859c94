"""The library and `events check` read the same values the same way: one normaliser for both."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import policies
from bot.events import check_rows
from bot.eventsfile import FileRow

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
ROW = {
    "event_page": "Event:WikiGap 2099/Lisbon",
    "timezone": "Europe/Lisbon",
    "start": "2099-03-06T10:00",
    "end": "2099-03-06T18:00",
}
STATS = {
    "types": "Editing event",
    "participation": "hybrid",
    "country": "PT",
    "wikis": "ptwiki",
    "contribution_statistics": "auto",
}

# Each case changes the statistics inputs of one valid event; both paths must agree on it.
CASES = [
    {},
    {"participation": "online and in person", "country": None},
    {"participation": "Online", "country": None},
    {"participation": "IN PERSON"},
    {"participation": "in_person"},
    {"participation": "inperson"},
    {"participation": ""},
    {"participation": "online", "country": "BY"},
    {"participation": "online"},
    {"participation": "hybrid", "country": None},
    {"contribution_statistics": "yes"},
    {"contribution_statistics": "no"},
    {"contribution_statistics": "true"},
    {"contribution_statistics": "1"},
    {"contribution_statistics": "ON"},
    {"contribution_statistics": True},
    {"contribution_statistics": False},
    {"contribution_statistics": ""},
    {"contribution_statistics": "on", "country": "BY"},
    {"contribution_statistics": "auto", "country": "Belarus"},
    {"contribution_statistics": "on", "types": "Meetup"},
    {"contribution_statistics": "on", "wikis": "none"},
    {"wikis": "*"},
    {"wikis": ""},
    {"wikis": "*;ptwiki"},
    {"types": "Editing event;editing-event"},
    {"types": "Edit-a-thon"},
    {"types": "contest;meetup;workshop"},
    {"types": "other;contest"},
    {"types": ""},
    {"types": "bac\u212alog drive"},
    {"country": "Atlantis"},
    {"country": "pt"},
]


def library_outcome(cells: dict) -> tuple:
    verdict = policies.load().contribution_stats(
        types=cells["types"],
        participation=cells["participation"],
        country=cells["country"],
        wikis=cells["wikis"],
        requested=cells["contribution_statistics"],
    )
    problems = [(e.field, e.code) for e in verdict.errors]
    return (None if problems else verdict.enabled), problems, verdict.notes


def row_outcome(cells: dict) -> tuple:
    values = {k: v for k, v in {**ROW, **cells}.items() if v is not None}
    [row] = check_rows([FileRow(2, values)], policies.load(), now=NOW)
    return row.contribution_statistics, [(e.field, e.code) for e in row.errors], row.notes


@pytest.mark.parametrize("change", CASES, ids=repr)
def test_library_and_events_row_give_the_same_outcome(change):
    cells = {**STATS, **change}
    assert library_outcome(cells) == row_outcome(cells)


def test_the_table_covers_accepted_refused_and_left_off():
    outcomes = [row_outcome({**STATS, **change}) for change in CASES]
    assert {True, False, None} <= {statistics for statistics, _, _ in outcomes}
    assert any(problems for _, problems, _ in outcomes)
    assert any(notes for _, _, notes in outcomes)
