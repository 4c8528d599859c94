"""A scripted wiki behind `responses`: api.php and rest.php as the contracts describe them.

It keeps one session (login, CSRF token), logs every request under a short label
(`login-token`, `login`, `userinfo`, `csrf`, `siteinfo`, `edit`, `PUT /campaignevents/...`)
and can be told to answer the next calls of a label with canned replies first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses
from requests.structures import CaseInsensitiveDict

API = "https://wiki.example.org/w/api.php"
REST = "https://wiki.example.org/w/rest.php"
SECRET = "s3cr3tpassw0rdabcdefabcdefabcdef"
LOGIN = "Tester@gatebot"
SESSION_COOKIE = "testwiki_session"
Reply = tuple[int, dict[str, str], Any] | Exception


class FakeWiki:
    """The wiki's state and scripted replies; `install(rsps)` routes requests to it."""

    def __init__(self, api: str = API, rest: str = REST):
        self.api = api
        self.rest = rest
        self.user = "Tester"
        self.password = SECRET
        self.logged_in = False
        self.accept_oauth = False
        self.headers: list[CaseInsensitiveDict] = []
        self.csrf = "csrf-1+\\"
        self.rights = [
            "read",
            "edit",
            "createpage",
            "writeapi",
            "editmyoptions",
            "campaignevents-enable-registration",
            "campaignevents-organize-events",
        ]
        self.groups = ["*", "user", "event-organizer"]
        self.options: dict[str, Any] = {"timecorrection": "ZoneInfo|60|Europe/Berlin"}
        self.ratelimits: dict[str, Any] = {}
        self.block: dict[str, Any] = {}
        self.labels: list[str] = []
        self.bodies: list[Any] = []
        self.script: dict[str, deque[Reply]] = defaultdict(deque)

    def install(self, rsps: responses.RequestsMock) -> None:
        for method in ("GET", "POST"):
            rsps.add_callback(method, self.api, callback=self._api)
        pattern = re.compile(re.escape(self.rest) + r"/.*")
        for method in ("GET", "POST", "PUT", "DELETE"):
            rsps.add_callback(method, pattern, callback=self._rest)

    def then(self, label: str, *replies: Reply) -> None:
        """Answer the next calls labelled `label` with `replies`, in order."""
        self.script[label].extend(replies)

    def count(self, label: str) -> int:
        return self.labels.count(label)

    # -- api.php ------------------------------------------------------------------------

    def _api(self, request: Any) -> Reply:
        params = dict(parse_qsl(urlsplit(request.url).query))
        if request.body:
            body = request.body if isinstance(request.body, str) else request.body.decode()
            params.update(parse_qsl(body, keep_blank_values=True))
        label = _api_label(params)
        self._record(label, params, request)
        if self.script[label]:
            return _encode(self.script[label].popleft())
        return _encode(self._answer(label, params, request))

    def _record(self, label: str, body: Any, request: Any) -> None:
        self.labels.append(label)
        self.bodies.append(body)
        self.headers.append(
            CaseInsensitiveDict(
                {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
            )
        )

    def _signed(self, request: Any) -> bool:
        """An OAuth-signed request the wiki accepts (OAuth sessions need no CSRF token)."""
        header = request.headers.get("Authorization", b"")
        header = header.decode() if isinstance(header, bytes) else header
        return self.accept_oauth and header.startswith("OAuth ")

    def _answer(self, label: str, params: dict[str, str], request: Any) -> Reply:
        if label == "login-token":
            return (
                200,
                {"Set-Cookie": f"{SESSION_COOKIE}=anon123; path=/; HttpOnly"},
                {"query": {"tokens": {"logintoken": "login-token+\\"}}},
            )
        if label == "login":
            if params.get("lgname") != LOGIN or params.get("lgpassword") != self.password:
                return (
                    200,
                    {},
                    {
                        "login": {
                            "result": "Failed",
                            "reason": "Incorrect username or password entered. Please try again.",
                        }
                    },
                )
            self.logged_in = True
            return (
                200,
                {"Set-Cookie": f"{SESSION_COOKIE}=user456; path=/; HttpOnly"},
                {"login": {"result": "Success", "lguserid": 7, "lgusername": self.user}},
            )
        if label == "userinfo":
            return 200, {}, {"query": {"userinfo": self._userinfo(request)}}
        if label == "csrf":
            return 200, {}, {"query": {"tokens": {"csrftoken": self.csrf}}}
        if label == "siteinfo":
            return (
                200,
                {},
                {
                    "query": {
                        "general": {
                            "wikiid": "testwiki",
                            "server": "https://wiki.example.org",
                            "scriptpath": "/w",
                            "generator": "MediaWiki 1.45.0",
                            "timezone": "Europe/Berlin",
                            "timeoffset": 60,
                        },
                        "namespaces": {"0": {"id": 0, "name": ""}, "2": {"id": 2, "name": "User"}},
                    }
                },
            )
        if params.get("token") != self.csrf:
            return 200, {}, {"error": {"code": "badtoken", "info": "Invalid CSRF token."}}
        return 200, {}, {label: {"result": "Success"}}

    def _userinfo(self, request: Any) -> dict[str, Any]:
        cookies = request.headers.get("Cookie", "")
        by_cookie = self.logged_in and f"{SESSION_COOKIE}=user456" in cookies
        if not (by_cookie or self._signed(request)):
            return {"id": 0, "name": "127.0.0.1", "anon": True}
        return {
            "id": 7,
            "name": self.user,
            "groups": self.groups,
            "rights": self.rights,
            "options": self.options,
            "ratelimits": self.ratelimits,
            "centralids": {"CentralAuth": 4242, "local": 7},
            **self.block,
        }

    # -- rest.php -----------------------------------------------------------------------

    def _rest(self, request: Any) -> Reply:
        path = urlsplit(request.url).path[len(urlsplit(self.rest).path) :]
        label = f"{request.method} {path}"
        body = json.loads(request.body) if request.body else None
        self._record(label, body, request)
        if self.script[label]:
            return _encode(self.script[label].popleft())
        if (
            request.method != "GET"
            and not self._signed(request)
            and (body or {}).get("token") != self.csrf
        ):
            return _encode(
                (
                    403,
                    {},
                    {
                        "errorKey": "rest-badtoken",
                        "messageTranslations": {"en": "The CSRF token is invalid."},
                        "httpCode": 403,
                        "httpReason": "Forbidden",
                    },
                )
            )
        return _encode((200, {}, {"id": 7}))


def _api_label(params: dict[str, str]) -> str:
    if params.get("meta") == "tokens":
        return "login-token" if params.get("type") == "login" else "csrf"
    if params.get("meta") in ("userinfo", "siteinfo"):
        return params["meta"]
    return params.get("action", "?")


def _encode(reply: Reply) -> tuple[int, dict[str, str], str]:
    if isinstance(reply, Exception):
        raise reply
    status, headers, body = reply
    text = body if isinstance(body, str) else json.dumps(body)
    return status, {"Content-Type": "application/json", **headers}, text
