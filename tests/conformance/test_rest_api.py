"""Core's REST page endpoints (rest.php/v1/page) with cookie sessions, identical on both servers."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.conformance.api import ApiSession, logged_in, missing_keys
from tests.wikis import WikiUnderTest

PAGE_KEYS = {"id", "key", "title", "latest", "content_model", "license", "source"}
REST_ERROR_KEYS = {"httpCode", "httpReason", "messageTranslations"}


def created_page(session: ApiSession, text: str) -> str:
    title = f"Conformance REST {uuid.uuid4().hex[:10]}"
    answer = session.edit(title, text).json()
    assert answer.get("edit", {}).get("result") == "Success", f"setup edit failed: {answer}"
    return title


def rest_key(title: str) -> str:
    return title.replace(" ", "_")


def test_rest_get_page_returns_source_and_latest_revision(wiki: WikiUnderTest) -> None:
    title = created_page(logged_in(wiki, wiki.admin), "REST source")
    answer = ApiSession(wiki).rest("GET", f"/v1/page/{rest_key(title)}")
    page = answer.json()

    assert answer.status_code == 200, f"{wiki.name}: HTTP {answer.status_code}: {page}"
    assert answer.headers.get("Content-Type", "").startswith("application/json")
    assert not missing_keys(page, PAGE_KEYS), (
        f"{wiki.name}: page lacks {missing_keys(page, PAGE_KEYS)}"
    )
    assert page["source"] == "REST source" and page["title"] == title
    assert page["key"] == rest_key(title)
    assert isinstance(page["latest"].get("id"), int) and "timestamp" in page["latest"]


def test_rest_get_of_a_missing_page_is_404(wiki: WikiUnderTest) -> None:
    answer = ApiSession(wiki).rest("GET", f"/v1/page/No_such_page_{uuid.uuid4().hex}")

    assert_rest_error(wiki, answer, 404)


@pytest.mark.parametrize("bad_title", ["Bad%5Btitle%5D", "Talk:", "A%7CB"])
def test_rest_get_of_an_invalid_title_is_404_like_a_missing_page(
    wiki: WikiUnderTest, bad_title: str
) -> None:
    """MediaWiki 1.39 looks an invalid title up like any other and finds no page: 404."""
    for route in (f"/v1/page/{bad_title}", f"/v1/page/{bad_title}/bare"):
        answer = ApiSession(wiki).rest("GET", route)
        body = assert_rest_error(wiki, answer, 404)
        assert "does not exist" in body["messageTranslations"]["en"], f"{wiki.name}: {body}"


def test_rest_put_with_session_cookies_and_csrf_token_edits_the_page(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = created_page(session, "before")
    latest = session.rest("GET", f"/v1/page/{rest_key(title)}").json()["latest"]["id"]
    body = {"source": "after", "comment": "conformance", "latest": {"id": latest}}
    answer = session.rest(
        "PUT", f"/v1/page/{rest_key(title)}", json={**body, "token": session.csrf_token()}
    )
    page = answer.json()

    assert answer.status_code == 200, f"{wiki.name}: HTTP {answer.status_code}: {page}"
    assert not missing_keys(page, PAGE_KEYS), (
        f"{wiki.name}: page lacks {missing_keys(page, PAGE_KEYS)}"
    )
    assert page["source"] == "after" and page["latest"]["id"] > latest


def test_rest_put_without_a_token_is_refused(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = created_page(session, "untouched")
    latest = session.rest("GET", f"/v1/page/{rest_key(title)}").json()["latest"]["id"]
    body = {"source": "changed", "comment": "conformance", "latest": {"id": latest}}
    answer = session.rest("PUT", f"/v1/page/{rest_key(title)}", json=body)

    # MediaWiki 1.39's page handler runs action=edit, whose missing token is `missingparam`
    # (handlers with TokenAwareHandlerTrait in newer core answer 403 rest-badtoken-missing).
    error = assert_rest_error(wiki, answer, 400)
    assert error.get("actionModuleErrorCode") == "missingparam", (
        f"{wiki.name}: a token-less PUT answered {answer.status_code} {error}"
    )
    assert session.rest("GET", f"/v1/page/{rest_key(title)}").json()["source"] == "untouched"


def test_rest_put_with_a_wrong_token_is_403(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = created_page(session, "untouched")
    latest = session.rest("GET", f"/v1/page/{rest_key(title)}").json()["latest"]["id"]
    body = {"source": "changed", "comment": "c", "latest": {"id": latest}, "token": "bad+\\"}
    answer = session.rest("PUT", f"/v1/page/{rest_key(title)}", json=body)

    assert_rest_error(wiki, answer, 403)


def test_rest_put_with_a_base_revision_that_is_not_a_number_is_badinteger(
    wiki: WikiUnderTest,
) -> None:
    session = logged_in(wiki, wiki.admin)
    title = created_page(session, "untouched")
    body = {"source": "changed", "comment": "c", "latest": {"id": "abc"}}
    answer = session.rest(
        "PUT", f"/v1/page/{rest_key(title)}", json={**body, "token": session.csrf_token()}
    )

    error = assert_rest_error(wiki, answer, 400)
    assert error.get("actionModuleErrorCode") == "badinteger", f"{wiki.name}: {error}"
    assert session.rest("GET", f"/v1/page/{rest_key(title)}").json()["source"] == "untouched"


def assert_rest_error(wiki: WikiUnderTest, answer: requests.Response, status: int) -> dict:
    """Check the REST error body: httpCode equal to the status, httpReason, messageTranslations."""
    body = answer.json()
    assert answer.status_code == status, (
        f"{wiki.name}: HTTP {answer.status_code}, not {status}: {body}"
    )
    assert 400 <= status < 500, f"{wiki.name}: expected a refusal, got HTTP {status}: {body}"
    assert not missing_keys(body, REST_ERROR_KEYS), (
        f"{wiki.name}: REST error body lacks {missing_keys(body, REST_ERROR_KEYS)}: {body}"
    )
    assert body["httpCode"] == status, f"{wiki.name}: httpCode {body['httpCode']} != HTTP {status}"
    return body
