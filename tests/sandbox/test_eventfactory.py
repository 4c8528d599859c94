"""The sandbox's own EventFactory against contract campaignevents §5 (keys, English texts, order)
and §2.2/§3, row by row, on the contract's create example (§1.2); and its independence from the
client's `policies`, so that an end-to-end test compares two readings of the contract."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import ce_vocabulary as vocab
from bot.sandbox.config import load_config
from bot.sandbox.eventfactory import Facts, first_refusal
from tests.sandbox.helpers import fixture

SANDBOX = Path(__file__).resolve().parents[2] / "bot" / "sandbox"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
# Every body field of §1.1, None when omitted, as the parameter layer hands them on.
FIELDS = (
    "event_page", "timezone", "start_time", "end_time", "types", "wikis", "topics",
    "online_meeting", "inperson_meeting", "meeting_url", "meeting_country_code",
    "meeting_address", "chat_url", "is_test_event", "tracks_contributions", "goal_type",
    "goal_target", "tracking_tool_id", "tracking_tool_event_id",
)  # fmt: skip
ONLINE = {"online_meeting": True, "inperson_meeting": False}
NO_GOAL = {"goal_type": None, "goal_target": None}
TRACKING_TYPES = "Editing event, Media upload event, Backlog drive and Contest"

# (what changes in the contract's example, key, English text) — texts copied from §5 and §2.4.
ROWS: list[tuple[dict[str, Any], str, str]] = [
    ({"event_page": "  "}, "campaignevents-error-empty-title", "Enter an event page title."),
    # `$1.` with core's own sentence as $1: the server really ends these with two periods.
    ({"event_page": "Event:A|B"}, "campaignevents-error-invalid-title",
     'The event page title is invalid: The requested page title contains invalid characters: '
     '"|"..'),
    ({"event_page": "Event:../x"}, "campaignevents-error-invalid-title",
     "The event page title is invalid: Title has relative path. Relative page titles (./, ../) "
     "are invalid, because they will often be unreachable when handled by user's browser.."),
    ({"event_page": "Special:Walk"}, "campaignevents-error-page-namespace-not-allowed",
     "The event page must be in one of the permitted namespaces"),
    ({"event_page": "Event:Lisbon Photo Walk 2026#Day 1"},
     "campaignevents-error-page-with-section", "The event page must not contain a section name."),
    ({"event_page": "Event:Nowhere"}, "campaignevents-error-page-not-found",
     "There is no event page with this name."),
    ({"event_page": "Talk:Lisbon Photo Walk 2026"},
     "campaignevents-error-page-namespace-not-allowed",
     "The event page must be in one of the permitted namespaces"),
    ({"timezone": "+2:00"}, "campaignevents-error-invalid-timezone", "Enter a valid timezone."),
    ({"timezone": "Mars/Base"}, "campaignevents-error-invalid-timezone",
     "Enter a valid timezone."),
    ({"start_time": "20261010090000"}, "campaignevents-error-start-past",
     "Enter a start time in the future."),
    ({"end_time": "20271010080000"}, "campaignevents-error-start-after-end",
     "Enter an end date that comes after the start date."),
    ({"types": []}, "campaignevents-error-no-types", "Enter at least one type"),
    ({"types": ["contest", "meetup", "workshop"]}, "campaignevents-error-too-many-types",
     "Enter a maximum of 2 event types."),
    ({"types": ["picnic"]}, "campaignevents-error-invalid-types",
     "The following event types are not recognized: picnic."),
    ({"types": ["other", "contest"]}, "campaignevents-error-invalid-other-selection",
     "You cannot choose 'Other' along with other event types. Please choose only 'Other' or "
     "remove it to choose other options."),
    ({"wikis": ["commonswiki", "xxwiki"]}, "campaignevents-error-invalid-wikis",
     "The following wiki IDs are not recognized: xxwiki."),
    ({"topics": ["africa", "asia", "art", "music", "sports", "women"]},
     "campaignevents-error-too-many-topics", "Enter a maximum of 5 topics."),
    ({"online_meeting": False, "inperson_meeting": False},
     "campaignevents-error-no-participation-options",
     "Choose at least one participation option."),
    ({**ONLINE, "meeting_url": "ftp://example.org", "meeting_country_code": None,
      "meeting_address": None},
     "campaignevents-error-invalid-meeting-url", "Enter a valid event meeting URL."),
    ({"meeting_url": "https://meet.example.org"}, "campaignevents-error-meeting-url-not-online",
     "The meeting URL must not be specified if the event is not online."),
    ({"meeting_country_code": None}, "campaignevents-error-invalid-country-code",
     "Enter a valid country code."),
    ({"meeting_address": "   "}, "campaignevents-error-invalid-address",
     "Enter a valid address."),
    # The case: "online" next to a (disallowed) country is refused, not quietly fixed.
    ({**ONLINE, "meeting_country_code": "BY", "meeting_address": None},
     "campaignevents-error-countryoraddress-not-in-person",
     "The meeting country and address must not be specified if the event is not in-person."),
    ({"chat_url": "javascript:alert(1)"}, "campaignevents-error-invalid-chat-url",
     "Enter a valid chat URL."),
    ({"meeting_country_code": "BY"},
     "campaignevents-error-contribs-tracking-disallowed-country",
     "Contribution statistics cannot be enabled for the selected country."),
    # §10: a disallowed country and a non-contribution type report the country.
    ({"meeting_country_code": "BY", "types": ["meetup"]},
     "campaignevents-error-contribs-tracking-disallowed-country",
     "Contribution statistics cannot be enabled for the selected country."),
    ({"types": ["meetup"]}, "campaignevents-error-contribs-tracking-invalid-type",
     f"Contribution statistics can only be enabled for events with the following types: "
     f"{TRACKING_TYPES}"),
    ({"wikis": []}, "campaignevents-error-contribs-tracking-no-wikis",
     "Contribution statistics can only be enabled for events with at least one target wiki."),
    ({"goal_type": None}, "campaignevents-error-goal-type-required",
     "You must add a goal metric and target number in order to save an event goal."),
    ({"goal_type": "total_smiles"}, "campaignevents-error-goal-type-invalid",
     "You must choose a valid goal metric."),
    ({"goal_target": None}, "campaignevents-error-goal-target-required",
     "You must add a goal metric and target number in order to save an event goal."),
    ({"goal_target": 0}, "campaignevents-error-goal-target-invalid",
     "Goal target number must be a positive number."),
    ({"tracks_contributions": False},
     "campaignevents-error-goal-requires-contribution-tracking",
     "You must turn on Contribution statistics in order to add an event goal."),
    ({"tracking_tool_id": "wikimedia-pe-dashboard"},
     "campaignevents-error-trackingtool-without-eventid",
     "Provide the identifier of the event on the given tracking tool."),
    ({"tracking_tool_event_id": "Org/Course"},
     "campaignevents-error-trackingtool-eventid-without-toolid",
     "Provide the identifier of the tracking tool"),
    ({"tracking_tool_id": "spreadsheet", "tracking_tool_event_id": "x"},
     "campaignevents-error-invalid-trackingtool", "Provide a valid tracking tool identifier"),
]  # fmt: skip


def body(**changes: Any) -> dict[str, Any]:
    """The contract's create example, a year later, as the parameter layer passes it on."""
    example = fixture("ce_create_request.json")
    example.pop("token")
    example.update(start_time="20271010090000", end_time="20271010170000")
    return {name: None for name in FIELDS} | example | changes


def facts(**changes: Any) -> Facts:
    defaults: dict[str, Any] = {
        "config": load_config(),
        "page_exists": lambda title: title != "Event:Nowhere",
        "now": NOW,
    }
    return Facts(**(defaults | changes))


def test_the_contracts_create_example_passes():
    assert first_refusal(body(), facts()) is None


@pytest.mark.parametrize(("changes", "key", "text"), ROWS, ids=[row[1][21:] for row in ROWS])
def test_each_rule_answers_the_servers_key_and_english_text(changes, key, text):
    found = first_refusal(body(**changes), facts())

    assert found is not None, f"accepted; the server answers {key}"
    assert (found.key, found.text) == (key, text)


def test_the_first_problem_in_the_servers_order_is_the_answer():
    """A bad zone (row 10) comes before too many types (18) and a bad chat URL (31)."""
    found = first_refusal(body(timezone="GMT+2", types=["a", "b", "c"], chat_url="x"), facts())

    assert found is not None and found.key == "campaignevents-error-invalid-timezone"


def test_an_update_may_keep_a_past_start_and_its_page_outside_the_event_namespaces():
    """§1.1: PUT skips the start-in-the-past rule and the namespace check of an unchanged page."""
    kept = body(event_page="Help:Walk", start_time="20200101000000")
    update = facts(now=None, updating=True, previous_page="Help:Walk")

    assert first_refusal({**kept, "status": "open"}, update) is None
    created = first_refusal(kept, facts())
    assert created is not None and created.key == "campaignevents-error-page-namespace-not-allowed"


def test_disallowed_countries_are_the_config_keys_not_the_names():
    """§10: the map's keys are compared (the shipped bug compared codes with names)."""
    config = load_config()
    assert "BY" in config.disallowed_countries
    assert "Belarus" not in config.disallowed_countries

    found = first_refusal(body(meeting_country_code="BY"), facts(config=config))
    assert found is not None and found.key.endswith("tracking-disallowed-country")


def test_the_sandbox_judges_without_the_clients_policies():
    """bot/sandbox imports nothing of `policies` but the error base class and the bounded file
    reader (config.py): file reading, never a rule."""
    offenders = []
    for path in sorted(SANDBOX.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            bad = [
                n
                for n in names
                if n.split(".")[0] == "policies"
                and n.split(".")[:2] not in (["policies", "errors"], ["policies", "reading"])
            ]
            offenders += [f"{path.name}: {n}" for n in bad]

    assert offenders == []


def test_country_codes_are_cldrs_regions_without_the_non_countries():
    """§3.4: Kosovo and Ascension are accepted; EU, UN and the pseudo-regions are not."""
    assert {"PT", "BY", "XK", "AC"} <= vocab.COUNTRY_CODES
    assert not {"EU", "EZ", "UN", "XA", "XB", "QO", "CP", "DG"} & vocab.COUNTRY_CODES
