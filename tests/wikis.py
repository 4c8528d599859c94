"""A running wiki that a test suite talks to: the real local MediaWiki or the sandbox."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WikiUnderTest:
    """Enough to reach a wiki and log in as two kinds of user.

    `admin` may do everything gatebot needs and has no rate limits; `limited` is a plain user
    whose edit rate limit is 5 per 60 seconds. Both are `(login_name, bot_password)` with
    `login_name` of the form `User@appid`.
    """

    name: str
    api_url: str
    rest_url: str
    admin: tuple[str, str]
    limited: tuple[str, str]
