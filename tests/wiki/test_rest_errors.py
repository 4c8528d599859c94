"""REST error envelopes (contracts/campaignevents.md §4.3) become typed errors."""

from __future__ import annotations

import pytest

from bot.wiki import MissingRight, RestError
from tests.wiki.fakewiki import EVENTS, envelope, fixture

PATH = EVENTS
LOCALIZED = fixture("ce_localized_error")
VALIDATION = fixture("ce_param_error")
PLAIN = {"message": "Invalid timestamp", "httpCode": 400, "httpReason": "Bad Request"}


def test_localized_envelope_keeps_the_servers_key_and_message(open_client, wiki):
    client = open_client()
    wiki.then(f"POST {PATH}", (400, {}, LOCALIZED))
    with pytest.raises(RestError) as caught:
        client.rest("POST", PATH, json={"event_page": "Event:Meetup"})
    error = caught.value
    assert (error.http_code, error.error_key) == (
        400,
        "campaignevents-error-contribs-tracking-disallowed-country",
    )
    assert error.messages["en"] in str(error)
    assert error.url.endswith("/w/rest.php/campaignevents/v0/event_registration")


def test_parameter_validation_envelope_names_the_parameter(open_client, wiki):
    client = open_client()
    wiki.then(f"POST {PATH}", (400, {}, VALIDATION))
    with pytest.raises(RestError) as caught:
        client.rest("POST", PATH, json={})
    error = caught.value
    assert (error.name, error.failure_code) == ("tracks_contributions", "missingparam")
    assert error.data["error"] == "parameter-validation-failed"
    assert "tracks_contributions" in str(error)


def test_event_not_found_is_the_contracts_404(open_client, wiki):
    client = open_client()
    with pytest.raises(RestError) as caught:
        client.rest("GET", f"{PATH}/99")
    assert (caught.value.http_code, caught.value.error_key) == (
        404,
        "campaignevents-rest-event-not-found",
    )


def test_plain_http_exception_envelope_uses_its_message(open_client, wiki):
    client = open_client()
    wiki.then("GET /campaignevents/v0/formatted_time/en/x/y", (400, {}, PLAIN))
    with pytest.raises(RestError) as caught:
        client.rest("GET", "/campaignevents/v0/formatted_time/en/x/y")
    assert caught.value.error_key is None
    assert caught.value.messages == {"en": "Invalid timestamp"}


def test_permission_denied_is_a_rest_error_with_the_servers_key(open_client, wiki):
    client = open_client()
    denied = envelope(
        403,
        "campaignevents-rest-enable-registration-permission-denied",
        "You are not allowed to enable event registrations.",
    )
    wiki.then(f"POST {PATH}", denied)
    with pytest.raises(RestError) as caught:
        client.rest("POST", PATH, json={})
    assert caught.value.status == 403


def test_write_denied_by_core_is_a_missing_right(open_client, wiki):
    client = open_client()
    wiki.then(
        f"POST {PATH}",
        (403, {}, {"error": "rest-write-denied", "httpCode": 403, "httpReason": "Forbidden"}),
    )
    with pytest.raises(MissingRight) as caught:
        client.rest("POST", PATH, json={})
    assert caught.value.exit_status == 3


def test_rest_get_sends_no_token_and_returns_the_json(open_client, wiki):
    client = open_client()
    answer = client.rest("GET", f"{PATH}/1873")
    assert answer.data == fixture("ce_get_registration")
    assert wiki.bodies[-1] is None
