"""The daily gate: what counts, the effective limit, and when a closed gate reopens."""

from datetime import datetime, timezone

import pytest

from policies.daily_limits import (
    effective_limit,
    outcome_name,
    quota,
    server_day,
    user_day,
)

UTC = timezone.utc
NOW = datetime(2026, 7, 1, 16, 48, tzinfo=UTC)  # 18:48 in Berlin, 11:48 at UTC-05:00


@pytest.mark.parametrize(
    ("local", "wiki", "limit"),
    [(25, None, 25), (25, 10, 10), (5, 25, 5), (None, 30, 30), (None, None, None)],
)
def test_the_smaller_of_policy_and_wiki_limit_applies(local, wiki, limit):
    assert effective_limit(local, wiki) == limit


@pytest.mark.parametrize(
    ("word", "outcome"),
    [("yes", "accepted"), ("Accepted", "accepted"), ("no", "rejected"), ("skip", "skipped"),
     (" SKIPPED ", "skipped")],
)  # fmt: skip
def test_outcome_words(word, outcome):
    assert outcome_name(word) == outcome


def test_unknown_outcome_is_a_clear_error():
    with pytest.raises(ValueError, match="'maybe'"):
        outcome_name("maybe")


def berlin_day():
    return user_day("ZoneInfo|120|Europe/Berlin", "UTC", NOW)


def test_gate_open_below_the_limit_says_how_many_are_left():
    gate = quota("image-recommendation", limit=25, local_count=7, server_count=5, day=berlin_day())
    assert gate.open and gate.remaining == 18 and gate.done == 7
    assert gate.summary(NOW) == "image-recommendation: 7 of 25 done today, 18 left."


def test_gate_closes_at_the_limit_and_reopens_at_the_users_midnight():
    gate = quota("image-recommendation", limit=25, local_count=25, day=berlin_day())
    assert not gate.open and gate.closed_by == "local" and gate.remaining == 0
    assert gate.reset_text(NOW) == "resets at 00:00 Europe/Berlin, in 5 h 12 min"
    assert gate.summary(NOW) == (
        "image-recommendation: 25 of 25 done today; resets at 00:00 Europe/Berlin, in 5 h 12 min."
    )


def test_server_count_closes_the_gate_even_when_the_ledger_is_behind():
    gate = quota("image-recommendation", limit=25, local_count=3, server_count=25, day=berlin_day())
    assert not gate.open and gate.closed_by == "server" and gate.done == 25


def test_server_flag_closes_the_gate():
    gate = quota(
        "link-recommendation", limit=25, local_count=0, server_count=0,
        server_limit_reached=True, day=berlin_day(),
    )  # fmt: skip
    assert not gate.open


def test_manual_offset_user_closed_by_the_server_sees_the_wikis_midnight():
    value = "Offset|-300"
    mine = user_day(value, "Europe/Berlin", NOW)
    wikis = server_day(value, "Europe/Berlin", NOW)
    gate = quota(
        "image-recommendation", limit=25, local_count=2, server_count=25, day=mine, wiki_day=wikis
    )
    assert gate.reset_zone == "Europe/Berlin"
    assert gate.reset_text(NOW) == "resets at 00:00 Europe/Berlin, in 5 h 12 min"


def test_manual_offset_user_closed_by_the_ledger_sees_their_own_midnight():
    value = "Offset|-300"
    gate = quota(
        "image-recommendation", limit=25, local_count=25, server_count=3,
        day=user_day(value, "Europe/Berlin", NOW), wiki_day=server_day(value, "Europe/Berlin", NOW),
    )  # fmt: skip
    assert gate.reset_text(NOW) == "resets at 00:00 UTC-05:00, in 12 h 12 min"


def test_gate_closed_by_both_reopens_when_both_have_reset():
    value = "Offset|-300"
    gate = quota(
        "image-recommendation", limit=25, local_count=25, server_count=25,
        day=user_day(value, "Europe/Berlin", NOW), wiki_day=server_day(value, "Europe/Berlin", NOW),
    )  # fmt: skip
    assert gate.closed_by == "both"
    assert gate.reset_zone == "UTC-05:00"


def test_ungated_task_type_is_always_open():
    gate = quota("copyedit", limit=None, local_count=300, day=berlin_day())
    assert gate.open and gate.remaining is None
    assert gate.summary(NOW) == "copyedit: 300 done today, no daily limit."


def test_user_day_is_the_users_calendar_day():
    day = berlin_day()
    assert day.zone == "Europe/Berlin"
    assert day.start == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert day.contains(NOW) and not day.contains(day.end)
