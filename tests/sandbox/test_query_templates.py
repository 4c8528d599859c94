"""`prop=templates` and `generator=templates` in the sandbox: what a page's wikitext transcludes,
as pywikibot asks it before every save (its {{bots}}/{{nobots}} check)."""

from __future__ import annotations

import pytest

from bot.sandbox.seed import create_page
from tests.sandbox.helpers import session_of

TEXT = (
    "{{Bots|deny=all}} {{#if:x|y}} {{subst:Welcome}} {{PAGENAME}} {{{1|}}} "
    "{{ Infobox event | when=today }} {{:Main Page}} {{User:Organizer/Box}} {{bots}}"
)


@pytest.fixture
def wiki(start_sandbox):
    server = start_sandbox()
    create_page(server.wiki, "Event:Templated", "Organizer", TEXT)
    create_page(server.wiki, "Template:Bots", "Admin", "bot exclusion")
    return server


def test_templates_are_the_transclusions_not_parser_functions_variables_or_parameters(wiki):
    answer = (
        session_of(wiki, "Organizer")
        .get(action="query", prop="templates", titles="Event:Templated", formatversion=2)
        .json()
    )
    assert "warnings" not in answer, answer
    (page,) = answer["query"]["pages"]
    assert page["templates"] == [
        {"ns": 0, "title": "Main Page"},
        {"ns": 2, "title": "User:Organizer/Box"},
        {"ns": 10, "title": "Template:Bots"},
        {"ns": 10, "title": "Template:Infobox event"},
    ]


def test_limit_and_continue_page_through_them(wiki):
    organizer, seen, params = session_of(wiki, "Organizer"), [], {}
    while True:
        answer = organizer.get(
            action="query",
            prop="templates",
            titles="Event:Templated",
            tllimit=3,
            tlnamespace=10,
            formatversion=2,
            **params,
        ).json()
        seen += [t["title"] for t in answer["query"]["pages"][0].get("templates", [])]
        if "continue" not in answer:
            break
        params = answer["continue"]
    assert seen == ["Template:Bots", "Template:Infobox event"]


def test_the_generator_gives_the_template_pages_existing_or_missing(wiki):
    answer = session_of(wiki, "Organizer").get(
        action="query", generator="templates", titles="Event:Templated", gtlnamespace=10,
        formatversion=2,
    ).json()  # fmt: skip
    pages = {page["title"]: page for page in answer["query"]["pages"]}
    assert set(pages) == {"Template:Bots", "Template:Infobox event"}
    assert "missing" not in pages["Template:Bots"] and pages["Template:Infobox event"]["missing"]
