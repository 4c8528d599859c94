"""The write path of `gatebot events apply` against the real MediaWiki 1.39, for both backends:
login and CSRF token, event pages created by the caller (`--create-pages`: the first revision's
author is the logged-in user, `createonly` never overwrites), page existence 50 titles at a time
with normalised and missing titles, and the identity check before a REST write.

CampaignEvents is not installed on the local wiki, so the registration routes themselves are
tested on the sandbox (tests/sandbox/test_write_path.py); what is tested here is what they rest
on, on a real MediaWiki."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.events import pages
from bot.wiki import ApiError, AssertUserFailed, WikiClient
from tests.integration.conftest import Connect
from tests.mediawiki import LocalMediaWiki

PAGE_TEXT = "An event page made by gatebot's integration tests."


def unique(prefix: str) -> str:
    return f"Events write {prefix} {uuid.uuid4().hex[:10]}"


def create_page(client: WikiClient, title: str, text: str = PAGE_TEXT) -> dict[str, Any]:
    """What `--create-pages` sends: a new page or nothing (`createonly`), as the caller."""
    answer = client.api_post({"action": "edit", "title": title, "text": text, "createonly": 1})
    return answer["edit"]


def first_author(client: WikiClient, title: str) -> str:
    answer = client.api_get({
        "action": "query", "titles": title, "prop": "revisions", "rvdir": "newer",
        "rvlimit": 1, "rvprop": "user",
    })  # fmt: skip
    return answer["query"]["pages"][0]["revisions"][0]["user"]


def source(client: WikiClient, title: str) -> str:
    return client.rest("GET", f"/v1/page/{title.replace(' ', '_')}").data["source"]


def test_login_gives_the_account_and_a_session_csrf_token(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)

    info = client.userinfo(refresh=True)
    token = client.csrf_token()

    assert (info.name, info.anonymous) == ("Admin", False)
    assert token.endswith("+\\") and token != "+\\", "a logged-in session has its own token"


def test_a_page_the_caller_creates_has_the_caller_as_first_author_even_after_others_edit(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    """The page-author rule of CampaignEvents looks at the first revision only."""
    organizer = connect_as(local_mediawiki.admin)
    other = connect_as(local_mediawiki.quick, min_interval=0)
    title = unique("author")

    made = create_page(organizer, title)
    other.api_post({"action": "edit", "title": title, "text": "Someone else's change."})

    assert made["new"] is True and made["oldrevid"] == 0
    assert first_author(organizer, title) == "Admin"


def test_createonly_never_overwrites_a_page_that_exists(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)
    title = unique("createonly")
    create_page(connect_as(local_mediawiki.quick, min_interval=0), title, "Somebody's page.")

    with pytest.raises(ApiError) as refused:
        create_page(client, title)

    assert refused.value.code == "articleexists"
    assert source(client, title) == "Somebody's page."
    assert first_author(client, title) == "Quick"


def test_fifty_titles_are_looked_up_in_one_request_normalised_and_missing(
    connect_as: Connect, local_mediawiki: LocalMediaWiki, sent: list[str]
) -> None:
    client = connect_as(local_mediawiki.admin)
    there = unique("there")
    create_page(client, there)
    absent = [unique(f"absent {n}") for n in range(49)]
    sent.clear()

    answer = client.api_get(
        {"action": "query", "titles": "|".join([there.replace(" ", "_"), *absent])}
    )

    assert sent == ["GET /api.php"], "one request for 50 titles"
    assert answer["query"]["normalized"] == [
        {"fromencoded": False, "from": there.replace(" ", "_"), "to": there}
    ]
    pages = {page["title"]: page for page in answer["query"]["pages"]}
    assert set(pages) == {there, *absent}
    assert "missing" not in pages[there]
    assert all(pages[title].get("missing") is True for title in absent)


def test_fifty_one_titles_are_refused_for_an_account_without_high_limits(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    """An organizer is no bot: the wiki takes 50 titles a request, so lookups go in fifties."""
    client = connect_as(local_mediawiki.limited)
    assert "apihighlimits" not in client.userinfo().rights

    with pytest.raises(ApiError) as refused:
        client.api_get({"action": "query", "titles": "|".join(unique("t") for _ in range(51))})

    assert refused.value.code == "toomanyvalues"


def test_the_identity_is_checked_before_a_rest_write_and_a_swapped_session_writes_nothing(
    connect_as: Connect, local_mediawiki: LocalMediaWiki, sent: list[str]
) -> None:
    organizer = connect_as(local_mediawiki.admin)
    other = connect_as(local_mediawiki.quick, min_interval=0)
    title = unique("identity")
    path = f"/v1/page/{title.replace(' ', '_')}"
    jar = organizer._cookie_jar()
    jar.clear()
    for cookie in other._cookie_jar():
        jar.set_cookie(cookie)  # the session under the client is now someone else's
    sent.clear()

    with pytest.raises(AssertUserFailed) as refused:
        organizer.rest("PUT", path, json={"source": PAGE_TEXT, "comment": "gatebot"})

    assert "Quick" in str(refused.value) and "Admin" in str(refused.value)
    assert sent == ["GET /api.php"], "only the userinfo that caught it; no PUT was sent"
    assert "missing" in other.api_get({"action": "query", "titles": title})["query"]["pages"][0]


def test_apply_looks_up_sixty_event_pages_in_two_requests(
    connect_as: Connect, local_mediawiki: LocalMediaWiki, sent: list[str]
) -> None:
    """`bot.events.pages` as `events apply` uses it, for an account limited to 50 titles."""
    client = connect_as(local_mediawiki.limited)
    there = unique("apply there")
    create_page(connect_as(local_mediawiki.admin), there)
    asked = [there.replace(" ", "_"), *(unique(f"apply absent {n}") for n in range(59))]
    sent.clear()

    states = pages.page_states(client, asked)

    assert sent == ["GET /api.php", "GET /api.php"], "50 titles, then 10"
    assert (states[asked[0]].title, states[asked[0]].exists) == (there, True)
    assert not any(states[title].exists for title in asked[1:])


def test_apply_creates_a_missing_page_as_the_caller_and_never_overwrites(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)
    title = unique("apply create")

    assert pages.create_page(client, title, PAGE_TEXT) is True
    assert pages.create_page(client, title, "Another text.") is False

    assert source(client, title) == PAGE_TEXT
    assert first_author(client, title) == "Admin"
