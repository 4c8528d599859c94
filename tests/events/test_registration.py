"""EventFactory's checks offline: server keys, English texts and order (contract §5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from policies.registration import (
    PageFacts,
    RegistrationDraft,
    RegistrationRules,
    check_registration,
    is_valid_url,
    local_datetime,
    zone_for,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
RULES = RegistrationRules(
    disallowed_countries=frozenset({"BY", "TR"}),
    country_codes=frozenset({"PT", "BY", "TR", "DE"}),
    wikis=frozenset({"enwiki", "ptwiki", "commonswiki"}),
)
GOOD = RegistrationDraft(
    event_page="Event:WikiGap 2026/Lisbon",
    timezone="Europe/Lisbon",
    start_time="20261201100000",
    end_time="20261201180000",
    types=("editing-event",),
    wikis=("ptwiki",),
    tracks_contributions=True,
    online_meeting=False,
    inperson_meeting=True,
    meeting_country_code="PT",
    meeting_address="Praça do Comércio, Lisboa",
)


def codes(draft: RegistrationDraft, **kwargs) -> list[str]:
    options = {"now": NOW, "creating": True, **kwargs}
    return [p.code for p in check_registration(draft, RULES, **options)]


def test_a_complete_meetup_draft_has_no_problems():
    assert check_registration(GOOD, RULES, now=NOW, creating=True) == []


E = "campaignevents-error-"

# (row of contract §5, changes to the good draft, expected error keys in order)
ROWS = [
    (2, {"event_page": "   "}, [E + "empty-title"]),
    (3, {"event_page": "Event:A[b]"}, [E + "invalid-title"]),
    (3, {"event_page": "Event:"}, [E + "invalid-title"]),
    (5, {"event_page": "Special:Preferences"}, [E + "page-namespace-not-allowed"]),
    (6, {"event_page": "Event:WikiGap#Day 1"}, [E + "page-with-section"]),
    (8, {"event_page": "WikiGap 2026"}, [E + "page-namespace-not-allowed"]),
    (8, {"event_page": "User:Ana/WikiGap"}, [E + "page-namespace-not-allowed"]),
    (9, {"status": "draft"}, [E + "invalid-status"]),
    (10, {"timezone": "GMT+2"}, [E + "invalid-timezone"]),
    (10, {"timezone": "+2:00"}, [E + "invalid-timezone"]),
    (10, {"timezone": "+99:60"}, [E + "invalid-timezone"]),
    (11, {"start_time": ""}, [E + "empty-start"]),
    (12, {"start_time": "20260230100000"}, [E + "invalid-start"]),
    (12, {"start_time": "2026-12-01T10:00"}, [E + "invalid-start"]),
    (13, {"start_time": "20261101100000"}, [E + "start-past"]),
    (14, {"end_time": ""}, [E + "empty-end"]),
    (15, {"end_time": "20261301100000"}, [E + "invalid-end"]),
    (16, {"end_time": "20261201090000"}, [E + "start-after-end"]),
    (17, {"types": (), "tracks_contributions": False}, [E + "no-types"]),
    (18, {"types": ("editing-event", "contest", "workshop")}, [E + "too-many-types"]),
    (19, {"types": ("editing-event", "picnic")}, [E + "invalid-types"]),
    (20, {"types": ("editing-event", "other")}, [E + "invalid-other-selection"]),
    (21, {"wikis": tuple(f"w{i}" for i in range(101))},
     [E + "too-many-wikis", E + "invalid-wikis"]),
    (22, {"wikis": ("ptwiki", "xxwiki")}, [E + "invalid-wikis"]),
    (23, {"topics": ("africa", "asia", "europe", "art", "music", "history")},
     [E + "too-many-topics"]),
    (24, {"topics": ("africa", "cooking")}, [E + "invalid-topics"]),
    (25, {"inperson_meeting": False, "meeting_country_code": None},
     [E + "no-participation-options"]),
    (26, {"online_meeting": True, "meeting_url": "ftp://meet.example.org"},
     [E + "invalid-meeting-url"]),
    (27, {"meeting_url": "https://meet.example.org"}, [E + "meeting-url-not-online"]),
    (28, {"meeting_country_code": None}, [E + "invalid-country-code"]),
    (28, {"meeting_country_code": "XX"}, [E + "invalid-country-code"]),
    (29, {"meeting_address": "   "}, [E + "invalid-address"]),
    (30, {"online_meeting": True, "inperson_meeting": False},
     [E + "countryoraddress-not-in-person"]),
    (31, {"chat_url": "t.me/+lisbon"}, [E + "invalid-chat-url"]),
    (32, {"meeting_country_code": "BY"}, [E + "contribs-tracking-disallowed-country"]),
    (33, {"types": ("meetup",)}, [E + "contribs-tracking-invalid-type"]),
    (34, {"wikis": ()}, [E + "contribs-tracking-no-wikis"]),
    (35, {"goal_target": 10}, [E + "goal-type-required"]),
    (36, {"goal_type": "total_likes", "goal_target": 10}, [E + "goal-type-invalid"]),
    (37, {"goal_type": "total_edits"}, [E + "goal-target-required"]),
    (38, {"goal_type": "total_edits", "goal_target": 0}, [E + "goal-target-invalid"]),
    (39, {"goal_type": "total_edits", "goal_target": 10, "tracks_contributions": False},
     [E + "goal-requires-contribution-tracking"]),
    (40, {"tracking_tool_id": "wikimedia-pe-dashboard"}, [E + "trackingtool-without-eventid"]),
    (41, {"tracking_tool_event_id": "Org/Course"}, [E + "trackingtool-eventid-without-toolid"]),
    (42, {"tracking_tool_id": "dashboard", "tracking_tool_event_id": "Org/Course"},
     [E + "invalid-trackingtool"]),
]  # fmt: skip


@pytest.mark.parametrize(("row", "changes", "expected"), ROWS, ids=[f"row{r[0]}" for r in ROWS])
def test_each_server_check_reports_its_own_key(row, changes, expected):
    assert codes(replace(GOOD, **changes)) == expected


def test_messages_are_the_servers_english_texts():
    draft = replace(
        GOOD, types=("meetup", "picnic"), topics=("cooking",), meeting_country_code="XX"
    )
    messages = [p.message for p in check_registration(draft, RULES, now=NOW, creating=True)]
    assert messages == [
        "The following event types are not recognized: picnic.",
        "The following topics are not recognized: cooking.",
        "Enter a valid country code.",
        "Contribution statistics can only be enabled for events with the following types: "
        "Editing event, Media upload event, Backlog drive and Contest",
    ]


def test_invalid_title_names_the_cores_reason():
    [found] = check_registration(
        replace(GOOD, event_page="Event:A|B"), RULES, now=NOW, creating=True
    )
    assert found.message == (
        "The event page title is invalid: The requested page title contains invalid characters: "
        '"|"..'
    )
    assert found.field == "event_page"


def test_meetup_in_belarus_with_statistics_reports_the_country_first():
    draft = replace(GOOD, types=("meetup",), meeting_country_code="BY", wikis=())
    assert codes(draft) == [E + "contribs-tracking-disallowed-country"]


def test_online_event_in_no_country_is_not_refused_for_its_country():
    draft = replace(
        GOOD,
        online_meeting=True,
        inperson_meeting=False,
        meeting_country_code=None,
        meeting_address=None,
    )
    assert codes(draft) == []


def test_problems_follow_the_servers_order_across_sections():
    draft = replace(
        GOOD,
        event_page="WikiGap",
        timezone="Mars/Olympus",
        types=("x",),
        chat_url="nope",
        tracking_tool_event_id="c",
    )
    assert codes(draft) == [
        E + "page-namespace-not-allowed",
        E + "invalid-timezone",
        E + "invalid-types",
        E + "invalid-chat-url",
        E + "contribs-tracking-invalid-type",
        E + "trackingtool-eventid-without-toolid",
    ]


def test_invalid_timezone_skips_the_date_checks_like_the_server():
    draft = replace(GOOD, timezone="Nowhere", start_time="", end_time="x")
    assert codes(draft) == [E + "invalid-timezone"]


def test_updates_skip_the_start_in_the_past_and_need_a_status():
    past = replace(GOOD, start_time="20200101100000")
    assert codes(past, creating=False) == [E + "invalid-status"]
    assert codes(replace(past, status="closed"), creating=False) == []


def test_start_in_the_past_is_measured_in_the_events_zone():
    # 12:30 in Lisbon (UTC+0 in November) vs 12:30 in Tokyo (03:30 UTC, before NOW).
    soon = replace(GOOD, start_time="20261122123000", end_time="20261122130000")
    assert codes(soon) == []
    assert codes(replace(soon, timezone="Asia/Tokyo")) == [E + "start-past"]
    assert codes(soon, now=None) == []


def test_duplicate_types_are_collapsed_before_counting():
    assert codes(replace(GOOD, types=("contest", "contest", "contest"))) == []


def test_all_wikis_is_fine_even_when_wikis_are_unknown_offline():
    assert codes(replace(GOOD, wikis=("*",))) == []
    assert codes(
        replace(GOOD, wikis=("anywiki",)),
    ) == [E + "invalid-wikis"]
    offline = RegistrationRules(disallowed_countries=frozenset({"BY"}))
    assert (
        check_registration(replace(GOOD, wikis=("anywiki",)), offline, now=NOW, creating=True) == []
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (PageFacts(exists=False, namespace=1728), [E + "page-not-found"]),
        (PageFacts(exists=True, namespace=0), [E + "page-namespace-not-allowed"]),
        (PageFacts(exists=True, namespace=1728, interwiki=True), [E + "invalid-title-interwiki"]),
        (PageFacts(exists=True, namespace=4), []),
    ],
)
def test_page_facts_from_the_wiki_decide_existence_and_namespace(facts, expected):
    assert codes(GOOD, page=facts) == expected


def test_unchanged_page_on_update_skips_the_namespace_check():
    draft = replace(GOOD, event_page="WikiGap 2026", status="open")
    assert codes(draft, creating=False) == [E + "page-namespace-not-allowed"]
    assert codes(draft, creating=False, previous_event_page="WikiGap_2026") == []


def test_project_namespace_names_are_recognised():
    assert codes(replace(GOOD, event_page="Wikipedia:WikiGap 2026")) == []
    assert codes(replace(GOOD, event_page="project:WikiGap 2026")) == []


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://meet.example.org/room", True),
        ("  http://meet.example.org  ", True),
        ("//meet.example.org/x", True),
        ("HTTPS://bücher.example/x", True),
        ("ftp://meet.example.org", False),
        ("https://", False),
        ("meet.example.org", False),
        ("https://exa mple.org", False),
        ("javascript:alert(1)", False),
    ],
)
def test_url_rule_matches_the_server(url, valid):
    assert is_valid_url(url) is valid


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/Lisbon", True),
        ("europe/lisbon", True),
        ("UTC", True),
        ("+05:30", True),
        ("-12:00", True),
        ("+2", False),
        ("+02:00:00", False),
        ("GMT+2", False),
        ("+99:60", False),
        ("", False),
        ("Mars/Olympus", False),
    ],
)
def test_time_zone_rule(name, valid):
    assert (zone_for(name) is not None) is valid


def test_now_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        check_registration(GOOD, RULES, now=datetime(2026, 1, 1), creating=True)


@pytest.mark.parametrize(
    ("check", "value"),
    [(zone_for, "+٠١:٠٠"), (zone_for, "+０１:００"), (zone_for, "Asia/\u212aolkata"),
     (local_datetime, "٢٠٢٧٠٣٠٦١٠٠٠٠٠"), (local_datetime, "２０２７0306100000")],
)  # fmt: skip
def test_the_servers_forms_take_ascii_digits_and_names_only_as_php_does(check, value):
    assert check(value) is None


def test_a_url_port_in_other_digits_is_not_a_port():
    assert is_valid_url("https://meet.example.org:443/x")
    assert not is_valid_url("https://meet.example.org:٤٤٣/x")
