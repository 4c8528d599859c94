"""Time zones as the server reads them: PHP's DateTimeZone, core's `timecorrection` option, and
GrowthExperiments' day window (contract growthexperiments §4.2, §6).

The sandbox's own reading, apart from gatebot's `policies`: GrowthExperiments counts a user's day
in their `ZoneInfo` zone or else in the wiki's zone, while core shows times with the user's manual
offset too; both rules are here, each as the server applies it.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")
_LEGACY_HOURS = re.compile(r"[+-]?[0-9]+")
_INT_PREFIX = re.compile(r"\s*[+-]?[0-9]+")
MIN_OFFSET, MAX_OFFSET = -12 * 60, 14 * 60


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


@lru_cache(maxsize=1024)
def php_zone(name: str) -> tuple[tzinfo, str] | None:
    """`new DateTimeZone($name)`: the zone and its `getName()`, or None where PHP throws.

    IANA names in any case and `±HH:MM` offsets; PHP's abbreviations (`CEST`) are not modelled.
    """
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign, hours, minutes = offset.groups()
        total = int(hours) * 60 + int(minutes)
        if int(minutes) >= 60 or total >= 24 * 60:
            return None
        return timezone(timedelta(minutes=-total if sign == "-" else total)), name
    canonical = _zone_names().get(name.casefold())
    return (ZoneInfo(canonical), canonical) if canonical else None


def _php_int(text: str) -> int:
    """PHP's `(int)` of a string: its leading integer, else 0."""
    match = _INT_PREFIX.match(text)
    return int(match.group()) if match else 0


def _clamped(minutes: int) -> int:
    return max(MIN_OFFSET, min(MAX_OFFSET, minutes))


def display_zone(timecorrection: str | None, wiki_zone: str) -> tzinfo:
    """Core's UserTimeCorrection (§6), as used to show times to the user.

    A valid ZoneInfo zone; a ZoneInfo with a bad zone falls back to its stored minutes;
    `Offset|m` and the legacy `[-]hh:mm` / hours forms are fixed offsets (clamped); the rest is
    the wiki's zone.
    In legacy `-00:30` the sign is lost, as in core (only a negative hour negates the minutes).
    """
    fields = (timecorrection or "").split("|", 2)
    minutes: int | None = None
    if fields[0] == "ZoneInfo":
        resolved = php_zone(fields[2]) if len(fields) == 3 else None
        if resolved is not None:
            return resolved[0]
        minutes = _php_int(fields[1]) if len(fields) > 1 else 0
    elif fields[0] == "Offset":
        minutes = _php_int(fields[1]) if len(fields) > 1 else 0
    elif fields[0] != "System" and len(fields) == 1:
        hours, colon, rest = fields[0].partition(":")
        if colon:
            sign = -1 if _php_int(hours) < 0 else 1
            minutes = _php_int(hours) * 60 + sign * _php_int(rest)
        elif _LEGACY_HOURS.fullmatch(fields[0]):
            minutes = int(fields[0]) * 60
    if minutes is None:
        return _wiki(wiki_zone)
    return timezone(timedelta(minutes=_clamped(minutes)))


def growth_day_zone(timecorrection: str | None, wiki_zone: str) -> tzinfo:
    """The zone GrowthExperiments counts a day in (§4.2): a valid ZoneInfo zone, else the wiki's.

    `Offset|…`, `System|…`, legacy forms, bad zones and empty values all mean the wiki's zone.
    """
    fields = (timecorrection or "").split("|", 2)
    if fields[0] == "ZoneInfo" and len(fields) == 3:
        resolved = php_zone(fields[2])
        if resolved is not None:
            return resolved[0]
    return _wiki(wiki_zone)


def growth_day_start(timecorrection: str | None, wiki_zone: str, now: datetime) -> datetime:
    """Today's local midnight in the Growth day zone, in UTC; rows count when strictly after it.

    Where midnight does not exist (a DST jump at 00:00) this is the instant the day begins.
    """
    zone = growth_day_zone(timecorrection, wiki_zone)
    today = now.astimezone(zone).date()
    return datetime.combine(today, time(0), tzinfo=zone).astimezone(timezone.utc)


def _wiki(wiki_zone: str) -> tzinfo:
    resolved = php_zone(wiki_zone)
    if resolved is None:
        raise ValueError(f"the sandbox's wiki.timezone {wiki_zone!r} is not a zone Python knows")
    return resolved[0]
