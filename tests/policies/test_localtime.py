"""Zones and wall-clock times: what the clocks skip or repeat is refused, digits are ASCII."""

from __future__ import annotations

import pytest

from policies.localtime import (
    REPEATED_TIME,
    SKIPPED_TIME,
    parse_time,
    parse_timezone,
    wall_clock_problems,
)


def clock(zone: str, start: str, end: str = "20270401100000") -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in wall_clock_problems(zone, start, end)]


@pytest.mark.parametrize(
    ("zone", "start"),
    [("Europe/Lisbon", "20270328013000"), ("Europe/Lisbon", "20270328010000"),
     ("Europe/Berlin", "20270328023000"), ("America/New_York", "20270314023000")],
)  # fmt: skip
def test_a_time_the_clocks_skip_is_refused(zone, start):
    assert clock(zone, start) == [("start", SKIPPED_TIME)]


def test_the_message_says_which_time_and_zone():
    [problem] = wall_clock_problems("Europe/Lisbon", "20270328013000", "20270328100000")
    assert problem.message.startswith(
        "The start time 2027-03-28T01:30 does not exist in Europe/Lisbon"
    )


@pytest.mark.parametrize(
    ("zone", "end"),
    [("Europe/Lisbon", "20271031013000"), ("Europe/Berlin", "20271031023000")],
)
def test_a_time_that_happens_twice_is_refused(zone, end):
    assert clock(zone, "20271030100000", end) == [("end", REPEATED_TIME)]


@pytest.mark.parametrize(
    ("zone", "start"),
    [("Europe/Lisbon", "20270328005959"), ("Europe/Lisbon", "20270328020000"),
     ("Europe/Lisbon", "20271031020000"), ("UTC", "20270328013000"),
     ("+01:00", "20271031013000"), ("Asia/Kolkata", "20270328013000")],
)  # fmt: skip
def test_times_that_exist_once_pass(zone, start):
    assert clock(zone, start) == []


@pytest.mark.parametrize(
    "zone", ["+٠١:٠٠", "+０１:００", "Asia/\u212aolkata", "+01:75", "Europe/Lisbon\u00a0x"]
)
def test_zones_php_would_not_read_so_are_refused(zone):
    assert parse_timezone(zone).errors[0].code == "campaignevents-error-invalid-timezone"


def test_zone_names_are_sent_in_their_canonical_spelling():
    assert parse_timezone(" europe/lisbon ").value == "Europe/Lisbon"
    assert parse_timezone("-03:30").value == "-03:30"


@pytest.mark.parametrize("written", ["٢٠٢٧-03-06T10:00", "2027-03-06T１０:00", "٢٠٢٧٠٣٠٦١٠٠٠٠٠"])
def test_dates_with_digits_other_than_0_to_9_are_refused(written):
    assert parse_time("start", written).errors[0].code == "campaignevents-error-invalid-start"
