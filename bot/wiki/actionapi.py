"""Read an api.php answer: the result with its warnings, a condition to wait out and retry,
or the typed error the wiki's error object names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import requests

from bot.wiki.apiwarnings import action_api_warnings, log_warnings
from bot.wiki.errors import OutcomeUnknown
from bot.wiki.failures import (
    RETRYABLE_API_CODES,
    api_error,
    decode_body,
    error_code,
    not_api_json,
    stale_oauth_nonce,
)
from bot.wiki.models import ApiAnswer
from bot.wiki.requestloop import StaleNonce, Write
from bot.wiki.retry import TryAgain, parse_retry_after

INTERNAL_ERROR = "internal_api_error_"  # MediaWiki's code for an uncaught exception


def api_answer(
    response: requests.Response,
    request: dict[str, Any],
    *,
    write: Write | None,
    secrets: Sequence[str],
    ratelimit_wait: Callable[[], float | None],
) -> ApiAnswer:
    """The decoded answer, its warnings logged (with `secrets` masked) and attached.

    `maxlag`, `ratelimited` and `readonly` raise `TryAgain` (waiting `Retry-After`, else
    `ratelimit_wait()` for `ratelimited`); OAuth's reused nonce raises `StaleNonce`; any
    other error object its typed error. A body that is not API JSON, or an internal error, is
    `OutcomeUnknown` on a write (a body that is not API JSON is `WikiUnreachable` on a read)."""
    payload = decode_body(response)
    if not isinstance(payload, dict):
        raise not_api_json(
            response.status_code,
            request,
            write=write is not None,
            path=write.path if write else None,
            fingerprint=write.fingerprint if write else None,
        )
    warnings = action_api_warnings(payload)
    log_warnings(warnings, request["url"], secrets)
    error = api_error(payload, request)
    if error is None:
        return ApiAnswer(payload, warnings)
    code = error_code(payload)
    if code in RETRYABLE_API_CODES:
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is None and code == "ratelimited":
            wait = ratelimit_wait()
        raise TryAgain(error, wait)
    if stale_oauth_nonce(code, str(payload["error"].get("info", ""))):
        raise StaleNonce(error)
    if write is not None and str(code).startswith(INTERNAL_ERROR):
        # an exception after the main commit (a deferred update) still answers this way
        raise OutcomeUnknown(
            f"{request.get('url', 'the wiki')} answered a write with an internal error "
            f"({code}: {payload['error'].get('info', '')}), so it may or may not have been "
            "carried out; check the wiki's state, then re-run.",
            path=write.path, fingerprint=write.fingerprint, **request,
        )  # fmt: skip
    raise error
