"""MediaWiki's `timecorrection` user option turned into a time zone, and calendar days in it.

Follows core's UserTimeCorrection (contract growthexperiments §6) and GrowthExperiments' day
rule (§4.2). Pure: the current time is always passed in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from policies.errors import GatebotError

ZONEINFO = "zoneinfo"
OFFSET = "offset"
SYSTEM = "system"

MIN_OFFSET_MINUTES = -12 * 60
MAX_OFFSET_MINUTES = 14 * 60

# ASCII digits and spaces only, as PHP reads them (Python's \d also matches ٢ and ２).
_OFFSET_ZONE = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")
_PHP_INT_PREFIX = re.compile(r"[ \t\n\r\v\f]*[+-]?[0-9]+")
_WHOLE_HOURS = re.compile(r"[+-]?[0-9]+")
_UTC = timezone.utc
_SECOND = timedelta(seconds=1)


class UnknownTimeZoneError(GatebotError):
    """A wiki's time zone name that Python's zone database cannot represent."""


@dataclass(frozen=True)
class TimeCorrection:
    """A parsed `timecorrection` value.

    `kind` is "zoneinfo", "offset" or "system"; `offset_minutes` is the fixed offset for "offset"
    (clamped to -720…840) and the stored, possibly stale snapshot for "zoneinfo"; `zone_name` is
    the canonical zone for "zoneinfo"; `valid` is False where MediaWiki flags the value invalid.
    """

    kind: str
    offset_minutes: int
    zone_name: str | None
    valid: bool


@cache
def _zone_names_by_lower_case() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _clamp(minutes: int) -> int:
    return max(MIN_OFFSET_MINUTES, min(MAX_OFFSET_MINUTES, minutes))


def _php_int(text: str) -> int:
    """PHP's `(int)` cast of a string: its leading integer (saturating, like PHP), else 0."""
    match = _PHP_INT_PREFIX.match(text)
    if not match:
        return 0
    digits = match.group().strip()
    if len(digits.lstrip("+-")) > 18:
        return -(10**18) if digits.startswith("-") else 10**18
    return int(digits)


def fixed_zone(minutes: int) -> timezone:
    """A fixed-offset zone named like "UTC+05:30" ("UTC" for zero)."""
    return timezone(timedelta(minutes=minutes))


def resolve_zone(name: str) -> tuple[tzinfo, str] | None:
    """The zone for an IANA name (any case) or a strict `±HH:MM` offset, with its canonical name.

    None when Python cannot represent it (`GMT+2`, `+99:59`, `Mars/Base`); offsets must lie within
    -12:00…+14:00, the range of real zones.
    """
    offset = _OFFSET_ZONE.fullmatch(name)
    if offset:
        sign, hours, minutes = offset.groups()
        total = (int(hours) * 60 + int(minutes)) * (-1 if sign == "-" else 1)
        if int(minutes) >= 60 or total != _clamp(total):
            return None
        return fixed_zone(total), name
    canonical = _zone_names_by_lower_case().get(name.lower()) if name.isascii() else None
    if canonical is None:
        return None
    return ZoneInfo(canonical), canonical


def parse_timecorrection(value: str | None) -> TimeCorrection:
    """Parse a `timecorrection` option the way MediaWiki core does; never raises.

    `ZoneInfo|min|Zone` with a zone Python knows -> zoneinfo; `Offset|min`, legacy `[-]hh:mm` and
    whole hours -> offset, clamped; `System|…`, empty, unknown zones and anything else -> system.
    Deliberate difference: in `-00:30` the minus sign applies (core reads it as +00:30).
    """
    text = value or ""
    fields = text.split("|", 2)
    keyword = fields[0]
    if keyword == "ZoneInfo":
        stored = _clamp(_php_int(fields[1])) if len(fields) > 1 else 0
        resolved = resolve_zone(fields[2]) if len(fields) > 2 else None
        if resolved is None:
            return TimeCorrection(SYSTEM, stored, None, valid=False)
        return TimeCorrection(ZONEINFO, stored, resolved[1], valid=True)
    if keyword == "Offset":
        minutes = _php_int(fields[1]) if len(fields) > 1 else 0
        in_range = minutes == _clamp(minutes)
        return TimeCorrection(OFFSET, _clamp(minutes), None, valid=len(fields) > 1 and in_range)
    if keyword == "System":
        return TimeCorrection(SYSTEM, 0, None, valid=True)
    return _parse_legacy(text)


def _parse_legacy(text: str) -> TimeCorrection:
    """The old `[-]hh:mm` and whole-hours forms; anything else means the wiki's default."""
    hours_text, colon, minutes_text = text.partition(":")
    if colon:
        minutes = abs(_php_int(hours_text)) * 60 + _php_int(minutes_text)
        if hours_text.lstrip().startswith("-"):
            minutes = -minutes
    elif _WHOLE_HOURS.fullmatch(text):
        minutes = _php_int(text) * 60
    else:
        return TimeCorrection(SYSTEM, 0, None, valid=False)
    return TimeCorrection(OFFSET, _clamp(minutes), None, valid=minutes == _clamp(minutes))


def _as_correction(tc_or_value: TimeCorrection | str | None) -> TimeCorrection:
    if isinstance(tc_or_value, TimeCorrection):
        return tc_or_value
    return parse_timecorrection(tc_or_value)


def site_zone(site_timezone: str) -> tuple[tzinfo, str]:
    """The wiki's own zone (siteinfo `timezone`); UnknownTimeZoneError if Python lacks it."""
    resolved = resolve_zone(site_timezone)
    if resolved is None:
        raise UnknownTimeZoneError(
            f"The wiki's time zone {site_timezone!r} is not in Python's zone database; "
            "install or update the tzdata package."
        )
    return resolved


def user_zone(tc_or_value: TimeCorrection | str | None, site_timezone: str) -> tuple[tzinfo, str]:
    """The zone a user's day runs in: their ZoneInfo zone, their fixed offset, or the wiki's."""
    correction = _as_correction(tc_or_value)
    if correction.kind == ZONEINFO and correction.zone_name is not None:
        return resolve_zone(correction.zone_name) or site_zone(site_timezone)
    if correction.kind == OFFSET:
        zone = fixed_zone(correction.offset_minutes)
        return zone, zone.tzname(None)
    return site_zone(site_timezone)


def server_day_zone(
    tc_or_value: TimeCorrection | str | None, site_timezone: str
) -> tuple[tzinfo, str]:
    """The zone GrowthExperiments counts a user's day in: a valid ZoneInfo zone, else the wiki's."""
    correction = _as_correction(tc_or_value)
    if correction.kind == ZONEINFO and correction.zone_name is not None:
        resolved = resolve_zone(correction.zone_name)
        if resolved is not None:
            return resolved
    return site_zone(site_timezone)


def require_aware(now: datetime) -> None:
    """Refuse a naive `now`: a day window needs to know which instant "now" is."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(
            f"now={now.isoformat()} has no time zone; pass an aware datetime, "
            "e.g. datetime.now(timezone.utc)."
        )


def _first_instant_of(day: date, zone: tzinfo) -> datetime:
    """The earliest UTC instant whose local date in `zone` is `day` (midnight, or after a gap)."""
    guess = datetime.combine(day, time(0), tzinfo=zone).astimezone(_UTC)
    if guess.astimezone(zone).date() == day and (guess - _SECOND).astimezone(zone).date() < day:
        return guess
    low = datetime.combine(day, time(0), tzinfo=_UTC) - timedelta(days=1, seconds=1)
    high = datetime.combine(day, time(0), tzinfo=_UTC) + timedelta(days=1, seconds=1)
    while high - low > _SECOND:
        middle = low + timedelta(seconds=(high - low).total_seconds() // 2)
        if middle.astimezone(zone).date() >= day:
            high = middle
        else:
            low = middle
    return high


def day_window(zone: tzinfo, now: datetime) -> tuple[datetime, datetime]:
    """The calendar day in `zone` that contains `now`, as UTC instants [start, end).

    DST-correct: days last 23, 24 or 25 hours; where local midnight does not exist the day starts
    at the first instant that does (01:00). UTC so that arithmetic and comparisons are exact.
    """
    require_aware(now)
    today = now.astimezone(zone).date()
    return _first_instant_of(today, zone), _first_instant_of(today + timedelta(days=1), zone)


def _zone_for_text(zone: tzinfo | str) -> tzinfo:
    if not isinstance(zone, str):
        return zone
    resolved = resolve_zone(zone) or resolve_zone(zone.removeprefix("UTC"))
    if resolved is None:
        raise UnknownTimeZoneError(f"The time zone {zone!r} is not in Python's zone database.")
    return resolved[0]


def duration_text(delta: timedelta) -> str:
    """A short human duration, rounded up to the minute: "5 h 12 min", "3 h", "40 min"."""
    minutes = max(0, math.ceil(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def reset_text(end: datetime, zone: tzinfo | str, now: datetime) -> str:
    """When a daily gate reopens, in the reader's zone.

    E.g. "resets at 00:00 Europe/Berlin, in 5 h 12 min"; `zone` is a zone name or a tzinfo.
    """
    require_aware(now)
    name = (
        zone
        if isinstance(zone, str)
        else getattr(zone, "key", None) or end.astimezone(zone).tzname()
    )
    local_end = end.astimezone(_zone_for_text(zone))
    if end <= now:
        return f"reset at {local_end:%H:%M} {name}"
    return f"resets at {local_end:%H:%M} {name}, in {duration_text(end - now)}"
