"""`list=users` in the sandbox: a named user's central id, as core's ApiQueryUsers gives it."""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import session_of


@pytest.fixture
def admin(sandbox_server):
    return session_of(sandbox_server, "Admin")


def users(session, names: str, **params) -> list[dict]:
    answer = session.get(action="query", list="users", ususers=names, **params).json()
    return answer["query"]["users"]


def test_a_named_users_central_id_matches_what_that_user_sees_of_itself(admin, sandbox_server):
    organizer = session_of(sandbox_server, "Organizer")
    own = organizer.get(action="query", meta="userinfo", uiprop="centralids").json()
    (entry,) = users(admin, "organizer", usprop="centralids")
    assert entry["name"] == "Organizer"
    assert entry["centralids"] == own["query"]["userinfo"]["centralids"]
    assert entry["userid"] == own["query"]["userinfo"]["id"]


def test_unknown_and_impossible_names_are_missing_and_invalid(admin):
    missing, invalid = users(admin, "Nobody here|Bad#name", usprop="centralids")
    assert missing == {"name": "Nobody here", "missing": True}
    assert invalid == {"name": "Bad#name", "invalid": True}


def test_formatversion_1_writes_missing_as_an_empty_string(admin):
    answer = admin.http.get(
        admin.wiki.api_url,
        timeout=10,
        params={"action": "query", "list": "users", "ususers": "Nobody", "format": "json"},
    ).json()
    assert answer["query"]["users"] == [{"name": "Nobody", "missing": ""}]
