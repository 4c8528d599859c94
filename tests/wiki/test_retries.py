"""Retries: what is retried, how long gatebot waits, and what it never re-sends (a read is
asked again after a 500; a write answered 500 is an unknown outcome, sent once)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests
import urllib3

from bot.wiki import (
    MaxLagged,
    OutcomeUnknown,
    RateLimited,
    ReadOnly,
    RetryPolicy,
    WikiUnreachable,
)
from bot.wiki.retry import parse_retry_after

OK = (200, {}, {"edit": {"result": "Success", "newrevid": 101}})
EDIT = {"action": "edit", "title": "Sandbox", "text": "hi"}
REST_PATH = "/campaignevents/v0/event_registration/1873"


def api_error(code: str, headers: dict[str, str] | None = None):
    return 200, headers or {}, {"error": {"code": code, "info": f"{code} happened"}}


def refused_connection() -> requests.ConnectionError:
    pool = urllib3.HTTPSConnectionPool("wiki.example.org")
    reason = urllib3.exceptions.NewConnectionError(pool, "Connection refused")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(pool, "/", reason))


def test_429_with_retry_after_seconds_waits_that_long(open_client, wiki, clock):
    client = open_client()
    wiki.then("siteinfo", (429, {"Retry-After": "7"}, "slow down"))
    client.siteinfo()
    assert clock.sleeps == [7.0]
    assert wiki.count("siteinfo") == 2


def test_429_with_retry_after_http_date_waits_until_then(open_client, wiki, clock):
    client = open_client()
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    wiki.then("siteinfo", (429, {"Retry-After": format_datetime(when, usegmt=True)}, ""))
    client.siteinfo()
    assert len(clock.sleeps) == 1
    assert 25 <= clock.sleeps[0] <= 30


def test_503_on_a_write_is_retried_because_the_server_did_not_process_it(open_client, wiki, clock):
    client = open_client()
    wiki.then("edit", (503, {"Retry-After": "2"}, "busy"), OK)
    assert client.api_post(EDIT) == {"edit": {"result": "Success", "newrevid": 101}}
    assert clock.sleeps == [2.0]


def test_maxlag_waits_as_told_then_succeeds(open_client, wiki, clock):
    client = open_client()
    wiki.then("edit", api_error("maxlag", {"Retry-After": "5", "X-Database-Lag": "9"}), OK)
    client.api_post(EDIT)
    assert clock.sleeps == [5.0]


@pytest.mark.parametrize(
    ("code", "error"), [("maxlag", MaxLagged), ("ratelimited", RateLimited), ("readonly", ReadOnly)]
)
def test_persistent_condition_ends_in_its_typed_error_after_bounded_attempts(
    open_client, wiki, clock, code, error
):
    client = open_client()
    wiki.then("edit", *[api_error(code, {"Retry-After": "1"})] * 10)
    with pytest.raises(error):
        client.api_post(EDIT)
    assert wiki.count("edit") == 4
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_without_retry_after_the_backoff_grows(open_client, wiki, clock):
    client = open_client()
    wiki.then("siteinfo", *[(502, {}, "bad gateway")] * 4)
    with pytest.raises(WikiUnreachable) as caught:
        client.siteinfo()
    assert caught.value.status == 502
    assert len(clock.sleeps) == 3
    assert clock.sleeps[0] < clock.sleeps[2] <= 60


def test_ratelimited_without_retry_after_waits_out_the_advertised_window(open_client, wiki, clock):
    wiki.ratelimits = {"edit": {"user": {"hits": 5, "seconds": 60}}}
    client = open_client(min_interval=0)
    wiki.then("edit", api_error("ratelimited"), OK)
    client.api_post(EDIT)
    assert clock.sleeps == [60.0]


def test_total_wait_is_bounded_even_with_attempts_left(open_client, wiki, clock):
    client = open_client(retry_policy=RetryPolicy(attempts=10, total_wait=100.0))
    wiki.then("siteinfo", *[(429, {"Retry-After": "40"}, "")] * 10)
    with pytest.raises(RateLimited):
        client.siteinfo()
    assert clock.sleeps == [40.0, 40.0]


def test_write_timeout_is_outcome_unknown_and_not_sent_again(open_client, wiki, clock):
    client = open_client()
    wiki.then("edit", requests.ReadTimeout("read timed out"))
    with pytest.raises(OutcomeUnknown):
        client.api_post(EDIT)
    assert wiki.count("edit") == 1
    assert clock.sleeps == []


def test_refused_connection_on_a_write_is_retried(open_client, wiki, clock):
    client = open_client()
    wiki.then("edit", refused_connection(), OK)
    client.api_post(EDIT)
    assert wiki.count("edit") == 2
    assert len(clock.sleeps) == 1


def test_read_timeout_on_a_read_is_retried(open_client, wiki, clock):
    client = open_client()
    wiki.then("siteinfo", requests.ReadTimeout("slow"))
    assert client.siteinfo().wiki_id == "testwiki"
    assert len(clock.sleeps) == 1


def test_writes_are_spaced_by_the_advertised_rate_limit(open_client, wiki, clock):
    wiki.ratelimits = {"edit": {"user": {"hits": 5, "seconds": 60}}}
    client = open_client()
    for _ in range(3):
        client.api_post(EDIT)
    assert clock.sleeps == [12.0, 12.0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        ("0", 0.0),
        ("2.5", 2.5),
        ("-3", 0.0),
        ("", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(value, expected):
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == expected


INTERNAL_ERROR = (500, {"Content-Type": "text/html"}, "<h1>Internal Server Error</h1>")
REST_INTERNAL_ERROR = (
    500,
    {},
    {"message": "Error: exception of type Error", "httpCode": 500, "httpReason": "Internal"},
)


def test_500_on_an_api_read_is_asked_again_and_the_read_succeeds(open_client, wiki, clock):
    client = open_client()
    wiki.then("siteinfo", INTERNAL_ERROR, INTERNAL_ERROR)
    assert client.siteinfo().wiki_id == "testwiki"
    assert wiki.count("siteinfo") == 3
    assert len(clock.sleeps) == 2


def test_500_on_a_rest_read_honours_retry_after(open_client, wiki, clock):
    client = open_client()
    status, _, body = REST_INTERNAL_ERROR
    wiki.then(f"GET {REST_PATH}", (status, {"Retry-After": "4"}, body))
    assert client.rest("GET", REST_PATH).data["id"] == 1873
    assert wiki.count(f"GET {REST_PATH}") == 2
    assert clock.sleeps == [4.0]


def test_a_read_that_keeps_getting_500_ends_in_a_clear_error_after_bounded_attempts(
    open_client, wiki, clock
):
    client = open_client()
    wiki.then(f"GET {REST_PATH}", *[REST_INTERNAL_ERROR] * 10)
    with pytest.raises(WikiUnreachable) as caught:
        client.rest("GET", REST_PATH)
    assert caught.value.status == 500
    assert wiki.count(f"GET {REST_PATH}") == 4
    assert len(clock.sleeps) == 3
    message = str(caught.value)
    assert f"GET https://wiki.example.org/w/rest.php{REST_PATH}" in message
    assert "HTTP 500" in message and "administrators" in message


def test_an_html_error_page_on_a_read_is_not_taken_for_an_empty_answer(open_client, wiki):
    client = open_client()
    wiki.then("siteinfo", *[INTERNAL_ERROR] * 10)
    with pytest.raises(WikiUnreachable) as caught:
        client.siteinfo()
    assert caught.value.status == 500


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "1"}], ids=["plain", "retry-after"])
def test_500_on_an_api_write_is_outcome_unknown_and_not_sent_again(
    open_client, wiki, clock, headers
):
    client = open_client()
    wiki.then("edit", (500, {"Content-Type": "text/html", **headers}, "<h1>Fatal error</h1>"))
    with pytest.raises(OutcomeUnknown) as caught:
        client.api_post(EDIT)
    assert caught.value.status == 500 and caught.value.path == "api.php?action=edit"
    assert wiki.count("edit") == 1
    assert clock.sleeps == []


def test_500_with_retry_after_on_a_rest_write_is_outcome_unknown_and_not_sent_again(
    open_client, wiki, clock
):
    client = open_client()
    status, _, body = REST_INTERNAL_ERROR
    wiki.then(f"PUT {REST_PATH}", (status, {"Retry-After": "1"}, body))
    with pytest.raises(OutcomeUnknown):
        client.rest("PUT", REST_PATH, json={"name": "x"})
    assert wiki.count(f"PUT {REST_PATH}") == 1
    assert clock.sleeps == []
