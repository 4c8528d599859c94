"""Who the session is: the wiki's user id and name after login, and when a REST write asks again."""

from __future__ import annotations

import json
import stat

import pytest

from bot.wiki import AssertUserFailed, BotPassword, LoginFailed, OAuth1, RestError
from tests.wiki.fakewiki import EVENTS, SECRET, envelope, fixture

PUT = f"PUT {EVENTS}/1873"
BODY = {k: v for k, v in fixture("ce_create_request").items() if k != "token"}
BADTOKEN = envelope(403, "rest-badtoken", "The CSRF token is invalid.")


def write(client) -> None:
    client.rest("PUT", f"{EVENTS}/1873", json=BODY)


@pytest.mark.parametrize(("typed", "wiki_name"), [("tester", "Tester"), ("Jane_Doe", "Jane Doe")])
def test_a_login_name_the_wiki_normalises_writes_over_rest(open_client, wiki, typed, wiki_name):
    wiki.user = wiki_name
    client = open_client(credentials=BotPassword(f"{typed}@gatebot", SECRET))
    write(client)
    assert client.userinfo().name == wiki_name
    assert wiki.count(PUT) == 1


def test_a_saved_session_is_reused_for_a_login_name_the_wiki_normalised(open_client, wiki):
    open_client(credentials=BotPassword("tester@gatebot", SECRET)).close()
    wiki.labels.clear()
    client = open_client(credentials=BotPassword("tester@gatebot", SECRET))
    write(client)
    assert wiki.labels == ["userinfo", "csrf", PUT]


def test_a_saved_session_of_another_bot_password_is_not_reused(open_client, wiki):
    open_client().close()
    wiki.labels.clear()
    open_client(credentials=BotPassword("Tester@other", SECRET))
    assert wiki.labels == ["login-token", "login", "userinfo"]


def test_a_saved_session_that_is_now_another_account_is_not_reused(open_client, wiki):
    open_client().close()
    wiki.user_id = 8
    wiki.labels.clear()
    open_client()
    assert wiki.labels == ["userinfo", "login-token", "login", "userinfo"]


def test_rest_writes_ask_who_the_session_is_again_after_a_minute(open_client, wiki, clock):
    client = open_client()
    write(client)
    clock.now += 59
    write(client)
    clock.now += 2
    write(client)
    assert wiki.labels[3:] == ["csrf", PUT, PUT, "userinfo", PUT]


def test_a_new_session_cookie_makes_the_next_rest_write_ask_again(open_client, wiki):
    client = open_client()
    cookie = {"Set-Cookie": "testwikiUserID=7; path=/"}
    wiki.then("siteinfo", (200, cookie, {"query": fixture_siteinfo()}))
    client.siteinfo()
    write(client)
    assert wiki.labels[3:] == ["siteinfo", "userinfo", "csrf", PUT]


def test_a_routing_cookie_does_not_cost_an_identity_check(open_client, wiki):
    client = open_client()
    cookie = {"Set-Cookie": "cpPosIndex=1%401700000000%23abc; path=/"}
    wiki.then("siteinfo", (200, cookie, {"query": fixture_siteinfo()}))
    client.siteinfo()
    write(client)
    assert wiki.labels[3:] == ["siteinfo", "csrf", PUT]


def test_rest_write_is_refused_when_the_session_became_someone_else(open_client, wiki, clock):
    client = open_client()
    clock.now += 61
    wiki.user, wiki.user_id = "Other", 8
    with pytest.raises(AssertUserFailed) as caught:
        write(client)
    assert "Other (user id 8)" in str(caught.value)
    assert "Tester (user id 7)" in str(caught.value)
    assert wiki.count(PUT) == 0


def test_rest_write_after_the_session_expired_logs_in_again_first(open_client, wiki, clock):
    client = open_client()
    client.csrf_token()
    clock.now += 61
    wiki.logged_in = False
    wiki.labels.clear()
    write(client)
    assert wiki.labels == ["userinfo", "login-token", "login", "userinfo", "csrf", PUT]


def test_a_renewed_session_that_is_another_account_is_refused(open_client, wiki, clock):
    client = open_client()
    clock.now += 61
    wiki.logged_in = False
    wiki.user_id = 8
    with pytest.raises(AssertUserFailed):
        write(client)
    assert wiki.count(PUT) == 0


def test_rest_write_is_refused_when_the_expired_session_cannot_log_in_again(
    open_client, wiki, clock
):
    client = open_client()
    clock.now += 61
    wiki.logged_in = False
    wiki.password = "changed-meanwhile"
    with pytest.raises(LoginFailed):
        write(client)
    assert wiki.count(PUT) == 0


def test_an_assertuser_failure_makes_the_next_rest_write_ask_again(open_client, wiki):
    client = open_client()
    failed = (200, {}, {"error": {"code": "assertnameduserfailed", "info": "You are not Tester."}})
    wiki.then("edit", failed)
    with pytest.raises(AssertUserFailed):
        client.api_post({"action": "edit", "title": "S", "text": "t", "token": wiki.csrf})
    write(client)
    assert wiki.labels[3:] == ["edit", "userinfo", "csrf", PUT]


def test_rest_badtoken_twice_is_raised_not_looped(open_client, wiki):
    client = open_client()
    wiki.then(PUT, BADTOKEN, BADTOKEN)
    with pytest.raises(RestError) as caught:
        write(client)
    assert caught.value.error_key == "rest-badtoken"
    assert wiki.count(PUT) == 2


def test_rest_badtoken_on_a_lost_session_never_retries_with_the_anonymous_token(open_client, wiki):
    client = open_client()
    client.csrf_token()
    wiki.then(PUT, BADTOKEN)
    wiki.then("csrf", (200, {}, {"query": {"tokens": {"csrftoken": "+\\"}}}))
    with pytest.raises(AssertUserFailed) as caught:
        write(client)
    assert "anonymous" in str(caught.value)
    assert wiki.count(PUT) == 1
    assert all((body or {}).get("token") != "+\\" for body in wiki.bodies)


def test_a_forgotten_session_is_renewed_on_rest_badtoken_nosession(open_client, wiki):
    client = open_client()
    client.csrf_token()
    wiki.logged_in = False
    write(client)
    assert wiki.labels[-6:] == [PUT, "login-token", "login", "userinfo", "csrf", PUT]


def test_an_oauth_session_is_asked_again_after_a_minute(open_client, wiki, clock):
    wiki.accept_oauth = True
    client = open_client(credentials=OAuth1("ck", "cs", "at", "as"))
    write(client)
    clock.now += 61
    write(client)
    assert wiki.labels == ["userinfo", PUT, "userinfo", PUT]


def fixture_siteinfo() -> dict:
    return {
        "general": {"wikiid": "testwiki", "timezone": "UTC", "timeoffset": 0},
        "namespaces": {},
    }


def test_a_login_whose_session_stays_anonymous_is_a_login_failure(open_client, wiki, tmp_path):
    accepted = {"login": {"result": "Success", "lguserid": 7, "lgusername": "Tester"}}
    wiki.then("login", (200, {}, accepted))  # no session cookie comes with it
    with pytest.raises(LoginFailed) as caught:
        open_client()
    assert "anonymous right after" in str(caught.value)
    assert not list((tmp_path / "state").rglob("session.json"))


def test_the_session_record_is_private_and_names_the_wikis_user(open_client, wiki):
    client = open_client(credentials=BotPassword("tester@gatebot", SECRET))
    client.close()
    record = client.session_file
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert json.loads(record.read_text()) == {
        "login_name": "tester@gatebot",
        "user_id": 7,
        "name": "Tester",
    }
    assert SECRET not in record.read_text()
