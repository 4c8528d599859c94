"""The wiki transport: one `WikiClient` interface over two backends (mwclient, pywikibot).

`connect()` resolves a `--wiki` target, builds the backend, logs in and returns the client.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import requests

from bot.wiki.client import WikiClient, user_agent
from bot.wiki.credentials import BotPassword, Credentials, OAuth1, credentials_from_env
from bot.wiki.errors import (
    ApiError,
    AssertUserFailed,
    InsecureTarget,
    LoginFailed,
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
from bot.wiki.models import ApiAnswer, ApiWarning, BlockInfo, RestResponse, SiteInfo, UserInfo
from bot.wiki.retry import RetryPolicy
from bot.wiki.targets import WikiTarget, resolve_target
from policies.errors import InputError

BACKEND_NAMES = ("mwclient", "pywikibot")

__all__ = [
    "BACKEND_NAMES",
    "ApiAnswer",
    "ApiError",
    "ApiWarning",
    "AssertUserFailed",
    "BlockInfo",
    "BotPassword",
    "Credentials",
    "InsecureTarget",
    "LoginFailed",
    "MaxLagged",
    "MissingRight",
    "OAuth1",
    "OutcomeUnknown",
    "RateLimited",
    "ReadOnly",
    "RestError",
    "RestResponse",
    "RetryPolicy",
    "SiteInfo",
    "UserBlocked",
    "UserInfo",
    "WikiClient",
    "WikiError",
    "WikiTarget",
    "WikiUnreachable",
    "backend_class",
    "connect",
    "credentials_from_env",
    "resolve_target",
]


def backend_class(backend: str) -> type[WikiClient]:
    """The client class of a backend name; imports only the library that backend needs."""
    if backend == "mwclient":
        from bot.wiki.mwclient_backend import MwclientClient

        return MwclientClient
    if backend == "pywikibot":
        from bot.wiki.pywikibot_backend import PywikibotClient

        return PywikibotClient
    raise InputError(f"Unknown backend {backend!r}; use one of: {', '.join(BACKEND_NAMES)}.")


def connect(
    target: str | WikiTarget,
    *,
    backend: str = "mwclient",
    credentials: Credentials | None = None,
    state_dir: Path,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    user_agent_contact: str | None = None,
    retry_policy: RetryPolicy | None = None,
    min_interval: float | None = None,
    timeout: tuple[float, float] = (10.0, 60.0),
    environ: Mapping[str, str] | None = None,
    reuse_session: bool = True,
) -> WikiClient:
    """Resolve `target`, build the backend and log in; a sitewide-blocked account is refused.

    `min_interval=None` spaces writes by the user's advertised edit rate limit; 0 disables.
    `reuse_session=False` logs in afresh even when saved cookies would do.
    """
    environ = os.environ if environ is None else environ
    contact = user_agent_contact or environ.get("GATEBOT_CONTACT") or None
    if not isinstance(target, WikiTarget):
        target = resolve_target(target, get=_prober(contact), environ=environ)
    client = backend_class(backend)(
        target,
        credentials=credentials,
        state_dir=state_dir,
        sleep=sleep,
        clock=clock,
        user_agent_contact=contact,
        retry_policy=retry_policy,
        min_interval=min_interval,
        timeout=timeout,
    )
    try:
        info = client.login(reuse_session=reuse_session)
    except BaseException:
        client.close()
        raise
    block = info.block
    if block is not None and info.blocked_sitewide:
        raise UserBlocked(
            f"{info.name} is blocked on {target.api_url} (by {block.by}, until "
            f"{block.expiry}: {block.reason}); gatebot cannot write as a blocked "
            "account."
        )
    return client


def _prober(contact: str | None) -> Callable[[str], tuple[int, str]]:
    """An anonymous GET for discovering a base URL's api.php: `(status, text)`."""

    def get(url: str) -> tuple[int, str]:
        try:
            response = requests.get(
                url, timeout=(10, 30), headers={"User-Agent": user_agent(contact, "discovery")}
            )
        except requests.RequestException:
            return 0, ""
        return response.status_code, response.text

    return get
