"""Switching statistics of one event: the policy first, one PUT only when allowed and needed, and
an unknown outcome read back instead of sent again. The wiki is a small stand-in that keeps
the events and records every write (the sandbox runs in tests/e2e/test_events_stats_export.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

import policies
from bot.campaignevents import (
    EventNotFound,
    MissingRegistrationRight,
    Registration,
    RegistrationRefused,
)
from bot.events.stats import NOT_APPLIED, parse_event_ids, switch_statistics
from bot.wiki import OutcomeUnknown, RestError, WikiUnreachable
from policies.errors import InputError

EVENT = Registration(
    event_page="Event:Edit-a-thon 2099", timezone="UTC", start_time="20990101100000",
    end_time="20990101180000", types=("editing-event",), wikis=("*",),
    tracks_contributions=False, online_meeting=True, id=7,
)  # fmt: skip


def rest_error(code: int, key: str, text: str) -> RestError:
    return RestError(code, key, {"en": text})


class Wiki:
    """The CampaignEvents client's `get` and `update` over a dict of events."""

    def __init__(self, *events: Registration, put_error=None, applied=True, get_errors=None):
        self.events = {event.id: event for event in events}
        self.put_error, self.applied = put_error, applied
        self.get_errors = get_errors or {}  # the error of the n-th GET, from 1
        self.gets = 0
        self.sent: list[Registration] = []

    def get(self, event_id: int) -> Registration:
        self.gets += 1
        if self.gets in self.get_errors:
            raise self.get_errors[self.gets]
        if event_id not in self.events:
            cause = rest_error(404, "campaignevents-rest-event-not-found", "There is no event.")
            raise EventNotFound(cause, f"Event {event_id} does not exist.", event_id=event_id)
        return self.events[event_id]

    def update(self, event_id: int, registration: Registration) -> tuple:
        registration.to_body(update=True)
        self.sent.append(registration)
        if self.put_error is None or self.applied:
            self.events[event_id] = registration
        if self.put_error is not None:
            raise self.put_error
        return ()


def switch(wiki: Wiki, on: bool = True, event_id: int = 7):
    return switch_statistics(wiki, policies.load(), event_id, on=on)  # type: ignore[arg-type]


def test_switching_on_sends_every_field_with_the_one_changed():
    wiki = Wiki(replace(EVENT, topics=("women",), chat_url="https://t.me/+x"))
    outcome = switch(wiki)
    assert (outcome.action, outcome.status, outcome.after) == ("update", "done", True)
    (sent,) = wiki.sent
    assert sent == replace(wiki.events[7], tracks_contributions=True)
    assert (sent.topics, sent.chat_url) == (("women",), "https://t.me/+x")
    assert outcome.report(1)["changes"] == {"tracks_contributions": [False, True]}


def test_already_in_the_wanted_state_sends_nothing():
    wiki = Wiki(replace(EVENT, tracks_contributions=True))
    outcome = switch(wiki)
    assert (outcome.action, outcome.status, wiki.sent) == ("unchanged", "done", [])


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"types": ("meetup", "workshop")}, "campaignevents-error-contribs-tracking-invalid-type"),
        (
            {"online_meeting": False, "inperson_meeting": True, "meeting_country_code": "CN"},
            "campaignevents-error-contribs-tracking-disallowed-country",
        ),
        ({"wikis": ()}, "campaignevents-error-contribs-tracking-no-wikis"),
    ],
)
def test_what_the_policy_refuses_is_never_sent(changes, code):
    wiki = Wiki(replace(EVENT, **changes))
    outcome = switch(wiki)
    assert [problem.code for problem in outcome.errors] == [code]
    assert (outcome.action, outcome.status, wiki.sent) == ("refused", None, [])


def test_an_online_event_is_never_refused_for_a_country_it_cannot_have():
    wiki = Wiki(replace(EVENT, meeting_country_code=None))
    assert switch(wiki).errors == []


def test_a_goal_keeps_statistics_on():
    wiki = Wiki(replace(EVENT, tracks_contributions=True, goal_type="total_edits", goal_target=5))
    outcome = switch(wiki, on=False)
    assert [p.code for p in outcome.errors] == [
        "campaignevents-error-goal-requires-contribution-tracking"
    ]
    assert wiki.sent == []


def test_an_older_wiki_that_did_not_say_gets_the_field_written():
    wiki = Wiki(replace(EVENT, tracks_contributions=None))
    outcome = switch(wiki, on=False)
    assert outcome.report(1)["changes"] == {"tracks_contributions": [None, False]}
    assert wiki.sent[0].tracks_contributions is False


def test_a_lost_answer_that_did_not_apply_is_failed_not_resent():
    lost = OutcomeUnknown("no answer after the PUT")
    wiki = Wiki(EVENT, put_error=lost, applied=False)
    outcome = switch(wiki)
    assert outcome.status == "failed"
    assert [p.code for p in outcome.errors] == [NOT_APPLIED]
    assert len(wiki.sent) == 1


def test_a_lost_answer_that_cannot_be_read_back_says_to_check():
    unavailable = RestError(503, None, {"en": "Service Unavailable"})
    wiki = Wiki(EVENT, put_error=OutcomeUnknown("no answer"), get_errors={2: unavailable})
    outcome = switch(wiki)
    assert outcome.status == "failed" and "check the event on the wiki" in outcome.errors[0].message


def test_the_wikis_own_refusal_is_reported_by_its_key_and_column():
    refused = RegistrationRefused(
        rest_error(400, "campaignevents-error-contribs-tracking-disallowed-country", "No."),
        "Event 7: the wiki refused it.",
        field="meeting_country_code",
        event_id=7,
    )
    outcome = switch(Wiki(EVENT, put_error=refused, applied=False))
    (problem,) = outcome.errors
    assert (problem.code, problem.field) == (
        "campaignevents-error-contribs-tracking-disallowed-country",
        "country",
    )
    assert (outcome.action, outcome.status) == ("update", "failed")


def test_a_missing_event_fails_alone():
    outcome = switch(Wiki(EVENT), event_id=9)
    assert outcome.status == "failed"
    assert outcome.errors[0].code == "campaignevents-rest-event-not-found"


@pytest.mark.parametrize(
    "error",
    [
        WikiUnreachable("the wiki went away"),
        MissingRegistrationRight(
            rest_error(403, "campaignevents-rest-enable-registration-permission-denied", "No."),
            "Organizer may not enable event registrations.",
        ),
    ],
)
def test_errors_that_stop_the_run_propagate(error):
    with pytest.raises(type(error)):
        switch(Wiki(EVENT, get_errors={1: error}))


def test_event_ids_are_positive_ascii_numbers_each_once():
    assert parse_event_ids(["12", "7", "12", "0012"]) == [12, 7]
    for bad in ("١٢", "0", "-1", "x", "1.0", "²"):
        with pytest.raises(InputError, match=repr(bad).replace("(", r"\(")):
            parse_event_ids(["5", bad])
