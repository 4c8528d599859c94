"""`action=visualeditoredit` wikitext saves (how "Add an image" answers are saved), identical
on MediaWiki with its bundled VisualEditor and on the sandbox."""

from __future__ import annotations

import uuid

from tests.conformance.api import ApiSession, logged_in, missing_keys
from tests.conformance.test_action_api import assert_api_error
from tests.wikis import WikiUnderTest

SAVE_KEYS = {"result", "content", "newrevid", "lastModified", "isRedirect", "watched"}


def ve_save(session: ApiSession, title: str, wikitext: str, **extra: str) -> dict:
    answer = session.post(
        action="visualeditoredit",
        paction="save",
        page=title,
        wikitext=wikitext,
        token=session.csrf_token(),
        **extra,
    )
    return answer.json()


def test_wikitext_save_creates_a_revision_with_lower_case_success(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = f"Conformance VE {uuid.uuid4().hex[:10]}"
    saved = ve_save(session, title, "Saved through VisualEditor.", summary="conformance")
    result = saved.get("visualeditoredit")

    assert not missing_keys(result, SAVE_KEYS), (
        f"{wiki.name}: the save answer lacks {missing_keys(result, SAVE_KEYS)}: {saved}"
    )
    assert result["result"] == "success", f"{wiki.name}: result is {result['result']!r}"
    assert isinstance(result["newrevid"], int)
    assert not missing_keys(result["lastModified"], {"date", "time", "message"})
    source = session.rest("GET", f"/v1/page/{title.replace(' ', '_')}").json()["source"]
    assert source == "Saved through VisualEditor.", f"{wiki.name}: the page holds {source!r}"


def test_saving_the_same_wikitext_again_reports_success_without_a_revision(
    wiki: WikiUnderTest,
) -> None:
    session = logged_in(wiki, wiki.admin)
    title = f"Conformance VE null {uuid.uuid4().hex[:10]}"
    ve_save(session, title, "Same text.")
    again = ve_save(session, title, "Same text.").get("visualeditoredit", {})

    assert again.get("result") == "success", f"{wiki.name}: a null save answered {again}"
    assert "newrevid" not in again and "lastModified" not in again, (
        f"{wiki.name}: a null save reports a new revision: {sorted(again)}"
    )


def test_save_without_wikitext_or_html_is_missingparam(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    answer = session.post(
        action="visualeditoredit",
        paction="save",
        page=f"Conformance VE {uuid.uuid4().hex[:10]}",
        token=session.csrf_token(),
    )

    assert_api_error(wiki, answer, "missingparam")
