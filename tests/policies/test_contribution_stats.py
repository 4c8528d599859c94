"""Contribution statistics: the server's rules (EventFactory) and gatebot's on/off/auto verdict."""

import pytest

from policies.contribution_stats import (
    DISALLOWED_COUNTRY,
    GOAL_REQUIRES_TRACKING,
    INVALID_COUNTRY,
    INVALID_TYPE,
    NO_WIKIS,
    decide,
    goal_problems,
    tracking_problems,
)
from policies.event_types import CONTRIBUTION_TYPE_IDS

DISALLOWED = {"BY": "Belarus", "TR": "Turkey", "AA": "Example Land"}
RULES = {"disallowed": DISALLOWED, "contribution_types": CONTRIBUTION_TYPE_IDS}

INVALID_TYPE_TEXT = (
    "Contribution statistics can only be enabled for events with the following types: "
    "Editing event, Media upload event, Backlog drive and Contest"
)


# The contribution-tracking cases of CampaignEvents' EventFactoryTest, plus gatebot's own.
@pytest.mark.parametrize(
    ("case", "types", "participation", "country", "wikis", "expected"),
    [
        ("in-person event in forbidden country", ["editing-event"], "in-person", "AA", ["aawiki"],
         DISALLOWED_COUNTRY),
        ("online event, successful", ["editing-event"], "online", None, ["aawiki"], None),
        ("hybrid event in allowed country, successful", ["editing-event"], "hybrid", "DE",
         ["aawiki"], None),
        ("community (non-contribution) event", ["conference"], "online", None, ["aawiki"],
         INVALID_TYPE),
        ('event of type "other"', ["other"], "online", None, ["aawiki"], INVALID_TYPE),
        ("multiple types, successful", ["conference", "editing-event"], "online", None, ["aawiki"],
         None),
        ("event with no wikis", ["conference", "editing-event"], "online", None, [], NO_WIKIS),
        ("all wikis count as wikis", ["contest"], "online", None, "*", None),
        ("all wikis as a list", ["contest"], "online", None, ["*"], None),
        ("country wins over type", ["meetup"], "hybrid", "BY", ["aawiki"], DISALLOWED_COUNTRY),
        ("type wins over wikis", ["meetup"], "online", None, [], INVALID_TYPE),
        ("online event never refused for its country", ["editing-event"], "online", "BY",
         ["aawiki"], None),
        ("country is matched against codes, not names", ["editing-event"], "hybrid", "Belarus",
         ["aawiki"], None),
    ],
)  # fmt: skip
def test_server_rules_in_server_order(case, types, participation, country, wikis, expected):
    problems = tracking_problems(types, country, wikis, participation=participation, **RULES)
    assert [p.code for p in problems] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("code", "message", "field"),
    [
        (DISALLOWED_COUNTRY, "Contribution statistics cannot be enabled for the selected country.",
         "country"),
        (INVALID_TYPE, INVALID_TYPE_TEXT, "types"),
        (NO_WIKIS, "Contribution statistics can only be enabled for events with at least one "
         "target wiki.", "wikis"),
    ],
)  # fmt: skip
def test_refusals_use_the_servers_exact_english_texts(code, message, field):
    cases = {
        DISALLOWED_COUNTRY: (["contest"], "BY", ["x"]),
        INVALID_TYPE: (["meetup"], None, ["x"]),
        NO_WIKIS: (["contest"], None, []),
    }
    types, country, wikis = cases[code]
    [problem] = tracking_problems(types, country, wikis, participation="hybrid", **RULES)
    assert (problem.code, problem.message, problem.field) == (code, message, field)


def test_type_list_in_the_message_follows_the_policy():
    [problem] = tracking_problems(
        ["meetup"], None, ["x"], participation="online", disallowed={},
        contribution_types=["editing-event", "contest"],
    )  # fmt: skip
    assert problem.message.endswith("following types: Editing event and Contest")


def verdict(requested="auto", **overrides):
    event = {"types": ["editing-event"], "participation": "hybrid", "country": "DE",
             "wikis": ["enwiki"]}  # fmt: skip
    event.update(overrides)
    return decide(requested, **event, **RULES)


def test_meetup_cannot_turn_on_statistics():
    result = verdict("on", types=["meetup"])
    assert result.enabled is False
    assert [e.code for e in result.errors] == [INVALID_TYPE]


def test_auto_turns_statistics_on_where_the_rules_allow():
    result = verdict("auto")
    assert (result.enabled, result.errors, result.notes) == (True, [], [])


def test_auto_in_a_disallowed_country_goes_ahead_with_statistics_off_and_says_why():
    result = verdict("auto", types=["meetup"], country="BY")
    assert result.enabled is False
    assert result.errors == []
    assert result.notes == [
        "Contribution statistics left off: Contribution statistics cannot be enabled for the "
        "selected country. (BY, Belarus)"
    ]


def test_on_in_a_disallowed_country_refuses_the_event():
    result = verdict("on", country="Turkey")
    assert result.enabled is False
    assert [(e.code, e.field) for e in result.errors] == [(DISALLOWED_COUNTRY, "country")]


def test_off_is_always_off():
    assert verdict("off", types=["meetup"], country="BY").enabled is False
    assert verdict("off").enabled is False


@pytest.mark.parametrize("country", ["by", "Belarus", " BY "])
def test_country_names_and_lower_case_codes_are_recognised(country):
    assert verdict("on", country=country).errors[0].code == DISALLOWED_COUNTRY


def test_unknown_country_is_an_error_naming_the_value():
    result = verdict("auto", country="Atlantis")
    assert result.enabled is None
    assert result.errors[0].code == INVALID_COUNTRY
    assert "'Atlantis'" in result.errors[0].message


def test_types_may_be_written_as_english_labels():
    assert verdict("on", types=["Editing event", "Meetup"]).enabled is True


def test_unknown_type_is_an_error():
    result = verdict("auto", types=["picnic"])
    assert result.enabled is None
    assert result.errors[0].message == "The following event types are not recognized: picnic."
    assert result.errors[0].code == "campaignevents-error-invalid-types"


def test_unknown_setting_is_an_error():
    result = verdict("maybe")
    assert result.enabled is None
    assert result.errors[0].field == "contribution_statistics"


def test_goal_with_statistics_off_is_an_error():
    result = verdict("off", has_goal=True)
    assert [e.code for e in result.errors] == [GOAL_REQUIRES_TRACKING]
    assert result.errors[0].message == (
        "You must turn on Contribution statistics in order to add an event goal."
    )
    refused_auto = verdict("auto", types=["meetup"], has_goal=True)
    assert [e.code for e in refused_auto.errors] == [GOAL_REQUIRES_TRACKING]
    assert verdict("auto", has_goal=True).errors == []
    assert goal_problems(True, None) == []
