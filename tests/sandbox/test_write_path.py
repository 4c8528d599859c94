"""What `events apply` does on the sandbox, route by route: the request tally it is counted
with, event pages in the Event namespace created by the caller, the page-author rule through
pages made over the API, and the organizer's event list cap. (Page-set and createonly rules
shared with MediaWiki are in tests/conformance/test_page_set.py.)"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.sandbox.helpers import session_of
from tests.sandbox.test_campaignevents import CE, create

CREATE = f"POST {CE}/event_registration"


@pytest.fixture
def wiki(start_sandbox):
    return start_sandbox()


def test_the_tally_counts_each_request_by_route_and_action(wiki):
    organizer = session_of(wiki, "Organizer")
    before = wiki.requests.snapshot()
    organizer.edit("Event:Tally", "An event.", createonly="1")
    created = create(organizer, event_page="Event:Tally")
    organizer.rest("GET", f"{CE}/event_registration/{created.json()['id']}")
    organizer.rest("GET", "/no/such/route")

    assert wiki.requests.snapshot() - before == Counter(
        {
            "api:query": 2,  # the CSRF tokens of the edit and of the create
            "api:edit": 1,
            CREATE: 1,
            f"GET {CE}/event_registration/{{id}}": 1,
            "unrouted": 1,
        }
    )
    assert wiki.requests.total == sum(wiki.requests.snapshot().values())


def test_fifty_event_pages_in_one_request_with_the_event_namespace_normalised(wiki):
    organizer = session_of(wiki, "Organizer")
    asked = ["event:lisbon_Photo_Walk_2026", "Event:Not there yet"] + [
        f"Event:Filler {n}" for n in range(48)
    ]
    answer = organizer.get(action="query", titles="|".join(asked)).json()["query"]
    assert answer["normalized"] == [
        {"fromencoded": False, "from": asked[0], "to": "Event:Lisbon Photo Walk 2026"}
    ]
    pages = {page["title"]: page for page in answer["pages"]}
    assert "missing" not in pages["Event:Lisbon Photo Walk 2026"]
    assert pages["Event:Not there yet"] == {
        "ns": 1728,
        "title": "Event:Not there yet",
        "missing": True,
    }


def test_a_page_the_organizer_creates_over_the_api_can_get_a_registration(wiki):
    organizer = session_of(wiki, "Organizer")
    made = organizer.edit("Event:Made by the bot", "An event.", createonly="1").json()["edit"]
    assert made["new"] is True
    answer = create(organizer, event_page="Event:Made by the bot")
    assert answer.status_code == 201


def test_a_page_someone_else_created_is_refused_even_after_the_organizer_edits_it(wiki):
    """The page-author rule looks at the first revision only (contract §4.2 step 3)."""
    session_of(wiki, "Admin").edit("Event:Admin made it", "An event.", createonly="1")
    organizer = session_of(wiki, "Organizer")
    assert organizer.edit("Event:Admin made it", "Organizer's text.").json()["edit"]["result"]
    answer = create(organizer, event_page="Event:Admin made it")
    assert (answer.status_code, answer.json()["errorKey"]) == (
        403,
        "campaignevents-enable-registration-not-allowed-page",
    )


def test_a_missing_event_page_is_refused_before_the_author_rule(wiki):
    answer = create(session_of(wiki, "Organizer"), event_page="Event:Never created")
    assert (answer.status_code, answer.json()["errorKey"]) == (
        400,
        "campaignevents-error-page-not-found",
    )


def test_the_organizer_list_stops_at_fifty_events_deleted_ones_included(wiki):
    organizer = session_of(wiki, "Organizer")
    central_id = organizer.get(action="query", meta="userinfo").json()["query"]["userinfo"]["id"]
    listing = f"{CE}/organizer/{central_id}/event_registrations"
    already = len(organizer.rest("GET", listing).json())
    made = []
    for n in range(51 - already):
        organizer.edit(f"Event:Cap {n}", "An event.", createonly="1")
        made.append(create(organizer, event_page=f"Event:Cap {n}").json()["id"])
    organizer.rest(
        "DELETE", f"{CE}/event_registration/{made[0]}", json={"token": organizer.csrf_token()}
    )
    listed = organizer.rest("GET", listing).json()
    assert len(listed) == 50
    assert [e["event_id"] for e in listed] == sorted(e["event_id"] for e in listed)
    assert {"event_id": made[0], "event_name": "Cap 0", "event_deleted": True} in listed
    assert made[-1] not in [e["event_id"] for e in listed]


def test_the_testers_page_creations_are_rate_limited_like_edits(wiki):
    tester = session_of(wiki, "Tester")
    codes = [
        tester.edit(f"Event:Rate {n}", "x", createonly="1").json().get("error", {}).get("code")
        for n in range(6)
    ]
    assert codes == [None] * 5 + ["ratelimited"]
    missing = tester.get(action="query", titles="Event:Rate 5").json()["query"]["pages"][0]
    assert missing.get("missing") is True
