"""When to try a request again, and how long to wait first (tenacity).

An attempt raises `TryAgain` when the wiki asked to come back later (429/500/502/503/504 on a
read, only what proves a write was not processed on a write: see `requestloop`; a connection
that never carried the request; Action API `maxlag`/`ratelimited`/`readonly`).
The wait honours `Retry-After` (seconds or HTTP date), else backs off exponentially with
jitter; attempts and the total time spent sleeping are both bounded. When the bound is hit,
the typed error of the last attempt is raised. `sleep` is injected so tests never wait.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_any,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from bot.wiki.errors import WikiError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds: `attempts` in all, at most `total_wait` seconds asleep; backoff grows by
    `multiplier` up to `max_backoff` seconds when the wiki gives no Retry-After."""

    attempts: int = 5
    total_wait: float = 300.0
    multiplier: float = 1.0
    max_backoff: float = 60.0


class TryAgain(Exception):
    """Raised by an attempt: the wiki asked to retry. `error` is what the caller sees if the
    retries run out; `retry_after` is the wait the wiki (or its rate limits) asked for."""

    def __init__(self, error: WikiError, retry_after: float | None = None):
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number, or an HTTP date (RFC 9110)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class _SleepBudget(stop_base):
    """Stop before a sleep would take the time spent asleep past `total_wait` seconds."""

    def __init__(self, total_wait: float):
        self.total_wait = total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + retry_state.upcoming_sleep > self.total_wait


def run_with_retries(
    attempt: Callable[[], T], *, policy: RetryPolicy, sleep: Callable[[float], None]
) -> T:
    """Call `attempt` until it returns, raises something other than `TryAgain`, or the
    bounds are reached (then the last attempt's typed error is raised)."""
    backoff = wait_exponential_jitter(multiplier=policy.multiplier, max=policy.max_backoff)

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, TryAgain) and failure.retry_after is not None:
            return failure.retry_after
        return backoff(state)

    retrying = Retrying(
        retry=retry_if_exception_type(TryAgain),
        wait=wait,
        stop=stop_any(stop_after_attempt(policy.attempts), _SleepBudget(policy.total_wait)),
        sleep=sleep,
    )
    try:
        return retrying(attempt)
    except RetryError as gave_up:
        failure = gave_up.last_attempt.exception()
        assert isinstance(failure, TryAgain)
        raise failure.error from None
