"""The forms CampaignEvents accepts for a time zone, a timestamp and a URL (titles: `titles`).

Python stands in for PHP here: zoneinfo for DateTimeZone (PHP also accepts abbreviations such as
`CEST`, refused here, and offsets of a day or more, which Python cannot hold), and the
extension's URL rule. Digits are ASCII only, as in PHP. Lookups are memoised: they run per row.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

_TS_MW = re.compile(r"[0-9]{14}")
_OFFSET_ZONE = re.compile(r"[+-]([0-9]{2}):([0-9]{2})")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
# The common case, decided without parsing: an ASCII host name and no spaces.
_PLAIN_URL = re.compile(
    r"(?i)https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"\.?(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"
)
_URL_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


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
    canonical = _zone_names().get(name.lower()) if name.isascii() else None
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


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """IANA names by their lower-case form (PHP matches zone names ignoring ASCII case)."""
    return {name.lower(): name for name in available_timezones()}
