"""User names are read as MediaWiki reads them (core's getCanonical): at login with a bot password
and wherever a route takes a name, `organizer` is Organizer and `Jane_Doe` is Jane Doe."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.sandbox.config import load_config
from tests.conformance.api import ApiSession
from tests.sandbox.helpers import PASSWORD, as_wiki, session_of
from tests.sandbox.test_campaignevents import CE, create


@pytest.fixture
def wiki(start_sandbox):
    """The default sandbox plus an organizer with a two-word name, Jane Doe."""
    config = load_config()
    organizer = config.account("Organizer")
    assert organizer is not None
    jane = replace(organizer, user_id=len(config.accounts) + 1, name="Jane Doe")
    return start_sandbox(replace(config, accounts=(*config.accounts, jane)))


@pytest.mark.parametrize(
    ("typed", "known_as"),
    [
        ("organizer@gatebot", "Organizer"),
        ("Jane_Doe@gatebot", "Jane Doe"),
        ("jane__Doe @gatebot", "Jane Doe"),
        ("_Jane Doe_@gatebot", "Jane Doe"),
    ],
)
def test_bot_password_login_reads_the_name_as_mediawiki_does(wiki, typed, known_as):
    answer = ApiSession(as_wiki(wiki)).login((typed, PASSWORD))

    assert (answer["result"], answer.get("lgusername")) == ("Success", known_as)


def test_organizers_given_by_typed_names_are_the_wikis_accounts(wiki):
    organizer = session_of(wiki, "Organizer")
    event_id = create(organizer).json()["id"]

    answer = organizer.rest(
        "PUT",
        f"{CE}/event_registration/{event_id}/organizers",
        json={"organizer_usernames": ["organizer", "jane_Doe"], "token": organizer.csrf_token()},
    )

    assert answer.status_code == 204, answer.text
    listed = organizer.rest("GET", f"{CE}/event_registration/{event_id}/organizers").json()
    assert [o["user_name"] for o in listed] == ["Organizer", "Jane Doe"]
