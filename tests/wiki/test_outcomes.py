"""What a write's answer proves: a refusal, "not processed, send again", or an outcome gatebot
cannot know, which it never re-sends and names so that a caller can reconcile it."""

from __future__ import annotations

import hashlib
import json

import pytest
import requests

from bot.wiki import ApiError, OutcomeUnknown, RestError
from tests.wiki.fakewiki import EVENTS, fixture

CREATE = {k: v for k, v in fixture("ce_create_request").items() if k != "token"}
POST = f"POST {EVENTS}"
EDIT = {"action": "edit", "title": "Sandbox", "text": "hi"}
HTML = {"Content-Type": "text/html"}
# core's answer to an uncaught exception in a REST handler
REST_EXCEPTION = {
    "message": "Error: exception of type Wikimedia\\Rdbms\\DBQueryError",
    "httpCode": 500,
    "httpReason": "Internal Server Error",
}


def documented_fingerprint(body: dict) -> str:
    """README/INTERFACES: sha256 hex of the body's canonical JSON, without its token."""
    canonical = json.dumps(
        {k: v for k, v in body.items() if k != "token"},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "reply",
    [
        (500, {}, REST_EXCEPTION),
        (502, HTML, "<html><body>502 Bad Gateway</body></html>"),
        (504, HTML, "<html><body>504 Gateway Time-out</body></html>"),
        (503, HTML, "<html><body>Our servers are experiencing a problem</body></html>"),
        (403, HTML, "<html><body>Request blocked by the proxy</body></html>"),
        (404, {}, {"detail": "Not Found"}),
        (400, {}, {**fixture("ce_localized_error"), "httpCode": 500}),
        (201, HTML, "<html><body>Sign in to the network</body></html>"),
    ],
    ids=[
        "500-envelope",
        "502",
        "504",
        "503-no-retry-after",
        "403-html",
        "404-other-json",
        "400-mismatched-envelope",
        "201-html",
    ],
)
def test_a_rest_write_answer_that_proves_nothing_is_an_unknown_outcome(
    open_client, wiki, clock, reply
):
    client = open_client()
    wiki.then(POST, reply)
    with pytest.raises(OutcomeUnknown) as caught:
        client.rest("POST", EVENTS, json=CREATE)
    error = caught.value
    assert (error.method, error.path, error.status) == ("POST", EVENTS, reply[0])
    assert error.fingerprint == documented_fingerprint(CREATE)
    assert wiki.count(POST) == 1
    assert clock.sleeps == []


def test_only_a_4xx_envelope_proves_a_refusal(open_client, wiki):
    client = open_client()
    wiki.then(POST, (400, {}, fixture("ce_localized_error")))
    with pytest.raises(RestError) as caught:
        client.rest("POST", EVENTS, json=CREATE)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert caught.value.error_key == "campaignevents-error-contribs-tracking-disallowed-country"


def test_mediawiki_1_39s_envelope_without_an_error_key_is_a_refusal(open_client, wiki):
    client = open_client()
    # what the local MediaWiki 1.39 answers PUT /v1/page with a wrong token
    refused = {
        "messageTranslations": {"en": "Invalid CSRF token."},
        "httpCode": 403,
        "httpReason": "Forbidden",
    }
    wiki.then(f"PUT {EVENTS}/1873", (403, {}, refused))
    with pytest.raises(RestError) as caught:
        client.rest("PUT", f"{EVENTS}/1873", json=CREATE)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert caught.value.messages == {"en": "Invalid CSRF token."}


def test_the_fingerprint_names_the_body_not_its_key_order(open_client, wiki):
    client = open_client()
    seen = []
    for body in (CREATE, dict(reversed(list(CREATE.items()))), {**CREATE, "goal_target": 201}):
        wiki.then(POST, (502, HTML, "bad gateway"))
        with pytest.raises(OutcomeUnknown) as caught:
            client.rest("POST", EVENTS, json=body)
        seen.append(caught.value.fingerprint)
    assert seen[0] == seen[1] != seen[2]


def test_a_dropped_connection_on_a_rest_write_is_an_unknown_outcome(open_client, wiki):
    client = open_client()
    wiki.then(POST, requests.ConnectionError("Connection aborted."))
    with pytest.raises(OutcomeUnknown) as caught:
        client.rest("POST", EVENTS, json=CREATE)
    assert (caught.value.path, caught.value.fingerprint) == (EVENTS, documented_fingerprint(CREATE))
    assert wiki.count(POST) == 1


@pytest.mark.parametrize(
    "busy", [(503, {"Retry-After": "3"}, "busy"), (429, {"Retry-After": "3"}, "slow down")]
)
def test_a_rest_write_the_wiki_did_not_process_is_sent_again(open_client, wiki, clock, busy):
    client = open_client()
    wiki.then(POST, busy)
    answer = client.rest("POST", EVENTS, json=CREATE)
    assert (answer.status, answer.data) == (201, fixture("ce_create_response"))
    assert wiki.count(POST) == 2
    assert clock.sleeps == [3.0]


@pytest.mark.parametrize(
    "reply",
    [
        (500, {}, {"error": {"code": "internal_api_error_DBQueryError", "info": "[x] Database"}}),
        (200, {}, {"error": {"code": "internal_api_error_DBQueryError", "info": "[x] Database"}}),
        (502, HTML, "<html>Bad Gateway</html>"),
        (504, HTML, "<html>Gateway Timeout</html>"),
        (503, HTML, "<html>Service Unavailable</html>"),
    ],
    ids=["500-json", "200-internal-error", "502", "504", "503-no-retry-after"],
)
def test_an_action_api_write_answered_5xx_is_an_unknown_outcome(open_client, wiki, clock, reply):
    client = open_client()
    wiki.then("edit", reply)
    with pytest.raises(OutcomeUnknown) as caught:
        client.api_post(EDIT)
    assert (caught.value.method, caught.value.path) == ("POST", "api.php?action=edit")
    assert len(caught.value.fingerprint or "") == 64
    assert wiki.count("edit") == 1
    assert clock.sleeps == []


def test_a_read_answered_with_an_internal_error_is_a_plain_api_error(open_client, wiki):
    client = open_client()
    internal = {"error": {"code": "internal_api_error_DBQueryError", "info": "[x] Database"}}
    wiki.then("query", (200, {}, internal))
    with pytest.raises(ApiError) as caught:
        client.api_get({"action": "query", "list": "logevents"})
    assert caught.value.code == "internal_api_error_DBQueryError"
    assert not isinstance(caught.value, OutcomeUnknown)


def test_a_read_answered_502_is_retried(open_client, wiki, clock):
    client = open_client()
    wiki.then("GET /campaignevents/v0/event_registration/1873", (502, HTML, "bad gateway"))
    assert client.rest("GET", f"{EVENTS}/1873").data == fixture("ce_get_registration")
    assert len(clock.sleeps) == 1


def test_a_rest_write_refused_for_a_missing_page_is_a_refusal_not_unknown(open_client, wiki):
    client = open_client()
    with pytest.raises(RestError) as caught:
        client.rest("DELETE", "/campaignevents/v0/no_such_route")
    assert caught.value.error_key == "rest-no-match"
    assert not isinstance(caught.value, OutcomeUnknown)
    assert caught.value.status == 404
