"""A user's `timecorrection` preference, the zone their day runs in, and the day's window."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.timecorrection import (
    OFFSET,
    SYSTEM,
    ZONEINFO,
    UnknownTimeZoneError,
    day_window,
    duration_text,
    parse_timecorrection,
    reset_text,
    resolve_zone,
    server_day_zone,
    user_zone,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("value", "kind", "minutes", "zone_name", "valid"),
    [
        ("ZoneInfo|60|Europe/Berlin", ZONEINFO, 60, "Europe/Berlin", True),
        ("ZoneInfo|60|europe/berlin", ZONEINFO, 60, "Europe/Berlin", True),
        ("ZoneInfo|120|+02:00", ZONEINFO, 120, "+02:00", True),
        ("ZoneInfo|60|Mars/Base", SYSTEM, 60, None, False),
        ("ZoneInfo|60|GMT+2", SYSTEM, 60, None, False),
        ("ZoneInfo|0|+99:59", SYSTEM, 0, None, False),
        ("ZoneInfo", SYSTEM, 0, None, False),
        ("Offset|-300", OFFSET, -300, None, True),
        ("Offset|2000", OFFSET, 840, None, False),
        ("Offset|-2000", OFFSET, -720, None, False),
        ("Offset", OFFSET, 0, None, False),
        ("System|0", SYSTEM, 0, None, True),
        ("System|120", SYSTEM, 0, None, True),
        ("System", SYSTEM, 0, None, True),
        ("-05:30", OFFSET, -330, None, True),
        ("05:30", OFFSET, 330, None, True),
        ("-00:30", OFFSET, -30, None, True),
        ("10", OFFSET, 600, None, True),
        ("-3", OFFSET, -180, None, True),
        ("15", OFFSET, 840, None, False),
        ("", SYSTEM, 0, None, False),
        (None, SYSTEM, 0, None, False),
        ("zoneinfo|60|Europe/Berlin", SYSTEM, 0, None, False),
        ("tomorrow", SYSTEM, 0, None, False),
    ],
)
def test_timecorrection_is_read_like_mediawiki_core(value, kind, minutes, zone_name, valid):
    parsed = parse_timecorrection(value)
    assert (parsed.kind, parsed.offset_minutes, parsed.zone_name, parsed.valid) == (
        kind,
        minutes,
        zone_name,
        valid,
    )


@pytest.mark.parametrize(
    ("value", "user_zone_name", "server_zone_name"),
    [
        ("ZoneInfo|60|Europe/Berlin", "Europe/Berlin", "Europe/Berlin"),
        ("ZoneInfo|60|europe/berlin", "Europe/Berlin", "Europe/Berlin"),
        ("ZoneInfo|120|+02:00", "+02:00", "+02:00"),
        ("Offset|-300", "UTC-05:00", "Asia/Tokyo"),
        ("Offset|330", "UTC+05:30", "Asia/Tokyo"),
        ("-05:00", "UTC-05:00", "Asia/Tokyo"),
        ("System|0", "Asia/Tokyo", "Asia/Tokyo"),
        ("", "Asia/Tokyo", "Asia/Tokyo"),
        ("ZoneInfo|60|Mars/Base", "Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_manual_offsets_are_honoured_locally_but_the_wiki_counts_from_its_own_midnight(
    value, user_zone_name, server_zone_name
):
    assert user_zone(value, "Asia/Tokyo")[1] == user_zone_name
    assert server_day_zone(value, "Asia/Tokyo")[1] == server_zone_name


def test_zoneinfo_offset_is_recomputed_for_daylight_saving():
    zone, _ = user_zone("ZoneInfo|60|Europe/Berlin", "UTC")
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert summer.astimezone(zone).utcoffset() == timedelta(hours=2)


def test_a_wiki_zone_python_does_not_know_is_a_clear_error():
    with pytest.raises(UnknownTimeZoneError, match="Mars/Base"):
        user_zone("System|0", "Mars/Base")


@pytest.mark.parametrize(
    ("zone_name", "now", "start", "hours"),
    [
        ("Europe/Berlin", "2026-03-29T12:00Z", "2026-03-29T00:00+01:00", 23),
        ("Europe/Berlin", "2026-10-25T12:00Z", "2026-10-25T00:00+02:00", 25),
        ("Europe/Berlin", "2026-06-30T22:30Z", "2026-07-01T00:00+02:00", 24),
        ("America/Santiago", "2026-09-06T15:00Z", "2026-09-06T01:00-03:00", 23),
        ("America/Santiago", "2026-04-04T15:00Z", "2026-04-04T00:00-03:00", 25),
        ("America/Havana", "2026-03-08T15:00Z", "2026-03-08T01:00-04:00", 23),
        ("America/Havana", "2026-11-01T15:00Z", "2026-11-01T00:00-04:00", 25),
        ("Pacific/Kiritimati", "2026-06-30T10:00Z", "2026-07-01T00:00+14:00", 24),
        ("Etc/GMT+12", "2026-07-01T11:00Z", "2026-06-30T00:00-12:00", 24),
    ],
)
def test_day_runs_from_local_midnight_and_follows_daylight_saving(zone_name, now, start, hours):
    begin, end = day_window(ZoneInfo(zone_name), datetime.fromisoformat(now.replace("Z", "+00:00")))
    assert begin == datetime.fromisoformat(start)
    assert end - begin == timedelta(hours=hours)


def test_naive_now_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="no time zone"):
        day_window(ZoneInfo("UTC"), datetime(2026, 1, 1))


def test_reset_text_says_when_and_how_long_in_the_users_zone():
    now = datetime(2026, 7, 1, 16, 48, tzinfo=UTC)
    zone, name = user_zone("ZoneInfo|120|Europe/Berlin", "UTC")
    _, end = day_window(zone, now)
    assert reset_text(end, name, now) == "resets at 00:00 Europe/Berlin, in 5 h 12 min"
    assert reset_text(end, zone, now) == "resets at 00:00 Europe/Berlin, in 5 h 12 min"


def test_reset_text_for_a_manual_offset_names_the_offset():
    now = datetime(2026, 7, 1, 18, 0, 30, tzinfo=UTC)
    zone, name = user_zone("Offset|-300", "UTC")
    _, end = day_window(zone, now)
    assert reset_text(end, name, now) == "resets at 00:00 UTC-05:00, in 11 h"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=5, minutes=12), "5 h 12 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(minutes=40), "40 min"),
        (timedelta(seconds=20), "1 min"),
        (timedelta(hours=24, minutes=59, seconds=1), "25 h"),
    ],
)
def test_durations_round_up_to_the_minute(delta, text):
    assert duration_text(delta) == text


@given(st.text())
def test_any_timecorrection_parses_without_crashing_and_offsets_stay_in_range(value):
    parsed = parse_timecorrection(value)
    assert -720 <= parsed.offset_minutes <= 840
    zone, _ = user_zone(parsed, "UTC")
    assert (
        timedelta(hours=-12)
        <= datetime(2026, 1, 1, tzinfo=UTC).astimezone(zone).utcoffset()
        <= timedelta(hours=14)
    )


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_offset_minutes_are_clamped_to_real_zones(minutes):
    assert parse_timecorrection(f"Offset|{minutes}").offset_minutes == max(-720, min(840, minutes))


ZONES = [
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Etc/GMT-14",
    "Europe/Berlin",
    "America/Santiago",
    "America/Havana",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "UTC",
]


@given(
    st.sampled_from(ZONES) | st.integers(-720, 840).map(lambda m: f"Offset|{m}"),
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
)
def test_day_window_contains_now_and_starts_at_the_first_local_instant(zone_or_offset, now):
    value = zone_or_offset if "|" in zone_or_offset else f"ZoneInfo|0|{zone_or_offset}"
    zone, _ = user_zone(value, "UTC")
    start, end = day_window(zone, now)
    assert start <= now < end
    assert end - start in {timedelta(hours=h) for h in (23, 24, 25)} | {
        timedelta(hours=23, minutes=30),
        timedelta(hours=24, minutes=30),
    }
    local_start = start.astimezone(zone)
    assert local_start.date() == now.astimezone(zone).date()
    assert (start - timedelta(seconds=1)).astimezone(zone).date() < local_start.date()
    assert local_start.time().minute == 0 and local_start.hour in (0, 1)


def test_resolve_zone_refuses_what_python_cannot_represent():
    assert resolve_zone("GMT+2") is None
    assert resolve_zone("+99:59") is None
    assert resolve_zone("+15:00") is None
    assert resolve_zone("-12:00") is not None
    assert resolve_zone("etc/gmt+12")[1] == "Etc/GMT+12"


@pytest.mark.parametrize(
    ("value", "minutes"), [("Offset|١٢٠", 0), ("Offset|１２０", 0), ("Offset|120", 120)]
)
def test_offsets_are_read_with_ascii_digits_as_php_casts_them(value, minutes):
    assert parse_timecorrection(value).offset_minutes == minutes


def test_a_zone_name_with_a_look_alike_letter_is_not_that_zone():
    assert parse_timecorrection("ZoneInfo|330|Asia/\u212aolkata").kind == "system"
