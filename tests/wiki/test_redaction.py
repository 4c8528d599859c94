"""A secret in a URL never reaches an exception or a log line: it shows as `***`."""

from __future__ import annotations

import logging

import pytest
import requests

from bot.wiki import OutcomeUnknown, RestError, WikiUnreachable
from tests.wiki.fakewiki import EVENTS

HIDDEN = "SeCrEtToKeNvAlUe"
ROUTE = f"{EVENTS}/1873"


def shown(error: Exception) -> str:
    """Everything an exception shows: its text, repr and attributes."""
    return " ".join([str(error), repr(error), repr(vars(error))])


def test_a_refusal_does_not_show_a_token_in_its_url(open_client, wiki):
    client = open_client()
    with pytest.raises(RestError) as caught:
        client.rest("GET", f"/campaignevents/v0/nothing?token={HIDDEN}&x=1")
    assert HIDDEN not in shown(caught.value)
    assert "token=%2A%2A%2A" in (caught.value.url or "")


def test_an_unreachable_wiki_does_not_show_a_token_in_its_url(open_client, wiki):
    client = open_client(retry_policy=None)
    wiki.then(f"GET {ROUTE}", *[requests.ConnectionError("refused")] * 5)
    with pytest.raises(WikiUnreachable) as caught:
        client.rest("GET", f"{ROUTE}?token={HIDDEN}")
    assert HIDDEN not in shown(caught.value)


def test_an_unknown_outcome_does_not_show_a_token_in_its_url(open_client, wiki):
    client = open_client()
    wiki.then(f"PUT {ROUTE}", (502, {}, "bad gateway"))
    with pytest.raises(OutcomeUnknown) as caught:
        client.rest("PUT", f"{ROUTE}?lgpassword={HIDDEN}", json={})
    assert HIDDEN not in shown(caught.value)


def test_a_logged_warning_does_not_show_a_token_in_its_url(open_client, wiki, caplog):
    client = open_client()
    warned = {"warnings": [{"key": "campaignevents-tracking-tool-sync-failed", "params": []}]}
    wiki.then(f"GET {ROUTE}", (200, {}, warned))
    with caplog.at_level(logging.WARNING, logger="bot.wiki"):
        client.rest("GET", f"{ROUTE}?token={HIDDEN}")
    assert "campaignevents-tracking-tool-sync-failed" in caplog.text
    assert HIDDEN not in caplog.text
