"""`qa contribution-stats` against the sandbox: green when the wiki agrees with the policy,
drift caught in both directions, the writes it says it makes, and what it leaves behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

import policies
from bot.campaignevents import CampaignEventsClient, EventDeleted
from bot.qa import contribution_stats
from bot.qa.checklist import FAILED, PASSED
from policies.errors import InputError
from tests.qa.conftest import PRODUCTION

NOW = datetime.now(timezone.utc)


def _run(wiki, prefix="Event:QA run/", **options):
    said: list[str] = []
    checklist = contribution_stats.run(
        wiki,
        policies.load(),
        prefix=prefix,
        keep=options.pop("keep", False),
        now=NOW,
        announce=said.append,
        **options,
    )
    return checklist, said


def _by_start(checklist, start):
    [item] = [c for c in checklist.checks if c.criterion.startswith(start)]
    return item


def test_every_criterion_passes_on_a_wiki_that_agrees_with_the_policy(sandbox, login):
    wiki = login(sandbox(), "Organizer")
    checklist, said = _run(wiki)
    assert [c.status for c in checklist.checks] == [PASSED] * 11, checklist.as_json()
    assert checklist.ok
    assert said == [
        f"will make 18 writes on {wiki.target.api_url} as Organizer: 4 test pages and events "
        "(registrations then deleted, pages left), 1 edit, 5 allowed sample countries; 20 more "
        "requests should be refused and write nothing (each one the wiki accepts is a write "
        "more, and a failed criterion)."
    ]
    assert checklist.writes == 18
    assert checklist.details["drift"] == {"wiki_allows": [], "wiki_forbids": []}


def test_the_type_refusal_shows_the_wikis_exact_text(sandbox, login):
    checklist, _ = _run(login(sandbox(), "Organizer"))
    item = _by_start(checklist, "A non-contribution type (Meetup)")
    assert (
        'campaignevents-error-contribs-tracking-invalid-type: "Contribution statistics can only '
        "be enabled for events with the following types: Editing event, Media upload event, "
        'Backlog drive and Contest"'
    ) in item.evidence[0]


def test_by_default_the_registrations_are_deleted_and_the_pages_left_are_named(sandbox, login):
    wiki = login(sandbox(), "Organizer")
    checklist, _ = _run(wiki)
    client = CampaignEventsClient(wiki)
    for event_id in (2, 3, 4, 5):  # the seed holds event 1
        with pytest.raises(EventDeleted):
            client.get(event_id)
    assert checklist.left == {
        "pages": [f"Event:QA run/{kind}" for kind in policies.load().contribution_types]
    }
    assert any("may not delete pages here" in note for note in checklist.notes)


def test_keep_leaves_the_test_events_as_they_are(sandbox, login):
    wiki = login(sandbox(), "Organizer")
    checklist, said = _run(wiki, keep=True)
    assert "(kept, --keep)" in said[0] and "will make 14 writes" in said[0]
    assert checklist.writes == 14
    client = CampaignEventsClient(wiki)
    assert [client.get(event_id).is_test_event for event_id in (2, 3, 4, 5)] == [True] * 4
    assert len(checklist.left["test events"]) == 4
    assert len(checklist.left["pages"]) == 4


def test_drift_a_wiki_that_allows_a_country_the_local_list_forbids(sandbox, login):
    wiki = login(sandbox(disallowed=[c for c in PRODUCTION if c != "BY"]), "Organizer")
    checklist, _ = _run(wiki)
    item = _by_start(checklist, "The wiki refuses statistics for each of the 17")
    assert item.status == FAILED
    assert "BY (Belarus): the wiki disagrees" in item.evidence
    assert item.todo.startswith("DRIFT: the wiki allows BY, which the local list forbids")
    assert "stricter than the wiki's or stale" in item.todo
    assert checklist.details["drift"] == {"wiki_allows": ["BY"], "wiki_forbids": []}
    assert _by_start(checklist, "The wiki allows statistics for a sample").status == PASSED
    assert not checklist.ok


def test_drift_a_wiki_that_forbids_a_country_the_local_list_allows(sandbox, login):
    wiki = login(sandbox(disallowed=[*PRODUCTION, "PT"]), "Organizer")
    checklist, _ = _run(wiki)
    item = _by_start(checklist, "The wiki allows statistics for a sample")
    assert item.status == FAILED
    assert item.todo.startswith("DRIFT: the wiki forbids PT, which the local list allows")
    assert "add them to the policy's disallowed countries" in item.todo
    assert checklist.details["drift"] == {"wiki_allows": [], "wiki_forbids": ["PT"]}
    assert _by_start(checklist, "The wiki refuses statistics for each").status == PASSED
    assert checklist.writes == 17  # PT's refusal wrote nothing


def test_a_wiki_that_forgot_the_first_country_fails_the_refusal_criteria(sandbox, login):
    wiki = login(sandbox(disallowed=[c for c in PRODUCTION if c != "BH"]), "Organizer")
    checklist, _ = _run(wiki)
    refusals = [c for c in checklist.checks if "BH (Bahrain), locally disallowed" in c.criterion]
    assert [c.status for c in refusals] == [FAILED, FAILED]
    assert refusals[0].evidence[0].endswith("→ accepted")


def test_pages_of_an_earlier_run_are_refused_before_any_write(sandbox, login):
    wiki = login(sandbox(), "Organizer")
    _run(wiki, prefix="Event:Same/")
    with pytest.raises(InputError, match="exists already; give a --prefix of your own"):
        _run(wiki, prefix="Event:Same/")


def test_a_wiki_that_is_not_a_test_wiki_is_refused_before_any_write(sandbox, login):
    server = sandbox()
    wiki = login(server, "Organizer")
    # The session's answers are cached; only the URL the rule reads is another wiki's.
    wiki.target = replace(wiki.target, api_url="https://en.wikipedia.org/w/api.php")
    with pytest.raises(InputError, match="is not a test wiki") as caught:
        _run(wiki)
    assert caught.value.exit_status == 2
    assert "makes 18 writes there" in str(caught.value)
    assert server.wiki.store.page("Event:QA run/editing-event") is None


def test_a_user_who_may_delete_pages_leaves_nothing_behind(sandbox, login):
    server = sandbox()
    checklist, said = _run(login(server, "Admin"))
    assert checklist.ok
    assert "will make 22 writes" in said[0] and "(then deleted)" in said[0]
    assert checklist.writes == 22
    assert checklist.left == {}
    assert server.wiki.store.page("Event:QA run/contest") is None
