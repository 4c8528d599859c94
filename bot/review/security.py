"""What makes the review page safe to run: it can answer on the user's behalf, so only the page
gatebot printed may talk to it.

Loopback only; a random token on every request (in the query for the page and its files, in a
header for the page's API calls), compared in constant time; writes are POSTs whose `Origin`
and `Host` are this server's own (no other site, no DNS-rebound name); every answer carries a
strict Content-Security-Policy and sends no Referer, so the token never reaches the image host.
No cookie is set: a cookie for 127.0.0.1 would also go to every other port of this machine.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

HOST = "127.0.0.1"
TOKEN_HEADER = "x-gatebot-token"
WIKIMEDIA_UPLOADS = "https://upload.wikimedia.org"
JSON = "application/json"


def new_token() -> str:
    """A fresh secret for one run of the page (256 bits)."""
    return secrets.token_urlsafe(32)


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def image_origins(wiki_url: str) -> tuple[str, ...]:
    """Where thumbnails may come from: the wiki itself and Wikimedia's upload host (Commons
    files on any wiki with InstantCommons or a Wikimedia suggester)."""
    own = origin_of(wiki_url)
    return tuple(dict.fromkeys(o for o in (own, WIKIMEDIA_UPLOADS) if o))


def content_security_policy(images: Iterable[str]) -> str:
    """Nothing but the page's own script, style and API, and images from `images`."""
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        " ".join(("img-src", "'self'", *images)),
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ))  # fmt: skip


def security_headers(images: Iterable[str]) -> list[tuple[str, str]]:
    """Sent with every answer, a refusal too."""
    return [
        ("Content-Security-Policy", content_security_policy(images)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ]


@dataclass(frozen=True)
class Guard:
    """Decides whether a request may be answered; `port` is where the page is served."""

    token: str
    port: int

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def host_ok(self, headers: Mapping[str, str]) -> bool:
        """The `Host` is exactly this server: a DNS-rebound name (`evil.example` resolving to
        127.0.0.1) or `localhost` is another origin and is refused."""
        return headers.get("host") == f"{HOST}:{self.port}"

    def token_ok(self, given: str | None) -> bool:
        """Constant-time comparison, so timing reveals nothing of the token."""
        if given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    def may_read(self, headers: Mapping[str, str], query_token: str | None) -> bool:
        """A GET of the page, its files or its state: this host, and the token (query or
        header)."""
        return self.host_ok(headers) and self.token_ok(headers.get(TOKEN_HEADER) or query_token)

    def may_write(self, headers: Mapping[str, str]) -> bool:
        """A POST: this host and origin, the token in its header (a form on another site can
        set neither), and a JSON body (which no cross-site request sends without asking)."""
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        return (
            self.host_ok(headers)
            and headers.get("origin") == self.origin
            and self.token_ok(headers.get(TOKEN_HEADER))
            and content_type == JSON
        )
