"""Which advertised rate limit holds an account back, as MediaWiki's limiter decides it."""

from __future__ import annotations

import pytest

from bot.wiki.models import UserInfo


def user_with(edit_limits: dict) -> UserInfo:
    return UserInfo.from_api({"id": 7, "name": "Tester", "ratelimits": {"edit": edit_limits}})


@pytest.mark.parametrize(
    ("limits", "seconds_per_edit"),
    [
        # A group's more generous limit replaces the plain user limit (5 per 3 s, not 60 s).
        ({"user": {"hits": 5, "seconds": 60}, "quicklimit": {"hits": 5, "seconds": 3}}, 0.6),
        # A stricter group limit does not slow down an account whose user limit is generous.
        ({"user": {"hits": 10, "seconds": 60}, "slowgroup": {"hits": 1, "seconds": 60}}, 6.0),
        # Newcomer limits apply on top of the account's own limit.
        ({"user": {"hits": 10, "seconds": 60}, "newbie": {"hits": 2, "seconds": 60}}, 30.0),
        ({"user": {"hits": 5, "seconds": 60}}, 12.0),
    ],
)
def test_writes_are_spaced_by_the_limit_mediawiki_enforces(limits, seconds_per_edit):
    assert user_with(limits).seconds_per_hit("edit") == pytest.approx(seconds_per_edit)


def test_an_account_without_advertised_limits_is_not_paced():
    assert user_with({}).seconds_per_hit("edit") is None
    assert UserInfo.from_api({"id": 1, "name": "Bot"}).seconds_per_hit("edit") is None
