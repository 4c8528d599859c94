"""Read a rest.php answer: what proves a refusal, what is an unknown outcome, and the
fingerprint a caller reconciles an unknown outcome with.

Only a 4xx carrying core's JSON error envelope (`httpCode` matching the status, with an
`errorKey`, `error`, `message` or `messageTranslations`; contracts/campaignevents.md §4.3)
proves that the wiki refused a write. A write answered 5xx, or with anything else that is
not the wiki's JSON (a proxy's HTML page), may or may not have been carried out:
`OutcomeUnknown`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import requests

from bot.wiki.apiwarnings import log_warnings, rest_warnings
from bot.wiki.errors import OutcomeUnknown, RestError, WikiError
from bot.wiki.failures import decode_body, rest_error, stale_oauth_nonce
from bot.wiki.models import RestResponse
from bot.wiki.requestloop import StaleNonce

# The error keys core uses for a missing, mismatched or session-less CSRF token.
BADTOKEN_PREFIX = "rest-badtoken"


def fingerprint(body: Any) -> str:
    """sha256 hex of the canonical JSON of `body` without its `token` (same body, same print)."""
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if key != "token"}
    canonical = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_envelope(status: int, body: Any) -> bool:
    """True for core's REST error envelope answering this status (MediaWiki 1.39's localized
    errors carry only `messageTranslations`, newer ones an `errorKey` too)."""
    if not isinstance(body, dict) or body.get("httpCode") != status:
        return False
    translations = body.get("messageTranslations")
    named = any(isinstance(body.get(key), str) for key in ("errorKey", "error", "message"))
    return named or (isinstance(translations, dict) and bool(translations))


def is_badtoken(error: WikiError) -> bool:
    """True for the 403 core sends for a bad token and for a session the wiki forgot."""
    return isinstance(error, RestError) and str(error.error_key or "").startswith(BADTOKEN_PREFIX)


def rest_answer(
    response: requests.Response,
    request: dict[str, Any],
    *,
    route: str,
    sent: str | None,
    secrets: Sequence[str] = (),
) -> RestResponse:
    """The answer as a `RestResponse` (its warnings logged with `secrets` masked), or the
    typed error it proves; `sent` is the body's fingerprint for a write (None for a read).
    OAuth's reused nonce raises `StaleNonce`."""
    status = response.status_code
    data = decode_body(response)
    write = sent is not None
    refused = 400 <= status < 500 and is_envelope(status, data)
    if write and not refused and (status >= 400 or isinstance(data, str)):
        what = f"HTTP {status}" + ("" if isinstance(data, dict | list) else " and no JSON")
        raise OutcomeUnknown(
            f"{request['method']} {request['url']} got {what}, which does not say whether "
            "the write was carried out; check the wiki's state, then re-run.",
            status=status,
            path=route,
            fingerprint=sent,
            **request,
        )
    if status >= 400:
        error = rest_error(status, data, request)
        if isinstance(error, RestError) and stale_oauth_nonce(
            error.error_key, " ".join(error.messages.values())
        ):
            raise StaleNonce(error)
        raise error
    answer = RestResponse(status, dict(response.headers), data, rest_warnings(route, data))
    log_warnings(answer.warnings, request["url"], secrets)
    return answer
