"""Row normalisation: the forms people write become exactly what the API takes, or a clear no."""

from __future__ import annotations

import pytest

from bot.events.row import normalise
from policies.localtime import parse_local_time

BASE = {
    "event_page": "Event:WikiGap 2027/Lisbon",
    "timezone": "Europe/Lisbon",
    "start": "2027-03-06T10:00",
    "end": "2027-03-06T18:00",
    "types": "Editing event",
    "wikis": "ptwiki",
    "participation": "in-person",
    "country": "Portugal",
}


def row(**changes):
    values = {**BASE, **changes}
    return normalise(7, {k: v for k, v in values.items() if v is not None})


def codes(result) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in result.errors]


def test_a_spreadsheet_row_becomes_the_api_body():
    result = row(topics="Women;TV and film", address=" Campo Grande 83 ", test_event="TRUE")
    assert result.errors == []
    draft = result.draft()
    assert (draft.start_time, draft.end_time) == ("20270306100000", "20270306180000")
    assert draft.types == ("editing-event",)
    assert draft.wikis == ("ptwiki",)
    assert draft.topics == ("women", "tv-and-film")
    assert (draft.online_meeting, draft.inperson_meeting) == (False, True)
    assert draft.meeting_country_code == "PT"
    assert draft.meeting_address == "Campo Grande 83"
    assert draft.is_test_event is True
    assert result.requested == "auto"


@pytest.mark.parametrize(
    ("written", "stamp"),
    [
        ("2027-03-06T10:00", "20270306100000"),
        ("2027-03-06 10:00:30", "20270306100030"),
        ("2027-3-6T9:05", "20270306090500"),
        ("20270306100000", "20270306100000"),
    ],
)
def test_local_times_in_iso_or_14_digits(written, stamp):
    assert parse_local_time(written) == (stamp, None)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2026-02-30T10:00", "it is not a real date and time (day is out of range for month)"),
        ("2026-13-01T10:00", "it is not a real date and time (month must be in 1..12)"),
        ("20260230100000", "it is not a real date and time (day is out of range for month)"),
        ("2026-12-01T10:00+02:00",
         "give the local time without an offset (the timezone column says where)"),
        ("2026-12-01T10:00Z",
         "give the local time without an offset (the timezone column says where)"),
        ("next Tuesday", "write it as 2026-12-01T10:00 or 20261201100000 (local time)"),
        ("2027-03-06", "give the time of day too, e.g. 2026-12-01T10:00"),
        ("٢٠٢٧-03-06T10:00", "write it as 2026-12-01T10:00 or 20261201100000 (local time)"),
        ("２０２７0306100000", "write it as 2026-12-01T10:00 or 20261201100000 (local time)"),
    ],
)  # fmt: skip
def test_impossible_or_ambiguous_times_are_refused(written, reason):
    assert parse_local_time(written) == (None, reason)


def test_30_february_is_refused_with_the_column_and_the_value():
    result = row(start="2027-02-30T10:00")
    [problem] = result.errors
    assert (problem.field, problem.code) == ("start", "campaignevents-error-invalid-start")
    assert problem.message == (
        "The start time '2027-02-30T10:00' is not valid: it is not a real date and time "
        "(day is out of range for month)."
    )


def test_empty_dates_are_refused_because_the_wiki_would_use_now():
    result = row(start=None, end="")
    assert codes(result) == [
        ("start", "campaignevents-error-empty-start"),
        ("end", "campaignevents-error-empty-end"),
    ]
    assert "would silently use the current time" in result.errors[0].message


@pytest.mark.parametrize("zone", ["GMT+2", "+99:59", "+24:00", "Mars/Olympus", "+2"])
def test_time_zones_python_cannot_represent_are_refused(zone):
    assert codes(row(timezone=zone)) == [("timezone", "campaignevents-error-invalid-timezone")]


@pytest.mark.parametrize("zone", ["europe/lisbon", "UTC", "+05:30", "-03:00", "+14:00"])
def test_time_zones_gatebot_accepts(zone):
    assert row(timezone=zone).errors == []


def test_types_by_label_any_case_duplicates_removed_with_a_note():
    result = row(types="CONTEST;Editing event;contest")
    assert result.draft().types == ("editing-event", "contest")
    assert result.notes == ["duplicate type 'contest' removed."]


def test_unknown_types_are_kept_for_the_servers_message():
    assert row(types="Editing event;Edit-a-thon").draft().types == ("editing-event", "Edit-a-thon")


def test_lists_from_json_and_yaml_are_lists():
    result = row(types=["contest"], wikis=["enwiki", "commonswiki"], topics=["Africa"])
    assert result.draft().types == ("contest",)
    assert result.draft().wikis == ("enwiki", "commonswiki")
    assert result.draft().topics == ("africa",)


@pytest.mark.parametrize(
    ("wikis", "expected"), [("*", ("*",)), ("none", ()), ([], ()), ("enwiki; enwiki", ("enwiki",))]
)
def test_wikis_all_none_or_listed(wikis, expected):
    assert row(wikis=wikis).draft().wikis == expected


def test_missing_wikis_and_star_mixed_with_wikis_are_refused():
    assert codes(row(wikis=None)) == [("wikis", "gatebot-missing-wikis")]
    assert codes(row(wikis="*;enwiki")) == [("wikis", "gatebot-all-wikis-mixed")]


@pytest.mark.parametrize(
    ("written", "booleans"),
    [("online", (True, False)), ("In person", (False, True)), ("HYBRID", (True, True))],
)
def test_participation_becomes_the_two_booleans(written, booleans):
    draft = row(participation=written, country=None if booleans == (True, False) else "PT").draft()
    assert (draft.online_meeting, draft.inperson_meeting) == booleans


def test_unknown_participation_names_the_choices():
    [problem] = row(participation="on site").errors
    assert (
        problem.message
        == "'on site' is not a participation option; write online, in-person or hybrid."
    )


def test_country_names_become_codes_and_unknown_countries_are_named():
    assert row(country="türkiye").draft().meeting_country_code == "TR"
    [problem] = row(country="Atlantis").errors
    assert (problem.field, problem.code) == ("country", "campaignevents-error-invalid-country-code")
    assert problem.message.startswith("'Atlantis' is not a country code or English country name")


@pytest.mark.parametrize(
    ("cells", "fields"),
    [({"country": "Russia"}, ["country"]), ({"address": "Rua Garrett 120"}, ["address"]),
     ({"country": "PT", "address": "Rua Garrett 120"}, ["country", "address"])],
)  # fmt: skip
def test_online_event_with_a_country_or_address_is_refused_as_the_wiki_refuses_it(cells, fields):
    result = row(participation="online", **{"country": None, **cells})
    assert codes(result) == [(f, "campaignevents-error-countryoraddress-not-in-person")
                             for f in fields]  # fmt: skip
    assert result.statistics is None


def test_in_person_event_without_a_country_is_refused():
    assert codes(row(country=None)) == [("country", "campaignevents-error-invalid-country-code")]


def test_an_address_the_wiki_would_cut_is_refused():
    result = row(address="x" * 8193)
    assert codes(result) == [("address", "gatebot-address-too-long")]
    assert row(address="é" * 4096).errors == []


def test_a_list_where_text_belongs_is_refused_not_dropped():
    assert codes(row(address=["a", "b"])) == [("address", "gatebot-invalid-address")]


@pytest.mark.parametrize(
    ("written", "setting"), [(None, "auto"), ("ON", "on"), ("off", "off"), (True, "on"),
                             (False, "off"), ("auto", "auto")],
)  # fmt: skip
def test_contribution_statistics_setting(written, setting):
    assert row(contribution_statistics=written).requested == setting


@pytest.mark.parametrize("written", ["yes", "no", "true", "1", 1, "y"])
def test_contribution_statistics_words_other_than_on_off_auto_are_refused(written):
    [problem] = row(contribution_statistics=written).errors
    assert problem.code == "gatebot-invalid-contribution-statistics"
    assert "write on, off or auto" in problem.message


@pytest.mark.parametrize(
    ("written", "flag"), [(None, False), ("true", True), ("FALSE", False), (True, True)]
)
def test_test_event_is_true_or_false(written, flag):
    assert row(test_event=written).draft().is_test_event is flag


@pytest.mark.parametrize("written", ["yes", "no", "1", "0", 1, "y"])
def test_test_event_words_other_than_true_false_are_refused(written):
    assert codes(row(test_event=written)) == [("test_event", "gatebot-invalid-test-event")]


@pytest.mark.parametrize("written", ["²", "١٢", "１２", "12.0", "+-1", "9" * 20, True])
def test_event_ids_need_the_digits_0_to_9(written):
    assert codes(row(event_id=written)) == [("event_id", "campaignevents-error-invalid-id")]


@pytest.mark.parametrize("written", ["٢٠٠", "²", "1" * 5000])
def test_goal_targets_need_the_digits_0_to_9(written):
    result = row(goal_type="total_edits", goal_target=written)
    assert codes(result) == [("goal_target", "campaignevents-error-goal-target-invalid")]


def test_bad_settings_flags_and_numbers_are_row_errors():
    result = row(
        contribution_statistics="maybe", test_event="perhaps", goal_target="ten", event_id="-3"
    )
    assert codes(result) == [
        ("event_id", "campaignevents-error-invalid-id"),
        ("contribution_statistics", "gatebot-invalid-contribution-statistics"),
        ("test_event", "gatebot-invalid-test-event"),
        ("goal_target", "campaignevents-error-goal-target-invalid"),
    ]


def test_goal_tool_and_status_pass_through():
    result = row(
        goal_type="total_edits",
        goal_target="200",
        tracking_tool_id="wikimedia-pe-dashboard",
        tracking_tool_event_id="Org/Course",
        status="Closed",
        event_id="42",
    )
    draft = result.draft()
    assert (draft.goal_type, draft.goal_target) == ("total_edits", 200)
    assert (draft.tracking_tool_id, draft.tracking_tool_event_id) == (
        "wikimedia-pe-dashboard",
        "Org/Course",
    )
    assert draft.status == "closed"
    assert result.event_id == 42


def test_empty_event_page_is_the_servers_empty_title():
    assert codes(row(event_page="  ")) == [("event_page", "campaignevents-error-empty-title")]
