"""The sandbox's HTTP layer answers malformed requests as MediaWiki does: a 400 with the wiki's
error shape, never a hang, a dropped connection or a 500 (contract campaignevents §1, §4.3)."""

from __future__ import annotations

import http.client
import json
import logging
import socket

import pytest

from tests.sandbox.helpers import session_of
from tests.sandbox.test_campaignevents import CE, create_body

TIMEOUT = 5


def raw_request(port: int, head: str, body: bytes = b"") -> bytes:
    """Send bytes as they are and read until the server closes (or the timeout says it hangs)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn:
        conn.sendall(head.encode("utf-8") + b"\r\n\r\n" + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("length", ["abc", "-5", "1.5", "12, 13", "٣"])
def test_a_content_length_that_is_not_a_length_is_400_and_the_connection_closes(
    sandbox_server, caplog, length
):
    head = f"POST /w/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: {length}"

    with caplog.at_level(logging.ERROR):
        answer = raw_request(sandbox_server.port, head, b"action=query")

    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Traceback" not in answer and not caplog.records


def test_two_different_content_lengths_are_400(sandbox_server):
    head = "POST /w/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4"

    assert raw_request(sandbox_server.port, head, b"abcd").startswith(b"HTTP/1.1 400 ")


def test_a_correct_length_still_keeps_the_connection_alive(sandbox_server):
    conn = http.client.HTTPConnection("127.0.0.1", sandbox_server.port, timeout=TIMEOUT)
    for _ in range(2):
        conn.request(
            "POST",
            "/w/api.php",
            body="action=query&format=json",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = conn.getresponse()
        assert answer.status == 200 and "batchcomplete" in json.loads(answer.read())
    conn.close()


@pytest.mark.parametrize(
    "raw_id", ["abc", "99999999999999999999999", "9223372036854775808", "1.5", "²", "%D9%A3"]
)
def test_an_event_id_that_is_not_an_integer_is_badinteger(sandbox_server, raw_id):
    session = session_of(sandbox_server, "Organizer")

    answer = session.rest("GET", f"{CE}/event_registration/{raw_id}")

    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert (error["error"], error["name"], error["failureCode"]) == (
        "parameter-validation-failed",
        "id",
        "badinteger",
    )


@pytest.mark.parametrize("raw_id", ["-1", "0", "9223372036854775807"])
def test_an_integer_id_of_no_event_is_not_found(sandbox_server, raw_id):
    """Core's integer type has no minimum here: the lookup answers (EventIDParamTrait)."""
    answer = session_of(sandbox_server, "Organizer").rest(
        "GET", f"{CE}/event_registration/{raw_id}"
    )

    assert (answer.status_code, answer.json()["errorKey"]) == (
        404,
        "campaignevents-rest-event-not-found",
    )


@pytest.mark.parametrize(
    "path", ["/organizer/abc/event_registrations", "/participant/²/event_registrations"]
)
def test_a_user_id_that_is_not_an_integer_is_badinteger(sandbox_server, path):
    answer = session_of(sandbox_server, "Organizer").rest("GET", f"{CE}{path}")

    assert (answer.status_code, answer.json().get("failureCode")) == (400, "badinteger")


@pytest.mark.parametrize("depth", [513, 5000])
def test_json_nested_deeper_than_php_reads_is_a_parse_error(sandbox_server, depth):
    session = session_of(sandbox_server, "Organizer")
    body = '{"event_page": ' + "[" * depth + "]" * depth + "}"

    answer = session.rest(
        "POST",
        f"{CE}/event_registration",
        data=body,
        headers={"Content-Type": "application/json"},
    )

    assert (answer.status_code, answer.json()["errorKey"]) == (400, "rest-json-body-parse-error")


def test_json_nested_within_phps_depth_reaches_the_parameter_checks(sandbox_server):
    session = session_of(sandbox_server, "Organizer")
    nested = "[" * 100 + "]" * 100
    body = json.dumps(create_body(token=session.csrf_token()))[:-1] + f', "topics": {nested}}}'

    answer = session.rest(
        "POST",
        f"{CE}/event_registration",
        data=body,
        headers={"Content-Type": "application/json"},
    )

    assert (answer.status_code, answer.json().get("name")) == (400, "topics")


@pytest.mark.parametrize("body", ["{bad", "NaN", '{"a": Infinity}', b"\xff\xfe"])
def test_a_body_that_is_not_json_is_a_parse_error(sandbox_server, body):
    answer = session_of(sandbox_server, "Organizer").rest(
        "POST", f"{CE}/event_registration", data=body, headers={"Content-Type": "application/json"}
    )

    assert (answer.status_code, answer.json()["errorKey"]) == (400, "rest-json-body-parse-error")


def test_a_json_scalar_body_is_bad_json_body(sandbox_server):
    answer = session_of(sandbox_server, "Organizer").rest(
        "POST", f"{CE}/event_registration", data="3", headers={"Content-Type": "application/json"}
    )

    assert (answer.status_code, answer.json()["errorKey"]) == (400, "rest-bad-json-body")


@pytest.mark.parametrize("value", ["²", "٣", "1_0", "99999999999999999999999"])
def test_action_api_integers_are_ascii_and_64_bit(sandbox_server, value):
    answer = session_of(sandbox_server, "Admin").get(action="query", pageids=value)

    assert answer.status_code == 200
    assert answer.json()["error"]["code"] == "badinteger", answer.text
