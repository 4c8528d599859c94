"""The Action API (api.php) behaviour gatebot relies on, identical on MediaWiki and the sandbox.

Each test asserts the shape both servers must share (keys, codes, statuses), not values that
legitimately differ (ids, timestamps, token strings); a failure names what differs.
"""

from __future__ import annotations

import uuid

import requests

from tests.conformance.api import ANONYMOUS_CSRF_TOKEN, ApiSession, logged_in, missing_keys
from tests.wikis import WikiUnderTest

USERINFO_PROPS = "options|rights|groups|ratelimits|centralids"


def unique_title(prefix: str) -> str:
    return f"Conformance {prefix} {uuid.uuid4().hex[:10]}"


def test_bot_password_login_succeeds_with_the_account_name(wiki: WikiUnderTest) -> None:
    answer = ApiSession(wiki).login(wiki.admin)

    assert answer.get("result") == "Success", f"{wiki.name}: login answered {answer}"
    assert not missing_keys(answer, {"lguserid", "lgusername"}), (
        f"{wiki.name}: a successful login lacks {missing_keys(answer, {'lguserid', 'lgusername'})}"
    )
    assert answer["lgusername"] == wiki.admin[0].split("@")[0], (
        f"{wiki.name}: lgusername is {answer['lgusername']!r}, not the name before '@'"
    )


def test_login_reads_the_typed_name_as_the_wiki_does(wiki: WikiUnderTest) -> None:
    """`admin_@appid` logs in as Admin: first letter upper-cased, underscores and ends trimmed."""
    name, password = wiki.admin
    user, _, appid = name.partition("@")
    typed = f"{user[:1].lower()}{user[1:]}_@{appid}"

    answer = ApiSession(wiki).login((typed, password))

    assert (answer.get("result"), answer.get("lgusername")) == ("Success", user), (
        f"{wiki.name}: login as {typed!r} answered {answer}"
    )


def test_assertuser_reads_the_name_as_the_wiki_does(wiki: WikiUnderTest) -> None:
    user = wiki.admin[0].partition("@")[0]
    session = logged_in(wiki, wiki.admin)

    answer = session.get(action="query", assertuser=f"{user[:1].lower()}{user[1:]}_").json()

    assert "error" not in answer, f"{wiki.name}: assertuser answered {answer}"


def test_wrong_bot_password_gives_the_standard_failure(wiki: WikiUnderTest) -> None:
    answer = ApiSession(wiki).login((wiki.admin[0], "0" * 32))

    assert answer.get("result") == "Failed", (
        f"{wiki.name}: wrong password answered {answer}, MediaWiki says result 'Failed'"
    )
    assert isinstance(answer.get("reason"), str), f"{wiki.name}: no 'reason' text in {answer}"
    assert "0" * 32 not in answer["reason"], f"{wiki.name}: the refusal echoes the password"


def test_login_without_a_token_asks_for_one(wiki: WikiUnderTest) -> None:
    answer = ApiSession(wiki).post(action="login", lgname=wiki.admin[0], lgpassword=wiki.admin[1])
    login = answer.json().get("login", {})

    assert login.get("result") == "NeedToken", f"{wiki.name}: answered {answer.json()}"
    assert str(login.get("token", "")).endswith("+\\"), f"{wiki.name}: no login token in {login}"


def test_csrf_token_is_a_real_token_after_login_and_the_anonymous_one_before(
    wiki: WikiUnderTest,
) -> None:
    anonymous = ApiSession(wiki).csrf_token()
    token = logged_in(wiki, wiki.admin).csrf_token()

    assert anonymous == ANONYMOUS_CSRF_TOKEN, f"{wiki.name}: anonymous csrf token is {anonymous!r}"
    assert token.endswith("+\\") and len(token) > 2, f"{wiki.name}: csrf token is {token!r}"


def test_userinfo_has_the_shape_gatebot_reads(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    info = session.get(action="query", meta="userinfo", uiprop=USERINFO_PROPS).json()
    user = info.get("query", {}).get("userinfo")

    wanted = {"id", "name", "groups", "rights", "options", "ratelimits", "centralids"}
    assert not missing_keys(user, wanted), (
        f"{wiki.name}: userinfo lacks {missing_keys(user, wanted)}"
    )
    assert user["name"] == wiki.admin[0].split("@")[0]
    assert isinstance(user["id"], int) and user["id"] > 0
    assert {"user", "bot"} <= set(user["groups"]), f"{wiki.name}: admin groups {user['groups']}"
    assert {"edit", "bot", "noratelimit"} <= set(user["rights"]), f"{wiki.name}: admin rights"
    assert isinstance(user["options"].get("timecorrection"), str), (
        f"{wiki.name}: options.timecorrection missing or not a string: {user['options']}"
    )
    assert user["ratelimits"] == {}, (
        f"{wiki.name}: an exempt user shows limits {user['ratelimits']}"
    )
    assert user["centralids"] and all(isinstance(v, int) for v in user["centralids"].values()), (
        f"{wiki.name}: centralids should map providers to int ids: {user['centralids']}"
    )
    assert "anon" not in user, f"{wiki.name}: a logged-in user is flagged anon"


def test_limited_user_sees_its_edit_rate_limit(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.limited)
    user = session.get(action="query", meta="userinfo", uiprop="ratelimits").json()["query"][
        "userinfo"
    ]

    assert user["ratelimits"].get("edit", {}).get("user") == {"hits": 5, "seconds": 60}, (
        f"{wiki.name}: ratelimits.edit is {user['ratelimits'].get('edit')}, "
        "expected user: {hits: 5, seconds: 60}"
    )


def test_anonymous_userinfo_is_flagged_anon(wiki: WikiUnderTest) -> None:
    user = ApiSession(wiki).get(action="query", meta="userinfo").json()["query"]["userinfo"]

    assert user.get("id") == 0 and user.get("anon") is True, f"{wiki.name}: anonymous is {user}"


def test_timecorrection_set_through_action_options_reads_back(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    value = "ZoneInfo|330|Asia/Kolkata"
    answer = session.post(
        action="options",
        optionname="timecorrection",
        optionvalue=value,
        token=session.csrf_token(),
    ).json()
    user = session.get(action="query", meta="userinfo", uiprop="options").json()["query"][
        "userinfo"
    ]

    assert answer == {"options": "success"}, f"{wiki.name}: action=options answered {answer}"
    assert user["options"]["timecorrection"] == value, (
        f"{wiki.name}: timecorrection reads back as {user['options']['timecorrection']!r}"
    )


def test_siteinfo_tells_the_timezone_and_namespaces(wiki: WikiUnderTest) -> None:
    query = (
        ApiSession(wiki)
        .get(action="query", meta="siteinfo", siprop="general|namespaces")
        .json()
        .get("query", {})
    )
    general, namespaces = query.get("general"), query.get("namespaces")

    wanted = {"sitename", "generator", "timezone", "timeoffset", "server", "articlepath"}
    assert not missing_keys(general, wanted), (
        f"{wiki.name}: general lacks {missing_keys(general, wanted)}"
    )
    assert isinstance(general["timezone"], str) and isinstance(general["timeoffset"], int)
    assert general["generator"].startswith("MediaWiki "), f"{wiki.name}: {general['generator']!r}"
    assert not missing_keys(namespaces, {"0", "2", "4"}), f"{wiki.name}: namespaces {namespaces}"
    assert namespaces["0"]["id"] == 0 and namespaces["0"]["name"] == ""
    assert namespaces["2"]["canonical"] == "User", f"{wiki.name}: namespace 2 is {namespaces['2']}"


def test_edit_creates_a_page_then_changes_it(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = unique_title("edit")
    created = session.edit(title, "first version", summary="conformance").json().get("edit", {})
    changed = session.edit(title, "second version", summary="conformance").json().get("edit", {})

    wanted = {"result", "pageid", "title", "contentmodel", "oldrevid", "newrevid", "newtimestamp"}
    for answer in (created, changed):
        assert not missing_keys(answer, wanted), (
            f"{wiki.name}: edit answer lacks {missing_keys(answer, wanted)}: {answer}"
        )
        assert answer["result"] == "Success" and answer["title"] == title
    assert created.get("new") is True and created["oldrevid"] == 0, f"{wiki.name}: {created}"
    assert "new" not in changed, f"{wiki.name}: a change of an existing page is flagged new"
    assert changed["oldrevid"] == created["newrevid"] < changed["newrevid"], (
        f"{wiki.name}: revisions do not chain: {created['newrevid']} -> {changed}"
    )


def test_saving_the_same_text_again_is_a_null_edit(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = unique_title("null")
    session.edit(title, "same text")
    again = session.edit(title, "same text").json().get("edit", {})

    assert again.get("result") == "Success" and again.get("nochange") is True, (
        f"{wiki.name}: a null edit answered {again}, MediaWiki says Success with nochange"
    )
    assert "newrevid" not in again, f"{wiki.name}: a null edit reports a new revision"


def test_edit_without_a_token_is_missingparam(wiki: WikiUnderTest) -> None:
    answer = logged_in(wiki, wiki.admin).post(action="edit", title=unique_title("x"), text="x")

    assert_api_error(wiki, answer, "missingparam")


def test_edit_with_a_wrong_token_is_badtoken(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    answer = session.post(action="edit", title=unique_title("x"), text="x", token="bad+\\")

    assert_api_error(wiki, answer, "badtoken")


def test_sixth_edit_in_a_minute_of_the_limited_user_is_ratelimited(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.limited)
    title = unique_title("ratelimit")
    results = []
    for n in range(6):
        answer = session.edit(title, f"edit {n}")
        results.append(answer.json().get("edit", {}).get("result") or answer.json().get("error"))

    assert results[:5] == ["Success"] * 5, f"{wiki.name}: the first five edits gave {results[:5]}"
    assert_api_error(wiki, answer, "ratelimited")


def test_forced_maxlag_is_refused_with_retry_after(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    answer = session.post(
        action="edit", title=unique_title("maxlag"), text="x", token=session.csrf_token(), maxlag=-2
    )

    error = assert_api_error(wiki, answer, "maxlag")
    assert not missing_keys(error, {"lag", "host"}), f"{wiki.name}: maxlag error is {error}"
    assert answer.headers.get("Retry-After", "").isdigit(), (
        f"{wiki.name}: Retry-After header is {answer.headers.get('Retry-After')!r}"
    )
    assert "X-Database-Lag" in answer.headers, f"{wiki.name}: no X-Database-Lag header"


def assert_api_error(wiki: WikiUnderTest, answer: requests.Response, code: str) -> dict:
    """Check MediaWiki's error envelope: HTTP 200, error.code and .info, the error header."""
    body = answer.json()
    error = body.get("error")
    assert answer.status_code == 200, f"{wiki.name}: HTTP {answer.status_code} for error {code}"
    assert isinstance(error, dict) and error.get("code") == code, (
        f"{wiki.name}: expected error code {code!r}, got {body}"
    )
    assert isinstance(error.get("info"), str), f"{wiki.name}: error without info text: {error}"
    assert answer.headers.get("MediaWiki-API-Error") == code, (
        f"{wiki.name}: MediaWiki-API-Error header is {answer.headers.get('MediaWiki-API-Error')!r}"
    )
    return error
