"""A scripted wiki behind `responses`: api.php and rest.php answering with the contracts' shapes.

Every answer it gives by itself is one the contracts document: the Action API shapes of
login, tokens, userinfo and siteinfo; core's REST token rules and error envelopes
(contracts/campaignevents.md §4.1, §4.3); the CampaignEvents routes' success answers from
the contract's own examples (tests/sandbox/fixtures/ce_*.json: POST 201 `{id}` with a
`Location`, GET the event object, PUT and DELETE 204). It normalises login names as
MediaWiki does (`tester@gatebot` logs in as Tester). Requests are logged under short labels
(`login-token`, `login`, `userinfo`, `csrf`, `siteinfo`, `edit`, `PUT /campaignevents/...`);
`then(label, ...)` scripts what the next calls of a label get instead, after the token check.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses
from requests.structures import CaseInsensitiveDict

API = "https://wiki.example.org/w/api.php"
REST = "https://wiki.example.org/w/rest.php"
SECRET = "s3cr3tpassw0rdabcdefabcdefabcdef"
LOGIN = "Tester@gatebot"
SESSION_COOKIE = "testwiki_session"
FIXTURES = Path(__file__).resolve().parents[1] / "sandbox" / "fixtures"
EVENTS = "/campaignevents/v0/event_registration"
Reply = tuple[int, dict[str, str], Any] | Exception


def fixture(name: str) -> Any:
    """A contract example from tests/sandbox/fixtures (read-only)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def envelope(status: int, key: str, text: str, **extra: Any) -> Reply:
    """Core's localized REST error (contracts/campaignevents.md §4.3)."""
    reasons = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}
    body = {
        "errorKey": key,
        "messageTranslations": {"en": text},
        "httpCode": status,
        "httpReason": reasons.get(status, ""),
        **extra,
    }
    return status, {}, body


def canonical_user(name: str) -> str:
    """MediaWiki's user name normalisation: underscores are spaces, first letter upper."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


class FakeWiki:
    """The wiki's state and scripted replies; `install(rsps)` routes requests to it."""

    def __init__(self, api: str = API, rest: str = REST):
        self.api = api
        self.rest = rest
        self.user = "Tester"
        self.user_id = 7
        self.apps = {"gatebot", "other"}
        self.password = SECRET
        self.sessions = 0
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

    def session_cookie(self) -> str:
        """The value of the logged-in session's cookie (a new one at each login)."""
        return f"user{self.sessions}"

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

    def _named(self, request: Any) -> bool:
        """The request belongs to the logged-in session (by cookie or OAuth signature)."""
        cookies = request.headers.get("Cookie", "")
        by_cookie = self.logged_in and f"{SESSION_COOKIE}={self.session_cookie()}" in cookies
        return by_cookie or self._signed(request)

    def _answer(self, label: str, params: dict[str, str], request: Any) -> Reply:
        if label == "login-token":
            anonymous = {"Set-Cookie": f"{SESSION_COOKIE}=anon123; path=/; HttpOnly"}
            return (
                200,
                {} if self._named(request) else anonymous,
                {"batchcomplete": True, "query": {"tokens": {"logintoken": "login-token+\\"}}},
            )
        if label == "login":
            return self._login(params, request)
        if label == "userinfo":
            return 200, {}, {"batchcomplete": True, "query": {"userinfo": self._userinfo(request)}}
        if label == "csrf":
            token = self.csrf if self._named(request) else "+\\"
            return 200, {}, {"batchcomplete": True, "query": {"tokens": {"csrftoken": token}}}
        if label == "siteinfo":
            return 200, {}, {"batchcomplete": True, "query": _SITEINFO}
        if params.get("token") != self.csrf or not self._named(request):
            return 200, {}, {"error": {"code": "badtoken", "info": "Invalid CSRF token."}}
        if label == "edit":
            return 200, {}, {"edit": {**_EDITED, "title": params.get("title", "")}}
        return 200, {}, {label: "success"}

    def _login(self, params: dict[str, str], request: Any) -> Reply:
        if self._named(request) and not self._signed(request):
            # what MediaWiki 1.39 answers a login sent on a live bot-password session
            reason = "Cannot log in when using BotPasswordSessionProvider sessions."
            return 200, {}, {"login": {"result": "Aborted", "reason": reason}}
        user, _, app = params.get("lgname", "").partition("@")
        if (
            canonical_user(user) != self.user
            or app not in self.apps
            or params.get("lgpassword") != self.password
        ):
            reason = "Incorrect username or password entered. Please try again."
            return 200, {}, {"login": {"result": "Failed", "reason": reason}}
        self.logged_in = True
        self.sessions += 1
        return (
            200,
            {"Set-Cookie": f"{SESSION_COOKIE}={self.session_cookie()}; path=/; HttpOnly"},
            {"login": {"result": "Success", "lguserid": self.user_id, "lgusername": self.user}},
        )

    def _userinfo(self, request: Any) -> dict[str, Any]:
        if not self._named(request):
            return {"id": 0, "name": "127.0.0.1", "anon": True}
        return {
            "id": self.user_id,
            "name": self.user,
            "groups": self.groups,
            "rights": self.rights,
            "options": self.options,
            "ratelimits": self.ratelimits,
            "centralids": {"CentralAuth": 4242, "local": self.user_id},
            **self.block,
        }

    # -- rest.php -----------------------------------------------------------------------

    def _rest(self, request: Any) -> Reply:
        path = urlsplit(request.url).path[len(urlsplit(self.rest).path) :]
        label = f"{request.method} {path}"
        body = json.loads(request.body) if request.body else None
        self._record(label, body, request)
        refusal = self._token_refusal(request, body) if request.method != "GET" else None
        if refusal is not None:
            return _encode(refusal)
        if self.script[label]:
            return _encode(self.script[label].popleft())
        return _encode(_campaignevents(request.method, path))

    def _token_refusal(self, request: Any, body: Any) -> Reply | None:
        """Core's TokenAwareHandlerTrait: OAuth needs no token; a cookie session needs its own."""
        if self._signed(request):
            return None
        token = (body or {}).get("token") if isinstance(body, dict) else None
        if not token:
            text = "The token parameter is required but was not provided."
            return envelope(403, "rest-badtoken-missing", text)
        if not self._named(request):
            text = "Invalid CSRF token: no session. You may have forgotten to log in."
            return envelope(403, "rest-badtoken-nosession", text)
        if token != self.csrf:
            return envelope(403, "rest-badtoken", "The CSRF token is invalid.")
        return None


def _campaignevents(method: str, path: str) -> Reply:
    """The CampaignEvents routes' documented success answers (contract §1.2-§1.5)."""
    event = re.fullmatch(re.escape(EVENTS) + r"/(\d+)", path)
    if method == "POST" and path == EVENTS:
        created = fixture("ce_create_response")
        location = f"{REST}{EVENTS}/{created['id']}"
        return 201, {"Location": location}, created
    if event and method in ("PUT", "DELETE"):
        return 204, {}, ""
    registration = fixture("ce_get_registration")
    if event and method == "GET" and int(event.group(1)) == registration["id"]:
        return 200, {}, registration
    if event:
        return envelope(
            404, "campaignevents-rest-event-not-found", "There is no event with this ID."
        )
    text = f"The requested relative path ({path}) did not match any known handler"
    return envelope(404, "rest-no-match", text)


_SITEINFO = {
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
# action=edit's answer (formatversion=2) for a saved change.
_EDITED = {
    "result": "Success",
    "pageid": 42,
    "contentmodel": "wikitext",
    "oldrevid": 100,
    "newrevid": 101,
    "newtimestamp": "2026-12-01T10:00:00Z",
    "watched": False,
}


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
    content_type = {"Content-Type": "application/json"} if text else {}
    return status, {**content_type, **headers}, text
