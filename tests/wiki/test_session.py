"""Login, tokens and the request budget of a typical write, for both backends."""

from __future__ import annotations

import pytest

from bot.wiki import ApiError, BotPassword, LoginFailed, UserBlocked
from tests.wiki.fakewiki import EVENTS, LOGIN, fixture

CREATE = {k: v for k, v in fixture("ce_create_request").items() if k != "token"}


def test_login_then_rest_create_costs_exactly_five_requests(open_client, wiki):
    client = open_client()
    answer = client.rest("POST", EVENTS, json=CREATE)
    assert (answer.status, answer.data) == (201, fixture("ce_create_response"))
    assert answer.headers["Location"].endswith(f"{EVENTS}/1873")
    assert wiki.labels == ["login-token", "login", "userinfo", "csrf", f"POST {EVENTS}"]


def test_many_rest_writes_cost_one_request_each_after_the_first(open_client, wiki):
    client = open_client()
    for _ in range(5):
        client.rest("PUT", f"{EVENTS}/1873", json=CREATE)
    assert wiki.labels[4:] == [f"PUT {EVENTS}/1873"] * 5


def test_rest_write_from_a_cookie_session_carries_the_csrf_token(open_client, wiki):
    client = open_client()
    client.rest("PUT", f"{EVENTS}/1873", json=CREATE)
    assert wiki.bodies[-1] == {**CREATE, "token": wiki.csrf}


def test_wrong_bot_password_is_one_sentence_without_the_secret(open_client, wiki):
    with pytest.raises(LoginFailed) as caught:
        open_client(credentials=BotPassword(LOGIN, "wrong-password-value"))
    message = str(caught.value)
    assert "Incorrect username or password" in message
    assert "wrong-password-value" not in message
    assert caught.value.exit_status == 3
    assert message.count("\n") == 0


def test_csrf_token_is_fetched_once_across_many_writes(open_client, wiki):
    client = open_client()
    for _ in range(3):
        client.api_post({"action": "edit", "title": "Sandbox", "text": "hi"})
    for _ in range(2):
        client.rest("PUT", f"{EVENTS}/1873", json=CREATE)
    assert wiki.count("csrf") == 1


def test_action_api_writes_carry_maxlag_and_assertuser(open_client, wiki):
    client = open_client()
    client.api_post({"action": "edit", "title": "Sandbox", "text": "hi"})
    sent = wiki.bodies[-1]
    assert (sent["maxlag"], sent["assertuser"], sent["formatversion"]) == ("5", "Tester", "2")


def test_badtoken_refetches_the_token_and_retries_once(open_client, wiki):
    client = open_client()
    client.csrf_token()
    wiki.csrf = "csrf-2+\\"
    assert client.api_post({"action": "edit", "title": "S", "text": "t"})["edit"]["newrevid"]
    assert wiki.labels[-4:] == ["csrf", "edit", "csrf", "edit"]


def test_badtoken_twice_is_raised_not_looped(open_client, wiki):
    client = open_client()
    bad = (200, {}, {"error": {"code": "badtoken", "info": "Invalid CSRF token."}})
    wiki.then("edit", bad, bad, bad)
    with pytest.raises(ApiError) as caught:
        client.api_post({"action": "edit", "title": "S", "text": "t"})
    assert caught.value.code == "badtoken"
    assert wiki.count("edit") == 2


def test_rest_badtoken_logs_in_again_confirms_the_user_and_retries_once(open_client, wiki):
    client = open_client()
    client.csrf_token()
    wiki.csrf = "csrf-2+\\"
    answer = client.rest("DELETE", f"{EVENTS}/1873")
    assert (answer.status, answer.data) == (204, None)
    assert wiki.labels[-6:] == [
        f"DELETE {EVENTS}/1873",
        "login-token",
        "login",
        "userinfo",
        "csrf",
        f"DELETE {EVENTS}/1873",
    ]
    assert wiki.bodies[-1] == {"token": "csrf-2+\\"}


def test_saved_cookies_skip_the_login_next_time(open_client, wiki):
    open_client().close()
    wiki.labels.clear()
    client = open_client()
    assert client.userinfo().name == "Tester"
    assert wiki.labels == ["userinfo"]


def test_expired_saved_cookies_lead_to_a_fresh_login(open_client, wiki):
    open_client().close()
    wiki.logged_in = False
    wiki.labels.clear()
    open_client()
    assert wiki.labels == ["userinfo", "login-token", "login", "userinfo"]


def test_action_api_write_on_a_forgotten_session_logs_in_again_and_retries(open_client, wiki):
    client = open_client()
    failed = (200, {}, {"error": {"code": "assertnameduserfailed", "info": "You are not Tester."}})
    wiki.then("edit", failed)
    assert client.api_post({"action": "edit", "title": "S", "text": "t"})["edit"]["newrevid"]
    assert wiki.labels[-6:] == ["edit", "login-token", "login", "userinfo", "csrf", "edit"]


def test_blocked_account_is_refused_with_exit_status_3(open_client, wiki):
    wiki.block = {
        "blockid": 3,
        "blockedby": "Admin",
        "blockreason": "spam",
        "blockexpiry": "infinite",
    }
    with pytest.raises(UserBlocked) as caught:
        open_client()
    assert caught.value.exit_status == 3
    assert "blocked" in str(caught.value)


def test_partial_block_does_not_stop_the_bot(open_client, wiki):
    wiki.block = {
        "blockid": 3,
        "blockedby": "Admin",
        "blockreason": "one page",
        "blockexpiry": "infinite",
        "blockpartial": True,
    }
    assert open_client().userinfo().block.partial


def test_userinfo_reports_central_id_rights_and_timecorrection(open_client, wiki):
    info = open_client().userinfo()
    assert (info.name, info.user_id, info.central_id) == ("Tester", 7, 4242)
    assert "campaignevents-enable-registration" in info.rights
    assert info.timecorrection == "ZoneInfo|60|Europe/Berlin"


def test_siteinfo_is_fetched_once(open_client, wiki):
    client = open_client()
    first = client.siteinfo()
    assert client.siteinfo() is first
    assert (first.timezone, first.timeoffset, first.wiki_id) == ("Europe/Berlin", 60, "testwiki")
    assert wiki.count("siteinfo") == 1


def test_every_request_names_gatebot_its_contact_and_library(open_client, wiki, backend):
    client = open_client(user_agent_contact="https://example.org/wiki/User:Op")
    client.siteinfo()
    agents = {headers["User-Agent"] for headers in wiki.headers}
    library = {"mwclient": "mwclient/", "pywikibot": "Pywikibot/"}[backend]
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("gatebot/0.1.0 (https://example.org/wiki/User:Op) ")
    assert library in agent and "python-requests/" in agent


def test_a_failed_login_leaves_no_cookies_to_try_next_time(open_client, wiki, tmp_path):
    with pytest.raises(LoginFailed):
        open_client(credentials=BotPassword(LOGIN, "wrong-password-value"))
    assert not list((tmp_path / "state").rglob("cookies.lwp"))
