"""The wiki's error envelopes (campaignevents §4.3, §5) become typed errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from bot.campaignevents import (
    CampaignEventsError,
    EventDeleted,
    EventNotFound,
    InvalidParameter,
    MissingRegistrationRight,
    NotAnOrganizer,
    NotPageAuthor,
    PageAlreadyRegistered,
    PageRegistrationDeleted,
    Registration,
    RegistrationRefused,
    UserNotFound,
)
from bot.wiki import MissingRight, RestError, WikiError
from tests.campaignevents.conftest import CE, contract_get
from tests.sandbox.helpers import fixture

COLLECTION = f"{CE}/event_registration"
EVENT = f"{COLLECTION}/1873"


def envelope(key: str, text: str, status: int) -> dict[str, Any]:
    """A localised error exactly as §4.3 shows it."""
    return {
        "errorKey": key,
        "messageTranslations": {"en": text},
        "httpCode": status,
        "httpReason": {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status],
    }


def create_refused(ce, wiki, status: int, body: dict[str, Any]) -> CampaignEventsError:
    wiki.then(f"POST {COLLECTION}", (status, {}, body))
    with pytest.raises(CampaignEventsError) as caught:
        ce.create(Registration.from_get_json(contract_get()))
    return caught.value


def test_disallowed_country_names_the_country_field(ce, wiki):
    error = create_refused(ce, wiki, 400, fixture("ce_localized_error.json"))
    assert isinstance(error, RegistrationRefused)
    assert isinstance(error, RestError)
    assert error.field == "meeting_country_code"
    assert error.error_key == "campaignevents-error-contribs-tracking-disallowed-country"
    assert "Event:Lisbon Photo Walk 2026" in str(error)
    assert "cannot be enabled for the selected country" in str(error)


def test_parameter_error_names_the_parameter_and_its_failure_code(ce, wiki):
    error = create_refused(ce, wiki, 400, fixture("ce_param_error.json"))
    assert isinstance(error, InvalidParameter)
    assert (error.field, error.failure_code) == ("tracks_contributions", "missingparam")
    assert "tracks_contributions" in str(error)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("campaignevents-error-page-not-found", "event_page"),
        ("campaignevents-error-invalid-timezone", "timezone"),
        ("campaignevents-error-start-past", "start_time"),
        ("campaignevents-error-start-after-end", "end_time"),
        ("campaignevents-error-invalid-other-selection", "types"),
        ("campaignevents-error-contribs-tracking-invalid-type", "types"),
        ("campaignevents-error-contribs-tracking-no-wikis", "wikis"),
        ("campaignevents-error-invalid-topics", "topics"),
        ("campaignevents-error-no-participation-options", "online_meeting"),
        ("campaignevents-error-meeting-url-not-online", "meeting_url"),
        ("campaignevents-error-countryoraddress-not-in-person", "meeting_country_code"),
        ("campaignevents-error-invalid-address", "meeting_address"),
        ("campaignevents-error-invalid-chat-url", "chat_url"),
        ("campaignevents-error-goal-requires-contribution-tracking", "goal_type"),
        ("campaignevents-error-goal-target-invalid", "goal_target"),
        ("campaignevents-error-trackingtool-without-eventid", "tracking_tool_event_id"),
        ("campaignevents-tracking-tool-sync-failed", "tracking_tool_id"),
        ("campaignevents-event-dates-cannot-be-changed", "end_time"),
    ],
)
def test_each_validation_error_names_its_field(ce, wiki, key, field):
    error = create_refused(ce, wiki, 400, envelope(key, "Refused.", 400))
    assert error.field == field
    assert f"field {field}" in str(error)


def test_missing_right_says_which_right_and_the_grants_and_stops_the_run(ce, wiki):
    wiki.rights.remove("campaignevents-enable-registration")
    ce.wiki.userinfo(refresh=True)
    error = create_refused(
        ce,
        wiki,
        403,
        envelope(
            "campaignevents-rest-enable-registration-permission-denied",
            "You are not allowed to enable event registrations.",
            403,
        ),
    )
    assert isinstance(error, MissingRegistrationRight)
    assert error.exit_status == 3
    assert "campaignevents-enable-registration" in str(error)
    assert "grants" in str(error)


def test_refused_although_the_session_has_the_right_points_at_a_block(ce, wiki):
    error = create_refused(
        ce,
        wiki,
        403,
        envelope(
            "campaignevents-rest-enable-registration-permission-denied",
            "You are not allowed to enable event registrations.",
            403,
        ),
    )
    assert "blocked" in str(error)


def test_page_author_rule_is_said_in_plain_words(ce, wiki):
    error = create_refused(
        ce,
        wiki,
        403,
        envelope(
            "campaignevents-enable-registration-not-allowed-page",
            "You are not allowed to enable event registration for the given event page.",
            403,
        ),
    )
    assert isinstance(error, NotPageAuthor)
    assert error.field == "event_page"
    assert "Tester did not create the event page" in str(error)
    assert "first revision" in str(error)


def test_page_already_registered_carries_the_page_to_look_up(ce, wiki):
    error = create_refused(
        ce,
        wiki,
        400,
        envelope(
            "campaignevents-error-page-already-registered",
            "The given event page already has an associated registration.",
            400,
        ),
    )
    assert type(error) is PageAlreadyRegistered
    assert error.event_page == "Event:Lisbon Photo Walk 2026"


def test_page_whose_registration_was_deleted_is_its_own_type(ce, wiki):
    error = create_refused(
        ce,
        wiki,
        400,
        envelope(
            "campaignevents-error-page-already-registered-deleted",
            "You cannot complete the action because the event registration has been deleted "
            "from this event page.",
            400,
        ),
    )
    assert isinstance(error, PageRegistrationDeleted)
    assert "never" in str(error)


def test_unknown_event_is_not_found(ce, wiki):
    wiki.then(f"GET {EVENT}", (404, {}, envelope(
        "campaignevents-rest-event-not-found", "There is no event with this ID.", 404
    )))  # fmt: skip
    with pytest.raises(EventNotFound) as caught:
        ce.get(1873)
    assert not isinstance(caught.value, EventDeleted)
    assert caught.value.event_id == 1873


def test_deleted_event_is_not_found_and_deleted(ce, wiki):
    wiki.then(f"GET {EVENT}", (404, {}, envelope(
        "campaignevents-rest-get-registration-deleted", "This event registration was deleted.", 404
    )))  # fmt: skip
    with pytest.raises(EventDeleted, match="Event 1873 was deleted"):
        ce.get(1873)


def test_editing_someone_elses_event_says_who_may(ce, wiki):
    text = "You are not allowed to edit this event registration."
    denied = envelope("campaignevents-edit-not-allowed-registration", text, 403)
    wiki.then(f"PUT {EVENT}", (403, {}, denied))
    with pytest.raises(NotAnOrganizer) as caught:
        ce.update(1873, Registration.from_get_json(contract_get()))
    assert "organizers" in str(caught.value)
    assert "campaignevents-organize-events" in str(caught.value)


def test_unknown_central_id_is_user_not_found(ce, wiki):
    wiki.then(f"GET {CE}/organizer/99/event_registrations", (404, {}, envelope(
        "campaignevents-rest-user-not-found", "There is no user with this central ID.", 404
    )))  # fmt: skip
    with pytest.raises(UserNotFound):
        ce.events_by_organizer(99)


def test_core_write_denial_stays_the_transports_missing_right(ce, wiki):
    wiki.then(
        f"POST {COLLECTION}",
        (403, {}, {"error": "rest-write-denied", "httpCode": 403, "httpReason": "Forbidden"}),
    )
    with pytest.raises(MissingRight):
        ce.create(Registration.from_get_json(contract_get()))


def test_a_server_failure_is_not_reported_as_a_refusal(ce, wiki):
    failure = {"message": "Internal error", "httpCode": 500, "httpReason": "Internal Server Error"}
    wiki.then(f"GET {EVENT}", *[(500, {}, failure)] * 10)  # a read is asked again after a 500
    with pytest.raises(WikiError) as caught:
        ce.get(1873)
    assert not isinstance(caught.value, CampaignEventsError)
    assert caught.value.status == 500
