"""The sandbox's own day window of GrowthExperiments (contract growthexperiments §4.2, §6): the day
is counted in a valid ZoneInfo zone, else in the wiki's zone — not in the user's manual offset,
which core still uses to show times (DESIGN §2.2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.timecorrection import display_zone, growth_day_start, growth_day_zone, php_zone

WIKI = "America/New_York"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)

# §6's table: (stored value, the zone GrowthExperiments counts the day in).
DAY_ZONES = [
    ("ZoneInfo|120|Europe/Berlin", "Europe/Berlin"),
    ("ZoneInfo|60|Mars/Base", WIKI),
    ("Offset|-300", WIKI),
    ("System|0", WIKI),
    ("System", WIKI),
    ("-05:00", WIKI),
    ("10", WIKI),
    ("", WIKI),
    (None, WIKI),
    ("ZoneInfo|120|europe/berlin", "Europe/Berlin"),  # DateTimeZone reads any case
]

# The same values as core shows times with them: offsets count here (minutes east of UTC).
DISPLAY_OFFSETS = [
    ("ZoneInfo|120|Europe/Berlin", 60),  # 22 November: CET, the stored 120 is stale
    ("ZoneInfo|60|Mars/Base", 60),  # a bad zone falls back to the stored minutes
    ("Offset|-300", -300),
    ("Offset|2000", 840),  # clamped to +14:00
    ("System|0", -300),
    ("-05:00", -300),
    ("-00:30", 30),  # core loses the sign when the hour is zero
    ("10", 600),
    ("nonsense", -300),
]


@pytest.mark.parametrize(("value", "zone"), DAY_ZONES)
def test_growth_counts_the_day_in_a_zoneinfo_zone_or_else_the_wikis(value, zone):
    day_zone = growth_day_zone(value, WIKI)

    assert day_zone.utcoffset(NOW.replace(tzinfo=None)) == ZoneInfo(zone).utcoffset(
        NOW.replace(tzinfo=None)
    )


@pytest.mark.parametrize(("value", "minutes"), DISPLAY_OFFSETS)
def test_core_shows_times_with_the_users_offset(value, minutes):
    assert display_zone(value, WIKI).utcoffset(NOW.replace(tzinfo=None)) == timedelta(
        minutes=minutes
    )


def test_an_offset_user_starts_the_day_at_the_wikis_midnight_not_their_own():
    """`Offset|600` (UTC+10) is on the wiki's calendar: New York's midnight, 05:00 UTC."""
    start = growth_day_start("Offset|600", WIKI, NOW)

    assert start == datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)


def test_a_zoneinfo_user_starts_the_day_at_their_own_midnight():
    start = growth_day_start("ZoneInfo|60|Europe/Berlin", WIKI, NOW)

    assert start == datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)


def test_where_midnight_does_not_exist_the_day_starts_when_it_begins():
    """Santiago jumps from 00:00 to 01:00 on 6 September 2026: the day begins at 04:00 UTC."""
    now = datetime(2026, 9, 6, 15, 0, tzinfo=timezone.utc)

    start = growth_day_start("ZoneInfo|-180|America/Santiago", WIKI, now)

    assert start == datetime(2026, 9, 6, 4, 0, tzinfo=timezone.utc)
    assert start.astimezone(ZoneInfo("America/Santiago")).hour == 1


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("Europe/Lisbon", "Europe/Lisbon"), ("europe/lisbon", "Europe/Lisbon"), ("+05:30", "+05:30")],
)
def test_php_reads_zone_names_in_any_case_and_strict_offsets(name, canonical):
    found = php_zone(name)

    assert found is not None and found[1] == canonical


@pytest.mark.parametrize("name", ["Mars/Base", "+5:30", "+05:60", ""])
def test_unknown_zones_and_offsets_other_than_exactly_hh_mm_are_refused(name):
    """campaignevents §5: a leading sign needs exactly `±HH:MM`."""
    assert php_zone(name) is None
