"""REST error envelopes (contracts/campaignevents.md §4.3) become typed errors."""

from __future__ import annotations

import pytest

from bot.wiki import AssertUserFailed, LoginFailed, MissingRight, RestError
from bot.wiki.identity import IDENTITY_TTL

PATH = "/campaignevents/v0/event_registration"
LOCALIZED = {
    "errorKey": "campaignevents-error-contribs-tracking-disallowed-country",
    "messageTranslations": {
        "en": "Contribution statistics cannot be enabled for the selected country."
    },
    "httpCode": 400,
    "httpReason": "Bad Request",
}
VALIDATION = {
    "error": "parameter-validation-failed",
    "name": "tracks_contributions",
    "value": None,
    "failureCode": "missingparam",
    "failureData": None,
    "errorKey": "missingparam",
    "messageTranslations": {"en": 'The "tracks_contributions" parameter must be set.'},
    "httpCode": 400,
    "httpReason": "Bad Request",
}
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
    assert "tracks_contributions" in str(error)


def test_plain_http_exception_envelope_uses_its_message(open_client, wiki):
    client = open_client()
    wiki.then("GET /campaignevents/v0/formatted_time/en/x/y", (400, {}, PLAIN))
    with pytest.raises(RestError) as caught:
        client.rest("GET", "/campaignevents/v0/formatted_time/en/x/y")
    assert caught.value.error_key is None
    assert caught.value.messages == {"en": "Invalid timestamp"}


def test_permission_denied_is_a_rest_error_with_the_servers_key(open_client, wiki):
    client = open_client()
    denied = {
        "errorKey": "campaignevents-rest-enable-registration-permission-denied",
        "messageTranslations": {"en": "You are not allowed to enable event registrations."},
        "httpCode": 403,
    }
    wiki.then(f"POST {PATH}", (403, {}, denied))
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
    wiki.then("GET /campaignevents/v0/event_registration/7", (200, {}, {"id": 7, "name": "X"}))
    answer = client.rest("GET", "/campaignevents/v0/event_registration/7")
    assert answer.data == {"id": 7, "name": "X"}
    assert wiki.bodies[-1] is None


def test_rest_write_is_refused_when_the_session_became_someone_else(open_client, wiki, clock):
    client = open_client()
    clock.now += IDENTITY_TTL
    wiki.user = "Other"
    with pytest.raises(AssertUserFailed) as caught:
        client.rest("PUT", f"{PATH}/7", json={})
    assert "Other" in str(caught.value)
    assert wiki.count(f"PUT {PATH}/7") == 0


def test_rest_write_after_the_session_expired_logs_in_again_first(open_client, wiki, clock):
    client = open_client()
    client.csrf_token()
    clock.now += IDENTITY_TTL
    wiki.logged_in = False
    wiki.labels.clear()
    client.rest("PUT", f"{PATH}/7", json={})
    assert wiki.labels == ["userinfo", "login-token", "login", "userinfo", "csrf", f"PUT {PATH}/7"]


def test_rest_write_is_refused_when_the_expired_session_cannot_log_in_again(
    open_client, wiki, clock
):
    client = open_client()
    clock.now += IDENTITY_TTL
    wiki.logged_in = False
    wiki.password = "changed-meanwhile"
    with pytest.raises(LoginFailed):
        client.rest("PUT", f"{PATH}/7", json={})
    assert wiki.count(f"PUT {PATH}/7") == 0
