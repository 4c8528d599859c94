"""Time zones and local wall-clock times as an events file gives them, read strictly.

The wiki takes `start`/`end` as wall-clock times in `timezone` and derives UTC itself (contract
campaignevents §6). Where it would guess — an impossible date rolled over, a time with an offset
shifted, a time the clocks skip moved forward, a time that happens twice picked for you — gatebot
refuses instead. Digits are ASCII 0-9 only: Python's `\\d` and `int()` take `٢٠٢٧`, PHP does not.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from typing import Any

from policies.problems import Problem
from policies.registration_forms import local_datetime, zone_for
from policies.values import Parsed, cell_key, cell_text

_ISO_LOCAL = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{2})"
    r"(?::([0-9]{2}))?"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_TS_MW = re.compile(r"[0-9]{14}")
_OFFSET_SUFFIX = re.compile(r"[0-9](?:Z|[+-][0-9]{2}:?[0-9]{2})$", re.IGNORECASE)
_CACHE = 4096
INVALID_TIMEZONE = "campaignevents-error-invalid-timezone"
SKIPPED_TIME = "gatebot-time-skipped-by-clock-change"
REPEATED_TIME = "gatebot-time-repeated-by-clock-change"


@lru_cache(maxsize=_CACHE, typed=True)
def _timezone(value: Any) -> Parsed:
    name = cell_text(value)
    if not name:
        return Parsed(
            "",
            (
                Problem(
                    INVALID_TIMEZONE,
                    "The timezone cell is empty; give a zone such as Europe/Lisbon or +01:00.",
                    "timezone",
                ),
            ),
        )
    zone = zone_for(name)
    if zone is None or (name[0] in "+-" and name[-2:] >= "60"):
        return Parsed(
            name,
            (
                Problem(
                    INVALID_TIMEZONE,
                    f"{name!r} is not a time zone gatebot can "
                    "use; write an IANA name such as Europe/Lisbon or an offset "
                    "from -23:59 to +23:59 written ±HH:MM.",
                    "timezone",
                ),
            ),
        )
    return Parsed(getattr(zone, "key", name))


def parse_timezone(value: Any) -> Parsed:
    """An IANA name (any letter case, sent in its canonical spelling) or a strict ±HH:MM."""
    return _timezone(cell_key(value))


@lru_cache(maxsize=_CACHE)
def parse_local_time(text: str) -> tuple[str | None, str | None]:
    """(14-digit local timestamp, None) or (None, why it is not a real local date and time)."""
    if _TS_MW.fullmatch(text):
        stamp = text
    else:
        match = _ISO_LOCAL.fullmatch(text)
        if not match:
            if _ISO_DATE.fullmatch(text):
                return None, "give the time of day too, e.g. 2026-12-01T10:00"
            if _OFFSET_SUFFIX.search(text):
                return (
                    None,
                    "give the local time without an offset (the timezone column says where)",
                )
            return None, "write it as 2026-12-01T10:00 or 20261201100000 (local time)"
        year, month, day, hour, minute, second = (int(part or "0") for part in match.groups())
        stamp = f"{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{second:02d}"
    try:
        datetime(
            int(stamp[0:4]),
            int(stamp[4:6]),
            int(stamp[6:8]),
            int(stamp[8:10]),
            int(stamp[10:12]),
            int(stamp[12:14]),
        )
    except ValueError as error:
        return None, f"it is not a real date and time ({error})"
    return stamp, None


@lru_cache(maxsize=_CACHE, typed=True)
def _time(column: str, value: Any) -> Parsed:
    text = cell_text(value)
    if text is None:
        return Parsed(
            "",
            (
                Problem(
                    f"campaignevents-error-empty-{column}",
                    f"The {column} cell is empty; give the {column} time, e.g. "
                    "2026-12-01T10:00 (the wiki would silently use the current "
                    "time).",
                    column,
                ),
            ),
        )
    stamp, reason = parse_local_time(text)
    if stamp is None:
        return Parsed(
            "",
            (
                Problem(
                    f"campaignevents-error-invalid-{column}",
                    f"The {column} time {text!r} is not valid: {reason}.",
                    column,
                ),
            ),
        )
    return Parsed(stamp)


def parse_time(column: str, value: Any) -> Parsed:
    """`start` or `end`: ISO `2026-12-01T10:00` (seconds optional) or 14 digits, local time."""
    return _time(column, cell_key(value))


def _clock_change(zone: tzinfo, moment: datetime) -> str | None:
    """ "skipped" when the clocks jump over `moment` in `zone`, "repeated" when it happens twice."""
    first, second = moment.replace(tzinfo=zone, fold=0), moment.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    return "skipped" if back != moment else "repeated"


@lru_cache(maxsize=_CACHE)
def wall_clock_problems(zone_name: str, start: str, end: str) -> tuple[Problem, ...]:
    """A start or end the zone's clocks skip (a DST gap) or pass twice (the autumn fold).

    The wiki would move a skipped time and pick one of the two readings of a repeated one; the
    contract does not say which, so both are refused. Pass values `parse_*` accepted.
    """
    zone = zone_for(zone_name)
    found: list[Problem] = []
    for column, stamp in (("start", start), ("end", end)):
        moment = local_datetime(stamp) if zone is not None and stamp else None
        change = _clock_change(zone, moment) if zone is not None and moment else None
        if change == "skipped":
            found.append(
                Problem(
                    SKIPPED_TIME,
                    f"The {column} time {moment:%Y-%m-%dT%H:%M} does "
                    f"not exist in {zone_name}: the clocks skip it (daylight saving "
                    "time begins), and the wiki would move it; choose another "
                    "time.",
                    column,
                )
            )
        elif change == "repeated":
            found.append(
                Problem(
                    REPEATED_TIME,
                    f"The {column} time {moment:%Y-%m-%dT%H:%M} "
                    f"happens twice in {zone_name} (daylight saving time ends), so "
                    "it could mean either; choose another time, or write the zone "
                    "as a fixed offset such as +01:00.",
                    column,
                )
            )
    return tuple(found)
