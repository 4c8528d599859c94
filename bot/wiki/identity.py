"""Who a session is, as the wiki says it, and when a REST write must ask again.

REST has no `assert`, so before a REST write gatebot confirms with `meta=userinfo` that the
session is still the user the wiki named at login (user id and canonical name: `admin@bot`
logs in as `Admin`). The answer is reused only while nothing could have changed it: the
session cookies are the ones it was checked with, no login, renewal, `rest-badtoken` or
assertuser failure happened since (each calls `forget`), and at most IDENTITY_TTL seconds
have passed. README "Identity before REST writes" gives the reasoning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from http.cookiejar import CookieJar

from bot.wiki.errors import AssertUserFailed
from bot.wiki.models import UserInfo

# Seconds a confirmed identity is trusted for REST writes on unchanged session cookies.
IDENTITY_TTL = 60.0
# Cookies MediaWiki and Wikimedia's edge set for routing and caching, never for identity;
# every other cookie counts as part of the session, so an unknown one only costs a check.
_NOT_IDENTITY = frozenset(
    {
        "cpposindex",
        "cppostime",
        "usedc",
        "usecdncache",
        "geoip",
        "wmf-last-access",
        "wmf-last-access-global",
        "wmf-dp",
        "wmf-uniq",
        "networkprobelimit",
    }
)


@dataclass(frozen=True)
class Identity:
    """The wiki's own account of a user: local user id and canonical name."""

    user_id: int
    name: str

    @classmethod
    def of(cls, info: UserInfo) -> Identity | None:
        """The identity in a userinfo answer; None for an anonymous or temporary session."""
        return None if info.anonymous else cls(info.user_id, info.name)


def session_cookies(jar: CookieJar) -> str:
    """A digest of the jar's identity-bearing cookies (domain, path, name, value)."""
    entries = sorted(
        (c.domain, c.path, c.name, c.value or "")
        for c in jar
        if c.name.lower() not in _NOT_IDENTITY
    )
    return hashlib.sha256(repr(entries).encode()).hexdigest()


class IdentityGuard:
    """Holds the identity the wiki gave at login and the state of the last confirmation."""

    def __init__(self, clock: Callable[[], float], ttl: float = IDENTITY_TTL):
        self._clock = clock
        self._ttl = ttl
        self.expected: Identity | None = None
        self._checked_at: float | None = None
        self._checked_cookies: str | None = None

    def bind(self, info: UserInfo, jar: CookieJar, where: str) -> None:
        """After a login: remember who the wiki says the session is (a renewal must match)."""
        identity = Identity.of(info)
        if self.expected is not None:
            self.confirm(info, jar, where)
            return
        self.expected = identity
        self._mark(jar)

    def needs_check(self, jar: CookieJar) -> bool:
        """True when the last confirmation cannot stand for the session any more."""
        return (
            self._checked_at is None
            or self._clock() - self._checked_at >= self._ttl
            or session_cookies(jar) != self._checked_cookies
        )

    def confirm(self, info: UserInfo, jar: CookieJar, where: str) -> None:
        """Accept a fresh userinfo answer if it is the bound user, else refuse to write."""
        found = Identity.of(info)
        if found is None or found != self.expected:
            self.forget()
            wanted = self.expected
            raise AssertUserFailed(
                f"{where} says this session is "
                f"{_describe(found) if found else 'anonymous'}, not "
                f"{_describe(wanted) if wanted else 'a logged-in user'}; gatebot will not "
                "write as another user. Run again to log in afresh."
            )
        self._mark(jar)

    def forget(self) -> None:
        """Make the next REST write ask the wiki again (after a token or assert failure)."""
        self._checked_at = None
        self._checked_cookies = None

    def _mark(self, jar: CookieJar) -> None:
        self._checked_at = self._clock()
        self._checked_cookies = session_cookies(jar)


def _describe(identity: Identity) -> str:
    return f"{identity.name} (user id {identity.user_id})"
