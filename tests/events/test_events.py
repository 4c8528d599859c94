"""The row checker: rows sharing everything but page and free text still get their own verdicts."""

from __future__ import annotations

from datetime import datetime, timezone

import policies
from bot.events import RowChecker, check_file, check_rows
from bot.eventsfile import FileRow
from bot.report import encode_row
from policies.registration import PageFacts

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
BASE = {
    "event_page": "Event:WikiGap 2099/Online",
    "timezone": "UTC",
    "start": "2099-03-08T09:00",
    "end": "2099-03-08T21:00",
    "types": "editing-event",
    "wikis": "*",
    "participation": "online",
    "contribution_statistics": "on",
}


def check(*rows: dict) -> list:
    file_rows = [FileRow(number, values) for number, values in enumerate(rows, 2)]
    return list(check_rows(file_rows, policies.load(), now=NOW))


def codes(checked) -> list[str]:
    return [problem.code for problem in checked.errors]


def test_rows_of_one_shape_keep_their_own_page_url_and_address():
    first, second, third, fourth = check(
        {**BASE, "meeting_url": "https://meet.example.org/a"},
        {**BASE, "event_page": "WikiGap 2099", "meeting_url": "https://meet.example.org/b"},
        {**BASE, "event_page": "Event:WikiGap 2099/Three", "meeting_url": "not a url"},
        {**BASE, "event_page": "Event:WikiGap 2099/Four", "address": "Rua Garrett 120"},
    )
    assert first.ok and first.draft.meeting_url == "https://meet.example.org/a"
    assert codes(second) == ["campaignevents-error-page-namespace-not-allowed"]
    assert second.draft.meeting_url == "https://meet.example.org/b"
    assert codes(third) == ["campaignevents-error-invalid-meeting-url"]
    assert codes(fourth) == ["campaignevents-error-countryoraddress-not-in-person"]
    assert fourth.draft.meeting_address == "Rua Garrett 120"


def test_row_problems_come_first_then_the_servers_order():
    [row] = check({**BASE, "event_page": "", "event_id": "x", "timezone": "Nowhere",
                   "chat_url": "nope"})  # fmt: skip
    assert codes(row) == [
        "campaignevents-error-empty-title",
        "campaignevents-error-invalid-id",
        "campaignevents-error-invalid-timezone",
        "campaignevents-error-invalid-chat-url",
    ]


def test_json_true_and_1_are_different_goal_targets():
    goal = {**BASE, "goal_type": "total_edits"}
    number, boolean = check({**goal, "goal_target": 1}, {**goal, "goal_target": True,
                                                          "event_page": "Event:Other"})  # fmt: skip
    assert number.ok and number.draft.goal_target == 1
    assert codes(boolean) == ["campaignevents-error-goal-target-invalid"]


def test_updates_skip_the_past_check_and_keep_the_event_id():
    past = {**BASE, "start": "2001-03-08T09:00", "end": "2001-03-08T21:00"}
    new, update = check(past, {**past, "event_page": "Event:Old", "event_id": "42"})
    assert codes(new) == ["campaignevents-error-start-past"]
    assert update.ok and update.event_id == 42


def test_page_facts_from_a_wiki_are_checked_per_row():
    checker = RowChecker(policies.load(), now=NOW)
    row = FileRow(2, BASE)
    assert checker.check(row, PageFacts(exists=True, namespace=1728)).ok
    missing = checker.check(row, PageFacts(exists=False))
    assert codes(missing) == ["campaignevents-error-page-not-found"]


def test_report_row_shape_for_plan_and_apply():
    [row] = check(BASE)
    assert row.report(action="create") == {
        "row": 2, "event_page": "Event:WikiGap 2099/Online", "ok": True,
        "contribution_statistics": True, "errors": [], "notes": [], "action": "create",
    }  # fmt: skip


def test_ready_made_json_of_a_row_is_what_its_report_encodes_to():
    rows = check(
        BASE,
        {**BASE, "event_page": 'Event:Ünïcode "quoted" 2099'},
        {**BASE, "event_page": ""},
        {**BASE, "event_page": "Talk:Not an event"},
        {**BASE, "event_id": "x"},
        {**BASE, "participation": "hybrid", "country": "Turkey", "address": "Beyoğlu"},
        {**BASE, "types": "Meetup"},
    )
    assert len({row.report_json() for row in rows}) == len(rows)
    for row in rows:
        assert row.report_json() == encode_row(row.report())


def test_a_local_time_in_the_dst_gap_is_refused_with_its_column():
    [row] = check({**BASE, "timezone": "Europe/Lisbon", "start": "2027-03-28T01:30",
                   "end": "2027-03-28T05:00"})  # fmt: skip
    assert [(p.field, p.code) for p in row.errors] == [
        ("start", "gatebot-time-skipped-by-clock-change")
    ]


def test_spellings_of_one_page_are_duplicates_and_the_folded_page_is_sent(tmp_path):
    path = tmp_path / "events.csv"
    lines = ["event_page,timezone,start,end,types,wikis,participation"]
    for page in ("Event:WikiGap 2099_Online", "event:WikiGap\u00a02099 Online",
                 "Event:WikiGap\u3000 2099 Online"):  # fmt: skip
        lines.append(f"{page},UTC,2099-03-08T09:00,2099-03-08T21:00,editing-event,*,online")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, *repeats = check_file(path, policies.load(), now=NOW)
    assert first.ok and first.draft.event_page == "Event:WikiGap 2099 Online"
    assert first.report()["event_page"] == "Event:WikiGap 2099 Online"
    for row in repeats:
        assert codes(row) == ["gatebot-duplicate-event-page"]
        assert row.event_page == "Event:WikiGap 2099 Online"


def test_a_title_too_long_only_with_its_prefix_is_fine():
    [fits] = check({**BASE, "event_page": "Event:" + "a" * 255})
    [too_long] = check({**BASE, "event_page": "Event:" + "a" * 256})
    assert fits.ok
    assert codes(too_long) == ["campaignevents-error-invalid-title"]
