"""The forms CampaignEvents accepts for a time zone, a timestamp, a URL and an event page title.

Python stands in for PHP here: zoneinfo for DateTimeZone (PHP also accepts abbreviations such as
`CEST`, refused here, and offsets of a day or more, which Python cannot hold), MediaWiki core's
title rules, and the extension's URL rule. All lookups are memoised: they run once per row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

NS_EVENT = 1728
NS_PROJECT = 4

TITLE_MAX_BYTES = 255

# Canonical namespace names every wiki knows, plus the project namespace's names on Wikimedia
# wikis; lower case with spaces. Unknown prefixes are part of a main-namespace title, as in MW.
DEFAULT_NAMESPACE_NAMES: Mapping[str, int] = MappingProxyType({
    "media": -2, "special": -1, "talk": 1, "user": 2, "user talk": 3, "project": NS_PROJECT,
    "project talk": 5, "file": 6, "image": 6, "file talk": 7, "mediawiki": 8,
    "mediawiki talk": 9, "template": 10, "template talk": 11, "help": 12, "help talk": 13,
    "category": 14, "category talk": 15, "module": 828, "module talk": 829,
    "event": NS_EVENT, "event talk": 1729,
    **{name: NS_PROJECT for name in (
        "wikipedia", "meta", "commons", "wikidata", "wikibooks", "wikinews", "wikiquote",
        "wikisource", "wikiversity", "wikivoyage", "wiktionary", "wikispecies", "wikifunctions",
        "wikimania", "incubator",
    )},
})  # fmt: skip

# MediaWiki core's title errors, the `$1` of campaignevents-error-invalid-title.
TITLE_INVALID_EMPTY = "The requested page title is empty or contains only the name of a namespace."
_TITLE_INVALID_CHARACTERS = 'The requested page title contains invalid characters: "{0}".'
_TITLE_INVALID_RELATIVE = (
    "Title has relative path. Relative page titles (./, ../) are invalid, because they will "
    "often be unreachable when handled by user's browser."
)
_TITLE_INVALID_TILDE = (
    "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>)."
)
_TITLE_INVALID_TOO_LONG = (
    "The requested page title is too long. It must be no longer than 255 bytes in UTF-8 encoding."
)
_TITLE_INVALID_COLON = "The requested page title contains an invalid colon at the beginning."

_TITLE_BAD_CHARS = re.compile(r"[<>\[\]{}|\x00-\x1f\x7f\ufffd]|%[0-9A-Fa-f]{2}")
# Every character the checks below look for, as one class: a scan for it is five times faster
# than one regex with the colon and relative-path alternatives in it.
_TITLE_SUSPECT_CHARS = re.compile(r"[<>\[\]{}|\x00-\x1f\x7f\ufffd%~]")
_TITLE_RELATIVE = re.compile(r"^\.\.?(/|$)|/\.\.?(/|$)")
_TS_MW = re.compile(r"\d{14}")
_OFFSET_ZONE = re.compile(r"[+-](\d\d):(\d\d)")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
# The common case, decided without parsing: an ASCII host name and no spaces.
_PLAIN_URL = re.compile(
    r"(?i)https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"\.?(?::\d{1,5})?(?:[/?#][!-~]*)?"
)
_URL_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


def split_title(title: str, namespace_names: Mapping[str, int]) -> tuple[int, str]:
    """(namespace id, title without prefix) as MediaWiki splits a prefixed title."""
    prefix, colon, rest = title.partition(":")
    if colon:
        namespace = namespace_names.get(prefix.casefold())
        if namespace is None:
            namespace = namespace_names.get(_normal_name(prefix))
        if namespace is not None:
            return namespace, rest.strip(" _")
    return 0, title


def title_problem(title: str) -> str | None:
    """MediaWiki core's reason why `title` cannot be a page title, or None when it can."""
    if (
        len(title) <= TITLE_MAX_BYTES // 4
        and not _TITLE_SUSPECT_CHARS.search(title)
        and not title.startswith(":")
        and ("." not in title or not _TITLE_RELATIVE.search(title))
    ):
        return None
    if title.startswith(":"):
        return _TITLE_INVALID_COLON
    bad = _TITLE_BAD_CHARS.search(title)
    if bad:
        return _TITLE_INVALID_CHARACTERS.format(bad.group(0))
    if _TITLE_RELATIVE.search(title):
        return _TITLE_INVALID_RELATIVE
    if "~~~" in title:
        return _TITLE_INVALID_TILDE
    if len(title.encode("utf-8")) > TITLE_MAX_BYTES:
        return _TITLE_INVALID_TOO_LONG
    return None


@lru_cache(maxsize=1024)
def zone_for(name: str) -> tzinfo | None:
    """The zone the server would use for `timezone`, or None when it refuses it.

    A leading sign needs exactly `±HH:MM` (and not `±99:MM` with MM ≥ 60, a PHP bug the server
    guards against); a fixed offset Python cannot hold (24 h or more) is refused too.
    """
    if name and name[0] in "+-":
        match = _OFFSET_ZONE.fullmatch(name)
        if not match:
            return None
        hours, minutes = int(match.group(1)), int(match.group(2))
        delta = timedelta(hours=hours, minutes=minutes)
        if (hours == 99 and minutes >= 60) or delta >= timedelta(hours=24):
            return None
        return timezone(-delta if name[0] == "-" else delta)
    canonical = _zone_names().get(name.casefold())
    return ZoneInfo(canonical) if canonical else None


@lru_cache(maxsize=4096)
def local_datetime(timestamp: str) -> datetime | None:
    """The naive wall-clock time of an exact 14-digit TS_MW timestamp; None if not a real one."""
    if not _TS_MW.fullmatch(timestamp):
        return None
    try:
        return datetime(
            int(timestamp[0:4]), int(timestamp[4:6]), int(timestamp[6:8]),
            int(timestamp[8:10]), int(timestamp[10:12]), int(timestamp[12:14]),
        )  # fmt: skip
    except ValueError:
        return None


def is_valid_url(value: str) -> bool:
    """The server's meeting/chat URL rule: http(s) (`//` = https) with a host, after trimming."""
    url = value.strip()
    if url.startswith("//"):
        url = "https:" + url
    if _PLAIN_URL.fullmatch(url):
        return True
    if not url or _URL_BAD_CHARS.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if host.startswith("["):
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in ascii_host.rstrip(".").split("."))


def _normal_name(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def same_title(a: str, b: str) -> bool:
    """Do two titles name the same page (case of the namespace, spaces and underscores aside)?"""
    return _normal_name(a) == _normal_name(b)


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """IANA names by their case-folded form (PHP matches zone names case-insensitively)."""
    return {name.casefold(): name for name in available_timezones()}
