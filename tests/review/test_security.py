"""The review page can answer on the user's behalf, so only the page gatebot printed may talk
to it: each rule of issue 10's security list, tried with plain HTTP requests."""

from __future__ import annotations

import json
import re
import socket
from html.parser import HTMLParser
from http.cookiejar import LWPCookieJar

import pytest

from bot.review.server import FORBIDDEN
from tests.review.harness import Page

PATHS = ("/", "/static/review.js", "/static/review.css", "/api/state", "/static/", "/nothing")


def bad_tokens(token: str) -> list[str]:
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    return ["", flipped, token[:-1], token + "x", token[:10], token.upper(), token.lower()]


def test_it_listens_on_127_0_0_1_only(page: Page):
    assert page.review.server.httpd.server_address[0] == "127.0.0.1"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", page.port), timeout=2):
        pass


def test_the_printed_link_opens_the_page(page: Page):
    reply = page.request("GET", f"/?token={page.token}")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Add an image" in reply.body
    assert page.review.url == f"{page.origin}/?token={page.token}"


@pytest.mark.parametrize("path", PATHS)
def test_no_token_gets_403_and_nothing_else(page: Page, path: str):
    reply = page.request("GET", path)
    assert (reply.status, reply.body) == (403, FORBIDDEN)
    assert "Set-Cookie" not in reply.headers


@pytest.mark.parametrize("path", ["/", "/static/review.js", "/api/state"])
def test_a_wrong_token_gets_403_and_nothing_else(page: Page, path: str):
    for wrong in bad_tokens(page.token):
        for headers, query in (({}, f"?token={wrong}"), ({"X-Gatebot-Token": wrong}, "")):
            reply = page.request("GET", path + query, headers=headers)
            assert (reply.status, reply.body) == (403, FORBIDDEN), (wrong, headers)


def test_the_token_given_twice_is_refused(page: Page):
    reply = page.request("GET", f"/?token={page.token}&token={page.token}")
    assert (reply.status, reply.body) == (403, FORBIDDEN)


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "localhost:{port}", "127.0.0.1", ""]
)
def test_another_host_name_is_refused_even_with_the_token(page: Page, host: str):
    """DNS rebinding: a site whose name resolves to 127.0.0.1 sends its own name as Host."""
    headers = {"Host": host.format(port=page.port)}
    assert page.request("GET", f"/?token={page.token}", headers=headers).status == 403
    api = {**headers, **page.api_headers()}
    assert page.request("GET", "/api/state", headers=api).status == 403


def current_id(page: Page) -> str:
    return page.suggestion()["id"]


@pytest.mark.parametrize(
    "change",
    [
        {"Origin": None},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:{port}"},
        {"X-Gatebot-Token": None},
        {"X-Gatebot-Token": "wrong"},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Host": "evil.example:{port}"},
    ],
)
def test_a_post_without_this_origin_host_token_and_json_sends_nothing(page: Page, change: dict):
    payload = {"id": current_id(page)}
    headers = {
        "X-Gatebot-Token": page.token,
        "Origin": page.origin,
        "Content-Type": "application/json",
        "Host": f"127.0.0.1:{page.port}",
    }
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value.format(port=page.port)
    body = json.dumps({"id": payload["id"], "answer": "skip"}).encode()
    reply = page.request("POST", "/api/answer", headers=headers, body=body)
    assert (reply.status, reply.body) == (403, FORBIDDEN)
    assert page.state()["suggestion"]["id"] == payload["id"], "the suggestion was answered"


def test_a_post_with_the_token_only_in_the_query_is_refused(page: Page):
    reply = page.request(
        "POST",
        f"/api/answer?token={page.token}",
        headers={"Origin": page.origin, "Content-Type": "application/json"},
        body=b'{"answer": "skip"}',
    )
    assert (reply.status, reply.body) == (403, FORBIDDEN)


def test_answers_are_posts_only(page: Page):
    for method in ("GET", "PUT", "DELETE"):
        reply = page.request(method, "/api/answer", headers=page.api_headers())
        assert reply.status == 405, method
    headers = {**page.api_headers(), "Origin": page.origin, "Content-Type": "application/json"}
    assert page.request("POST", "/", headers=headers).status == 405


def csp(reply) -> dict[str, list[str]]:
    policy = {}
    for directive in reply.headers["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


@pytest.mark.parametrize("path", ["/", "/static/review.js", "/api/state", "/nothing"])
def test_every_answer_carries_the_strict_headers(page: Page, path: str):
    for reply in (
        page.request("GET", f"{path}?token={page.token}"),
        page.request("GET", path),  # a refusal too
    ):
        policy = csp(reply)
        assert policy["default-src"] == ["'none'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["connect-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["img-src"] == [
            "'self'", f"http://127.0.0.1:{page.wiki.target.host.split(':')[1]}",
            "https://upload.wikimedia.org",
        ]  # fmt: skip
        assert not any("unsafe" in v or v in ("*", "data:", "http:") for vs in policy.values()
                       for v in vs)  # fmt: skip
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self.scripts.append(names)
            self._in_script = True
        self.inline += [n for n in names if n.startswith("on") or n == "style"]
        if tag == "style":
            self.inline.append("<style>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("inline script")


def test_the_page_has_no_inline_script_or_style(page: Page):
    markup = _Markup()
    markup.feed(page.request("GET", f"/?token={page.token}").body.decode())
    assert markup.scripts and all(s["src"].startswith("/static/") for s in markup.scripts)
    assert markup.inline == []


@pytest.mark.parametrize(
    "path",
    ["/static", "/static/", "/static/../server.py", "/static/index.html/", "/static/%2e%2e/desk.py",
     "/bot/review/static/", "/static/review.js/", "/static/lead.py"],
)  # fmt: skip
def test_no_directory_listing_and_nothing_outside_the_page_files(page: Page, path: str):
    reply = page.request("GET", f"{path}?token={page.token}")
    assert reply.status == 404
    assert b"review.js" not in reply.body and b"import" not in reply.body


def wiki_secrets(page: Page, state) -> list[str]:
    """The user's wiki cookies (as saved in the state folder) and the session's CSRF token."""
    jar = LWPCookieJar()
    for path in state.rglob("*"):
        if path.is_file() and "cookie" in path.name.lower():
            jar.load(str(path), ignore_discard=True)
    values = [cookie.value for cookie in jar if cookie.value and len(cookie.value) >= 8]
    assert values, "expected the wiki's session cookies in the state folder"
    return [*values, page.wiki.csrf_token().rstrip("+\\")]


def test_the_wiki_session_cookie_and_tokens_never_reach_the_page(page: Page, state):
    suggestion = page.suggestion()
    replies = [
        page.request("GET", f"{path}?token={page.token}")
        for path in ("/", "/static/review.js", "/static/review.css", "/static/favicon.svg")
    ]
    replies.append(page.request("GET", "/api/state", headers=page.api_headers()))
    replies.append(page.post_answer({"id": suggestion["id"], "answer": "yes", "caption": "ab"}))
    replies.append(page.post_answer({"id": suggestion["id"], "answer": "skip"}))
    secrets = wiki_secrets(page, state)
    for reply in replies:
        assert reply.status in (200, 422)
        text = reply.body.decode() + " ".join(f"{k}: {v}" for k, v in reply.headers.items())
        for secret in secrets:
            assert secret not in text
        assert not re.search(r"(?i)set-cookie", text)
