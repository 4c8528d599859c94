"""The wiki's warnings reach the log and the caller; OAuth's reused nonce is retried once."""

from __future__ import annotations

import logging

import pytest

from bot.wiki import ApiError, ApiWarning, OAuth1
from tests.wiki.fakewiki import EVENTS, envelope, fixture

EDIT = {"action": "edit", "title": "Sandbox", "text": "hi"}
SAVED = {"edit": {"result": "Success", "newrevid": 101}}
PUT = f"PUT {EVENTS}/1873"
BODY = {k: v for k, v in fixture("ce_create_request").items() if k != "token"}
NONCE = "The authorization headers in your request are not valid: Nonce already used: 9f3a"


@pytest.mark.parametrize(
    "warnings",
    [
        {"main": {"warnings": 'Unrecognized parameter: "foo".'}, "edit": {"warnings": "A\nB"}},
        {"main": {"*": 'Unrecognized parameter: "foo".'}, "edit": {"*": "A\nB"}},
    ],
    ids=["formatversion=2", "formatversion=1"],
)
def test_action_api_warnings_are_logged_and_given_to_the_caller(
    open_client, wiki, caplog, warnings
):
    client = open_client()
    wiki.then("edit", (200, {}, {**SAVED, "warnings": warnings}))
    with caplog.at_level(logging.WARNING, logger="bot.wiki"):
        answer = client.api_post(EDIT)
    assert answer["edit"]["newrevid"] == 101
    assert answer.warnings == (
        ApiWarning("main", 'Unrecognized parameter: "foo".'),
        ApiWarning("edit", "A"),
        ApiWarning("edit", "B"),
    )
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(logged) == 3 and 'Unrecognized parameter: "foo".' in logged[0]
    assert "/w/api.php" in logged[0]


def test_warnings_in_the_list_shape_keep_their_code(open_client, wiki):
    client = open_client()
    listed = [{"code": "unrecognizedparams", "module": "main", "text": "Unrecognized: foo."}]
    wiki.then("edit", (200, {}, {**SAVED, "warnings": listed}))
    assert client.api_post(EDIT).warnings == (
        ApiWarning("main", "Unrecognized: foo.", "unrecognizedparams"),
    )


def test_a_warning_that_quotes_the_token_is_logged_masked(open_client, wiki, caplog):
    client = open_client()
    quoted = {"main": {"warnings": f"Unrecognized value for parameter token: {wiki.csrf}"}}
    wiki.then("edit", (200, {}, {**SAVED, "warnings": quoted}))
    with caplog.at_level(logging.WARNING, logger="bot.wiki"):
        client.api_post(EDIT)
    assert "***" in caplog.text
    assert wiki.csrf not in caplog.text


def test_an_answer_without_warnings_logs_nothing(open_client, wiki, caplog):
    client = open_client()
    with caplog.at_level(logging.WARNING, logger="bot.wiki"):
        assert client.api_post(EDIT).warnings == ()
    assert caplog.records == []


def test_rest_update_warnings_are_given_to_the_caller(open_client, wiki, caplog):
    client = open_client()
    sync = {"warnings": [{"key": "campaignevents-tracking-tool-sync-failed", "params": ["x"]}]}
    wiki.then(PUT, (200, {}, sync))
    with caplog.at_level(logging.WARNING, logger="bot.wiki"):
        answer = client.rest("PUT", f"{EVENTS}/1873", json=BODY)
    assert [w.code for w in answer.warnings] == ["campaignevents-tracking-tool-sync-failed"]
    assert "campaignevents-tracking-tool-sync-failed" in caplog.text


def oauth_client(open_client, wiki):
    wiki.accept_oauth = True
    return open_client(credentials=OAuth1("ck", "cs", "at", "as"))


def nonce_error(info: str = NONCE):
    return 200, {}, {"error": {"code": "mwoauth-invalid-authorization", "info": info}}


def test_a_reused_oauth_nonce_is_signed_afresh_and_sent_once_more(open_client, wiki):
    client = oauth_client(open_client, wiki)
    wiki.then("edit", nonce_error())
    assert client.api_post(EDIT)["edit"]["result"] == "Success"
    assert wiki.count("edit") == 2


def test_a_reused_oauth_nonce_twice_is_raised(open_client, wiki):
    client = oauth_client(open_client, wiki)
    wiki.then("edit", nonce_error(), nonce_error(), nonce_error())
    with pytest.raises(ApiError) as caught:
        client.api_post(EDIT)
    assert caught.value.code == "mwoauth-invalid-authorization"
    assert wiki.count("edit") == 2


def test_other_oauth_refusals_are_not_retried(open_client, wiki):
    client = oauth_client(open_client, wiki)
    wiki.then("edit", nonce_error("The authorization headers in your request are not valid."))
    with pytest.raises(ApiError):
        client.api_post(EDIT)
    assert wiki.count("edit") == 1


def test_a_reused_oauth_nonce_on_a_rest_write_is_sent_once_more(open_client, wiki):
    client = oauth_client(open_client, wiki)
    wiki.then(PUT, envelope(403, "mwoauth-invalid-authorization", NONCE))
    assert client.rest("PUT", f"{EVENTS}/1873", json=BODY).status == 204
    assert wiki.count(PUT) == 2
