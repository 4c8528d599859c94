"""One request at a time per wiki: writes paced, what the wiki asked to retry retried, and a
write whose outcome is unknown never sent again.

A read is retried after a transport failure and after 429/500/502/503/504. A write is sent again
only when the wiki proves it was not processed: the connection never carried it, 429, 503
with Retry-After, or OAuth's "Nonce already used" (once). Any other 5xx, or a connection
lost after sending, is `OutcomeUnknown` carrying the call's path and body fingerprint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from bot.wiki.errors import OutcomeUnknown, WikiError, redact_url
from bot.wiki.failures import (
    RETRYABLE_STATUSES,
    never_sent,
    status_error,
    unreachable,
    write_not_processed,
)
from bot.wiki.retry import RetryPolicy, TryAgain, parse_retry_after, run_with_retries

T = TypeVar("T")
Check = Callable[[requests.Response, dict[str, Any]], T]

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def wiki_lock(api_url: str) -> threading.RLock:
    """One lock per wiki in this process: one request at a time per wiki."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(api_url, threading.RLock())


@dataclass(frozen=True)
class Write:
    """A write's facts: `path` and `fingerprint` for reconciling an unknown outcome,
    `interval` the seconds to keep between writes (None or 0: no pacing)."""

    path: str
    fingerprint: str
    interval: float | None = None


class StaleNonce(Exception):
    """Raised by a check for OAuth's "Nonce already used": a fresh signature is sent once."""

    def __init__(self, error: WikiError):
        super().__init__(str(error))
        self.error = error


class RequestLoop:
    """Sends through `send` (a backend's raw HTTP call) under the wiki's lock."""

    def __init__(
        self,
        send: Callable[..., requests.Response],
        *,
        lock_key: str,
        retry_policy: RetryPolicy,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ):
        self._send = send
        self._lock = wiki_lock(lock_key)
        self.retry_policy = retry_policy
        self._sleep = sleep
        self._clock = clock
        self._last_write_at: float | None = None

    def run(
        self, method: str, url: str, *, check: Check[T], write: Write | None, **options: Any
    ) -> T:
        """Send until `check` accepts the answer or raises, or the retry bounds are hit."""
        request = {"method": method, "url": redact_url(url)}
        nonce_retried = False

        def attempt() -> T:
            nonlocal nonce_retried
            response = self._transmit(method, url, request, write, options)
            status = response.status_code
            retry_after = response.headers.get("Retry-After")
            if write is not None and status >= 500 and not write_not_processed(status, retry_after):
                raise OutcomeUnknown(
                    f"{method} {request['url']} got HTTP {status}, so it may or may not have "
                    "been carried out; check the wiki's state, then re-run.",
                    status=status,
                    path=write.path,
                    fingerprint=write.fingerprint,
                    **request,
                )
            if status in RETRYABLE_STATUSES:
                raise TryAgain(status_error(status, request), parse_retry_after(retry_after))
            try:
                return check(response, request)
            except StaleNonce as stale:
                if nonce_retried:
                    raise stale.error from None
                nonce_retried = True
                raise TryAgain(stale.error, 0.0) from None

        with self._lock:
            return run_with_retries(attempt, policy=self.retry_policy, sleep=self._sleep)

    def _transmit(
        self,
        method: str,
        url: str,
        request: dict[str, Any],
        write: Write | None,
        options: dict[str, Any],
    ) -> requests.Response:
        """One HTTP exchange; a failure is retried unless a write may have reached the wiki."""
        if write is not None:
            self._pace(write.interval)
        try:
            return self._send(method, url, **options)
        except requests.RequestException as error:
            if write is not None and not never_sent(error):
                raise OutcomeUnknown(
                    f"{method} {request['url']} was sent but no answer came back "
                    f"({type(error).__name__}); gatebot will not send it again blindly: "
                    "check the wiki's state, then re-run.",
                    path=write.path,
                    fingerprint=write.fingerprint,
                    **request,
                ) from None
            raise TryAgain(unreachable(error, request)) from None
        finally:
            if write is not None:
                self._last_write_at = self._clock()

    def _pace(self, interval: float | None) -> None:
        """Keep `interval` seconds between the end of one write and the start of the next."""
        if not interval or self._last_write_at is None:
            return
        remaining = self._last_write_at + interval - self._clock()
        if remaining > 0:
            self._sleep(remaining)
