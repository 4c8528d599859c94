"""A deliberately plain `requests` client: the conformance suite tests servers, not gatebot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from tests.wikis import WikiUnderTest

TIMEOUT = 10
ANONYMOUS_CSRF_TOKEN = "+\\"


@dataclass
class ApiSession:
    """One cookie session against a wiki's Action API and REST API (formatversion=2 JSON)."""

    wiki: WikiUnderTest
    http: requests.Session = field(default_factory=requests.Session)

    def get(self, **params: Any) -> requests.Response:
        return self.http.get(self.wiki.api_url, params=_json(params), timeout=TIMEOUT)

    def post(self, **params: Any) -> requests.Response:
        return self.http.post(self.wiki.api_url, data=_json(params), timeout=TIMEOUT)

    def rest(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.wiki.rest_url}{path}", timeout=TIMEOUT, **kwargs)

    def login(self, login: tuple[str, str]) -> dict[str, Any]:
        """`action=login` with a fresh login token; returns the `login` object of the answer."""
        token = self.get(action="query", meta="tokens", type="login").json()
        answer = self.post(
            action="login",
            lgname=login[0],
            lgpassword=login[1],
            lgtoken=token["query"]["tokens"]["logintoken"],
        )
        return answer.json()["login"]

    def csrf_token(self) -> str:
        return self.get(action="query", meta="tokens", type="csrf").json()["query"]["tokens"][
            "csrftoken"
        ]

    def edit(self, title: str, text: str, **extra: Any) -> requests.Response:
        return self.post(action="edit", title=title, text=text, token=self.csrf_token(), **extra)


def logged_in(wiki: WikiUnderTest, login: tuple[str, str]) -> ApiSession:
    """A session of `login` on `wiki`; fails the test with the server's answer when refused."""
    session = ApiSession(wiki)
    answer = session.login(login)
    assert answer.get("result") == "Success", (
        f"{wiki.name}: bot-password login of {login[0]} was refused: {answer}"
    )
    return session


def _json(params: dict[str, Any]) -> dict[str, Any]:
    return {"format": "json", "formatversion": "2", **params}


def missing_keys(obj: object, keys: set[str]) -> set[str]:
    """The keys of `keys` that the JSON object `obj` lacks (all of them if it is no object)."""
    return keys - set(obj) if isinstance(obj, dict) else set(keys)
