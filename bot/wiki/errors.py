"""Typed errors of the wiki transport, named after what went wrong on the wiki.

Every error says, in one sentence, what failed and what to do; it carries the request
(method and URL, never a body, token or password) and the HTTP status where one exists.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from policies.errors import GatebotError

# Query parameters whose values are never shown, should a caller ever put them in a URL.
_SECRET_PARAMS = ("token", "password", "secret", "lgpassword", "oauth")


def is_secret_name(name: str) -> bool:
    """True for a parameter name whose value must never be shown (tokens, passwords)."""
    return any(s in name.lower() for s in _SECRET_PARAMS)


def redact_url(url: str) -> str:
    """The URL with any secret-looking query value replaced by `***`."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (k, "***" if is_secret_name(k) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


class WikiError(GatebotError):
    """A request to the wiki failed; `method`/`url` name the request, `status` the HTTP code."""

    exit_status = 1

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.method = method
        self.url = redact_url(url) if url else None
        self.status = status


class _AccountProblem(WikiError):
    """The wiki cannot be used as this account at all: the command stops with exit status 3."""

    exit_status = 3


class WikiUnreachable(_AccountProblem):
    """No usable answer from the wiki: connection refused, DNS, timeouts, repeated 5xx."""


class LoginFailed(_AccountProblem):
    """The wiki refused the credentials (wrong bot password, unknown user, rejected OAuth)."""


class MissingRight(_AccountProblem):
    """The logged-in user lacks a right the operation needs; `rights` lists the missing ones."""

    def __init__(self, message: str, *, rights: tuple[str, ...] = (), **request: Any):
        super().__init__(message, **request)
        self.rights = rights


class UserBlocked(_AccountProblem):
    """The account is blocked sitewide, so the wiki will refuse its writes."""


class AssertUserFailed(_AccountProblem):
    """The session is not (or no longer) the expected user: gatebot refuses to act as another."""


class InsecureTarget(_AccountProblem):
    """A target URL is plain HTTP on a non-loopback host: credentials would travel in clear."""


class ApiError(WikiError):
    """An Action API error object: `code` and `info` as the wiki sent them, `data` the rest."""

    def __init__(self, code: str, info: str, data: dict[str, Any] | None = None, **request: Any):
        super().__init__(f"The wiki refused the request ({code}): {info}", **request)
        self.code = code
        self.info = info
        self.data = data or {}


class RestError(WikiError):
    """A REST error envelope: `error_key`, `messages` by language, and for parameter
    validation the parameter `name` and `failure_code`."""

    def __init__(
        self,
        http_code: int,
        error_key: str | None,
        messages: dict[str, str],
        *,
        name: str | None = None,
        failure_code: str | None = None,
        data: dict[str, Any] | None = None,
        **request: Any,
    ):
        text = messages.get("en") or next(iter(messages.values()), "") or "no message"
        where = f" (parameter {name!r})" if name else ""
        key = error_key or "error"
        super().__init__(
            f"The wiki refused the request with HTTP {http_code} {key}{where}: {text}",
            status=http_code,
            **request,
        )
        self.http_code = http_code
        self.error_key = error_key
        self.messages = messages
        self.name = name
        self.failure_code = failure_code
        self.data = data or {}


class RateLimited(WikiError):
    """The wiki kept answering `ratelimited` or HTTP 429 after gatebot waited and retried."""


class MaxLagged(WikiError):
    """The wiki's database replicas stayed lagged (maxlag) for longer than gatebot waits."""


class ReadOnly(WikiError):
    """The wiki stayed in read-only mode for longer than gatebot waits."""


class OutcomeUnknown(WikiError):
    """A write may have reached the wiki but no answer proves what happened; it is never
    re-sent automatically: read the state back and reconcile. `path` names the call (the
    REST route, or `api.php?action=<action>`), `fingerprint` is the sha256 hex of the
    canonical JSON of what was sent, without the token (`bot.wiki.rest.fingerprint`)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        fingerprint: str | None = None,
        **request: Any,
    ):
        super().__init__(message, **request)
        self.path = path
        self.fingerprint = fingerprint
