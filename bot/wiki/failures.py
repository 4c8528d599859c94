"""Read what went wrong from a wiki's answer (or its absence) and name it with a typed error."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import requests
import urllib3.exceptions

from bot.wiki.errors import (
    ApiError,
    AssertUserFailed,
    MaxLagged,
    MissingRight,
    OutcomeUnknown,
    RateLimited,
    ReadOnly,
    RestError,
    UserBlocked,
    WikiError,
    WikiUnreachable,
)

# Action API codes that mean "come back later": retried, then raised as their type.
RETRYABLE_API_CODES: dict[str, type[WikiError]] = {
    "maxlag": MaxLagged,
    "ratelimited": RateLimited,
    "readonly": ReadOnly,
}
# HTTP statuses a read is retried after: the edge's limiter and the transient 5xx (500
# included: a read changes nothing, so asking again is safe, as pywikibot and mwclient do).
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# The only statuses a write is sent again after, because they say it was not processed:
# 429 (the edge's limiter) and 503 with Retry-After ("come back later"). See
# `write_not_processed`; any other 5xx on a write is `OutcomeUnknown`.
RESENT_AFTER_WRITE = frozenset({429, 503})
# OAuth's answer to a signature whose nonce the wiki saw already (T106066): never processed.
OAUTH_NONCE_CODE = "mwoauth-invalid-authorization"

_ASSERT_CODES = frozenset({"assertuserfailed", "assertnameduserfailed", "assertbotfailed"})
_BLOCK_CODES = frozenset(
    {"blocked", "autoblocked", "globalblocking-blockedtext", "globalblocking-ipblocked"}
)
_RIGHT_CODES = frozenset(
    {"permissiondenied", "writeapidenied", "readapidenied", "mustbeloggedin", "rest-write-denied"}
)
_ADVICE = {
    MaxLagged: "the wiki's database is lagging; try again in a few minutes.",
    RateLimited: "the wiki's rate limit for this account was reached; try again later.",
    ReadOnly: "the wiki is in read-only mode (maintenance); try again later.",
}


def write_not_processed(status: int, retry_after: str | None) -> bool:
    """True when this status proves the wiki did not carry out a write (so it may be re-sent)."""
    if status not in RESENT_AFTER_WRITE:
        return False
    return status != 503 or bool(retry_after and retry_after.strip())


def stale_oauth_nonce(code: str | None, text: str) -> bool:
    """True for OAuth's "Nonce already used" refusal, which a fresh signature cures."""
    return code == OAUTH_NONCE_CODE and "nonce already used" in text.lower()


def decode_body(response: requests.Response) -> Any:
    """The JSON body, the text when it is not JSON, or None when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def error_code(payload: Any) -> str | None:
    """The Action API error code in a decoded answer, if any."""
    error = payload.get("error") if isinstance(payload, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def not_api_json(
    status: int,
    request: dict[str, Any],
    *,
    write: bool,
    path: str | None = None,
    fingerprint: str | None = None,
) -> WikiError:
    """api.php answered with something other than its JSON (an HTML error page, a proxy):
    a read could not be done; a write may or may not have been (`path` and `fingerprint`
    name it for reconciling)."""
    where = request.get("url", "the wiki")
    if write:
        return OutcomeUnknown(
            f"{where} answered a write with HTTP {status} and no API result, so it may or may "
            "not have been carried out; check the wiki's state, then re-run.",
            status=status,
            path=path,
            fingerprint=fingerprint,
            **request,
        )
    return WikiUnreachable(
        f"{where} answered HTTP {status} without an API result; check that --wiki names the "
        "wiki's api.php.",
        status=status,
        **request,
    )


def api_error(payload: Any, request: dict[str, Any]) -> WikiError | None:
    """The typed error for an Action API answer, or None when it carries no error."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    code = str(error.get("code", "unknown"))
    info = str(error.get("info", ""))
    where = request.get("url", "the wiki")
    if code in RETRYABLE_API_CODES:
        kind = RETRYABLE_API_CODES[code]
        return kind(
            f"{where} kept answering {code!r} after gatebot waited and retried: {_ADVICE[kind]}",
            **request,
        )
    if code in _ASSERT_CODES:
        return AssertUserFailed(
            f"{where} says the session is not the expected user ({info}); "
            "run again so gatebot logs in afresh.",
            **request,
        )
    if code in _BLOCK_CODES:
        return UserBlocked(
            f"{where} refused the request because the account is blocked: {info}", **request
        )
    if code in _RIGHT_CODES:
        return MissingRight(
            f"{where} refused the request for lack of a right ({code}): {info} "
            "Ask a wiki administrator or check the bot password's grants.",
            **request,
        )
    data = {key: value for key, value in error.items() if key not in ("code", "info")}
    return ApiError(code, info, data, **request)


def rest_error(status: int, body: Any, request: dict[str, Any]) -> WikiError:
    """The typed error for a REST 4xx/5xx answer, from any of core's three envelope shapes."""
    envelope = body if isinstance(body, dict) else {}
    messages = envelope.get("messageTranslations")
    if not isinstance(messages, dict) or not messages:
        text = envelope.get("message") or (body if isinstance(body, str) else "")
        messages = {"en": str(text).strip() or f"HTTP {status}"}
    error_key = envelope.get("errorKey") or envelope.get("error")
    if error_key in _RIGHT_CODES:
        return MissingRight(
            f"{request.get('url', 'the wiki')} refused the write "
            f"({error_key}): {messages.get('en', '')} Check the bot password's "
            "grants (it needs high-volume or basic write access).",
            status=status,
            **request,
        )
    return RestError(
        status,
        error_key,
        dict(messages),
        name=envelope.get("name"),
        failure_code=envelope.get("failureCode"),
        data=envelope,
        **request,
    )


def status_error(status: int, request: dict[str, Any]) -> WikiError:
    """The error left when a read kept getting 429 or a transient 5xx until the retries ran
    out: the request, the status and what to do."""
    where = request.get("url", "the wiki")
    if status == 429:
        return RateLimited(
            f"{where} kept answering HTTP 429 (too many requests) after gatebot "
            f"waited and retried: {_ADVICE[RateLimited]}",
            status=status,
            **request,
        )
    if status == 500:
        advice = (
            "the wiki fails on this request (an internal error): try again later, and if it "
            "keeps failing, report it to the wiki's administrators."
        )
    else:
        advice = "the wiki may be down, try again later."
    return WikiUnreachable(
        f"{request.get('method', 'A request to')} {where} kept answering HTTP {status} "
        f"after gatebot waited and retried; {advice}",
        status=status,
        **request,
    )


def unreachable(error: requests.RequestException, request: dict[str, Any]) -> WikiUnreachable:
    """A transport failure, named without echoing the exception (it may hold a full URL)."""
    kind = type(error).__name__
    return WikiUnreachable(
        f"{request.get('url', 'the wiki')} could not be reached ({kind}); "
        "check the address and the network, then try again.",
        **request,
    )


def never_sent(error: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (so a write may be re-sent)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    if not isinstance(error, requests.ConnectionError):
        return False
    reason = error.args[0] if error.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason,
        (
            urllib3.exceptions.NewConnectionError,
            urllib3.exceptions.ConnectTimeoutError,
            urllib3.exceptions.NameResolutionError,
        ),
    )


@contextlib.contextmanager
def answer_shape(url: str, what: str) -> Iterator[None]:
    """Reading `what` out of an api.php answer that is JSON but not in the shape MediaWiki's API
    gives (a proxy's or another service's JSON): `WikiUnreachable`, not a traceback."""
    try:
        yield
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
        raise WikiUnreachable(
            f"{url} answered the request for {what} with JSON that MediaWiki's API does not "
            f"give ({type(error).__name__}: {str(error)[:80]}); check that --wiki names the "
            "wiki's api.php.",
            url=url,
        ) from None
