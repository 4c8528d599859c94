"""Action API behaviour of the sandbox beyond the conformance suite: the rest of ApiMain's checks,
edit conflicts, formatversion=1, VisualEditor answer shapes and the growth log listing."""

from __future__ import annotations

import mwclient
import pytest
import requests

from tests.conformance.api import ApiSession
from tests.sandbox.helpers import as_wiki, fixture, session_of, shape_differences


@pytest.fixture
def admin(sandbox_server):
    return session_of(sandbox_server, "Admin")


def test_token_in_the_query_string_is_mustpostparams(admin):
    answer = admin.http.post(
        admin.wiki.api_url,
        timeout=10,
        params={
            "action": "edit",
            "title": "Q",
            "text": "x",
            "token": admin.csrf_token(),
            "format": "json",
            "formatversion": "2",
        },
    )
    assert answer.json()["error"]["code"] == "mustpostparams"
    assert answer.headers["MediaWiki-API-Error"] == "mustpostparams"


def test_assertuser_for_someone_else_fails(admin):
    answer = admin.edit("Assert test", "x", assertuser="Organizer").json()
    assert answer["error"]["code"] == "assertnameduserfailed"


def test_assert_user_fails_for_anonymous_visitors(sandbox_server):
    anonymous = ApiSession(as_wiki(sandbox_server))
    answer = anonymous.post(
        action="edit", title="Anon", text="x", token="+\\", **{"assert": "user"}
    )
    assert answer.json()["error"]["code"] == "assertuserfailed"


def test_stale_basetimestamp_after_another_users_edit_is_a_conflict(sandbox_server, admin):
    first = admin.edit("Conflict page", "one").json()["edit"]
    other = session_of(sandbox_server, "Organizer")
    other.edit("Conflict page", "two")
    stale = admin.edit("Conflict page", "three", basetimestamp=first["newtimestamp"]).json()
    assert stale["error"] == {**stale["error"], "code": "editconflict", "info": "Edit conflict."}


def test_stale_basetimestamp_after_ones_own_edit_is_no_conflict(admin):
    first = admin.edit("Own conflict page", "one").json()["edit"]
    admin.edit("Own conflict page", "two")
    answer = admin.edit("Own conflict page", "three", basetimestamp=first["newtimestamp"])
    assert answer.json()["edit"]["result"] == "Success"


def test_createonly_and_nocreate(admin):
    assert admin.edit("Main Page", "x", createonly=1).json()["error"]["code"] == "articleexists"
    assert admin.edit("No such page here", "x", nocreate=1).json()["error"]["code"] == (
        "missingtitle"
    )


def test_unused_parameters_are_warned_about(admin):
    answer = admin.get(action="query", meta="siteinfo", bogus="1").json()
    assert answer["warnings"]["main"]["warnings"] == "Unrecognized parameter: bogus."


def test_unknown_action_is_badvalue(admin):
    assert admin.get(action="frobnicate").json()["error"]["code"] == "badvalue"


def test_maxlag_error_has_the_real_wikis_shape(admin):
    answer = admin.get(action="query", meta="siteinfo", maxlag=-2)
    assert shape_differences(answer.json(), fixture("api_maxlag_error.json")) == []
    assert (answer.headers["Retry-After"], answer.headers["X-Database-Lag"]) == ("5", "-1")


def test_login_with_a_token_from_another_session_is_wrong_token(sandbox_server):
    one, two = ApiSession(as_wiki(sandbox_server)), ApiSession(as_wiki(sandbox_server))
    token = one.get(action="query", meta="tokens", type="login").json()["query"]["tokens"]
    two.get(action="query", meta="tokens", type="login")
    answer = two.post(
        action="login", lgname="Admin@gatebot", lgpassword="sandbox", lgtoken=token["logintoken"]
    ).json()
    assert answer["login"] == {"result": "WrongToken"}


def test_formatversion_1_keys_pages_by_id_as_mwclient_expects(sandbox_server):
    host = sandbox_server.base_url.removeprefix("http://")
    site = mwclient.Site(host, path="/w/", scheme="http")
    site.login("Admin@gatebot", "sandbox")
    page = site.pages["Mwclient page"]
    page.edit("Saved by mwclient", summary="test")
    assert site.pages["Mwclient page"].text() == "Saved by mwclient"
    assert site.username == "Admin"


def test_visualeditor_save_and_null_edit_have_the_real_shapes(admin):
    token = admin.csrf_token()
    saved = admin.post(
        action="visualeditoredit",
        paction="save",
        page="VeTest",
        wikitext="Third version.",
        token=token,
    ).json()
    assert shape_differences(saved, fixture("ve_save_success.json")) == []
    again = admin.post(
        action="visualeditoredit",
        paction="save",
        page="VeTest",
        wikitext="Third version.",
        token=token,
    ).json()
    assert shape_differences(again, fixture("ve_null_edit.json")) == []


def test_visualeditor_data_without_plugins_is_an_unused_parameter(admin):
    answer = admin.post(
        action="visualeditoredit",
        paction="save",
        page="VeTest2",
        wikitext="x",
        token=admin.csrf_token(),
        **{"data-ge-task-image-recommendation": "{}"},
    ).json()
    assert "data-ge-task-image-recommendation" in answer["warnings"]["main"]["warnings"]


def test_growth_answers_are_listed_in_the_log(sandbox_server):
    volunteer = session_of(sandbox_server, "Volunteer")
    volunteer.rest(
        "PUT",
        "/growthexperiments/v0/suggestions/addimage/feedback/Kofi_Mensah",
        json={
            "filename": "K.jpg",
            "accepted": False,
            "reasons": ["noinfo"],
            "token": volunteer.csrf_token(),
        },
    )
    entries = volunteer.get(
        action="query", list="logevents", letype="growthexperiments", leuser="Volunteer", lelimit=50
    ).json()["query"]["logevents"]
    mine = [e for e in entries if e["title"] == "Kofi Mensah"]
    assert mine and mine[0]["action"] == "addimage"
    assert mine[0]["params"] == {"section": None, "accepted": False}


def test_rest_page_put_without_latest_id_cannot_overwrite(admin):
    answer = admin.rest(
        "PUT",
        "/v1/page/Main_Page",
        json={"source": "x", "comment": "c", "token": admin.csrf_token()},
    )
    assert answer.status_code == 409


def test_unknown_rest_path_is_404_json(sandbox_server):
    answer = requests.get(f"{sandbox_server.rest_url}/nothing/here", timeout=10)
    assert (answer.status_code, answer.json()["errorKey"]) == (404, "rest-no-match")


def test_delete_removes_a_page_for_an_admin_and_is_refused_to_others(sandbox_server):
    admin, tester = session_of(sandbox_server, "Admin"), session_of(sandbox_server, "Tester")
    assert admin.edit("Delete me", "x").json()["edit"]["result"] == "Success"
    refused = tester.post(action="delete", title="Delete me", token=tester.csrf_token()).json()
    assert refused["error"]["code"] == "permissiondenied"
    done = admin.post(action="delete", title="Delete me", reason="test", token=admin.csrf_token())
    assert done.json()["delete"]["title"] == "Delete me"
    assert sandbox_server.wiki.store.page("Delete me") is None
    again = admin.post(action="delete", title="Delete me", token=admin.csrf_token()).json()
    assert again["error"]["code"] == "missingtitle"
