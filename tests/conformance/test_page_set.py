"""The page set and page creation that `events apply --create-pages` relies on, identical on
MediaWiki 1.39 and the sandbox: existence of up to 50 titles in one request, normalised titles,
the limit, `createonly`, and the first revision's author."""

from __future__ import annotations

import uuid

from tests.conformance.api import ApiSession, logged_in
from tests.wikis import WikiUnderTest


def unique(prefix: str) -> str:
    return f"Pageset {prefix} {uuid.uuid4().hex[:10]}"


def created(session: ApiSession, title: str, text: str = "x") -> None:
    answer = session.edit(title, text, createonly="1").json()
    assert answer.get("edit", {}).get("result") == "Success", answer


def test_fifty_titles_answer_each_page_once_with_normalised_and_missing_ones(
    wiki: WikiUnderTest,
) -> None:
    admin = logged_in(wiki, wiki.admin)
    here = unique("here")
    created(admin, here)
    absent = unique("absent")
    asked = [
        here.replace(" ", "_"),  # normalised to the page's title
        here,  # the same page again: listed once
        here[:1].lower() + here[1:],  # first letter upper-cased: the same page
        absent,
        ":" + absent,  # a leading colon is dropped: the same missing page
        "A<b",
        "Special:Version",
        "Special:No such special page",
        here.replace(" ", "_"),  # a spelling given twice is normalised once
        *[unique(f"filler {n}") for n in range(41)],
    ]
    assert len(asked) == 50
    tester = logged_in(wiki, wiki.limited)
    answer = tester.get(action="query", titles="|".join(asked)).json()

    assert answer.get("batchcomplete") is True, f"{wiki.name}: {answer}"
    normalized = sorted((n["from"], n["to"]) for n in answer["query"]["normalized"])
    assert normalized == sorted([(asked[0], here), (asked[2], here), (asked[4], absent)]), (
        f"{wiki.name}: normalized is {answer['query']['normalized']}"
    )
    pages = answer["query"]["pages"]
    titles = [page["title"] for page in pages]
    assert len(titles) == len(set(titles)) == 46, f"{wiki.name}: pages {titles}"
    by_title = {page["title"]: page for page in pages}
    assert "pageid" in by_title[here] and "missing" not in by_title[here], by_title[here]
    assert by_title[absent] == {"ns": 0, "title": absent, "missing": True}
    assert by_title["A<b"]["invalid"] is True
    assert by_title["A<b"]["invalidreason"] == (
        'The requested page title contains invalid characters: "<".'
    )
    assert by_title["Special:Version"] == {"ns": -1, "title": "Special:Version", "special": True}
    assert by_title["Special:No such special page"] == {
        "ns": -1,
        "title": "Special:No such special page",
        "special": True,
        "missing": True,
    }


def test_pages_come_in_page_id_order_missing_ones_last_asked_first(wiki: WikiUnderTest) -> None:
    """formatversion 2 sorts by (fake) page id: missing titles get -1, -2, … in the order asked
    after invalid and special ones, so they come first, newest fake id first."""
    session = logged_in(wiki, wiki.admin)
    here = unique("ordered")
    created(session, here)
    first, second = unique("first"), unique("second")
    answer = session.get(action="query", titles=f"{first}|{here}|A<b|{second}").json()
    assert [page["title"] for page in answer["query"]["pages"]] == [second, first, "A<b", here]


def test_fifty_one_titles_are_too_many_for_a_plain_account(wiki: WikiUnderTest) -> None:
    same = "|".join(["Main Page"] * 51)  # counted before duplicates merge
    answer = logged_in(wiki, wiki.limited).get(action="query", titles=same).json()
    error = answer.get("error", {})
    assert (
        error.get("code"),
        error.get("limit"),
        error.get("lowlimit"),
        error.get("highlimit"),
    ) == (
        "toomanyvalues",
        50,
        50,
        500,
    ), f"{wiki.name}: {answer}"
    assert error["info"] == 'Too many values supplied for parameter "titles". The limit is 50.'
    high = logged_in(wiki, wiki.admin).get(action="query", titles=same).json()
    assert "error" not in high, f"{wiki.name}: apihighlimits allows 500: {high}"


def test_createonly_never_overwrites_an_existing_page(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    title = unique("createonly")
    first = session.edit(title, "first", createonly="1").json()["edit"]
    assert first.get("new") is True, first
    again = session.edit(title, "second", createonly="1").json()
    assert again["error"]["code"] == "articleexists", f"{wiki.name}: {again}"
    assert again["error"]["info"] == "The article you tried to create has been created already."
    content = session.get(
        action="query", titles=title, prop="revisions", rvprop="content", rvslots="main"
    ).json()["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
    assert content == "first"


def test_first_revision_names_the_pages_author(wiki: WikiUnderTest) -> None:
    """`rvdir=newer&rvlimit=1` on one page gives its creation, continued to the later ones."""
    session = logged_in(wiki, wiki.admin)
    title = unique("author")
    creation = session.edit(title, "one", createonly="1").json()["edit"]["newrevid"]
    later = session.edit(title, "two").json()["edit"]["newrevid"]
    query = {"action": "query", "titles": title, "prop": "revisions", "rvprop": "user|ids"}

    oldest = session.get(**query, rvdir="newer", rvlimit="1").json()
    revisions = oldest["query"]["pages"][0]["revisions"]
    assert revisions == [{"revid": creation, "parentid": 0, "user": wiki.admin[0].split("@")[0]}], (
        f"{wiki.name}: {oldest}"
    )
    assert oldest["continue"]["continue"] == "||", f"{wiki.name}: {oldest}"
    assert "batchcomplete" not in oldest, f"{wiki.name}: more revisions follow: {oldest}"
    rest = session.get(
        **query, rvdir="newer", rvlimit="1", rvcontinue=oldest["continue"]["rvcontinue"]
    ).json()
    assert [r["revid"] for r in rest["query"]["pages"][0]["revisions"]] == [later]
    assert rest.get("batchcomplete") is True
    latest = session.get(**query).json()
    assert [r["revid"] for r in latest["query"]["pages"][0]["revisions"]] == [later]


def test_first_revisions_of_two_pages_need_two_requests(wiki: WikiUnderTest) -> None:
    session = logged_in(wiki, wiki.admin)
    one, two = unique("one"), unique("two")
    created(session, one)
    created(session, two)
    answer = session.get(
        action="query", titles=f"{one}|{two}", prop="revisions", rvdir="newer", rvprop="user"
    ).json()
    assert answer.get("error", {}).get("code") == "invalidparammix", f"{wiki.name}: {answer}"


def test_page_info_flags_redirects_and_pages_with_one_revision(wiki: WikiUnderTest) -> None:
    """What a page check reads from `prop=info`: an event page must be a page, not a redirect."""
    session = logged_in(wiki, wiki.admin)
    redirect, edited = unique("redirect"), unique("edited")
    created(session, redirect, "#redirect [[Main Page]]")
    created(session, edited, "one")
    session.edit(edited, "two")

    answer = session.get(action="query", titles=f"{redirect}|{edited}", prop="info").json()

    pages = {page["title"]: page for page in answer["query"]["pages"]}
    assert (pages[redirect].get("redirect"), pages[redirect].get("new")) == (True, True)
    assert ("redirect" in pages[edited], "new" in pages[edited]) == (False, False)
    assert list(pages[redirect])[-2:] == ["redirect", "new"], f"{wiki.name}: {pages[redirect]}"
