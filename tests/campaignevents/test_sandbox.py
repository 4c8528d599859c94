"""The client end to end against the built-in sandbox wiki, logged in as Organizer."""

from __future__ import annotations

import pytest

from bot.campaignevents import (
    NOT_SHOWN,
    CampaignEventsClient,
    EventDeleted,
    InvalidParameter,
    NotAnOrganizer,
    NotPageAuthor,
    PageAlreadyRegistered,
    Registration,
    RegistrationNotWritable,
    RegistrationRefused,
    changed_fields,
)
from bot.wiki import BACKEND_NAMES

BERLIN = "Event:WikiGap 2026/Berlin"


def wikigap(**changes) -> Registration:
    """A hybrid editing event in Berlin, a year ahead of the sandbox's clock."""
    event = Registration(
        event_page=BERLIN,
        timezone="Europe/Berlin",
        start_time="20271201100000",
        end_time="20271201180000",
        types=("editing-event",),
        wikis=("commonswiki",),
        tracks_contributions=True,
        online_meeting=True,
        inperson_meeting=True,
        meeting_url="https://meet.example/wikigap",
        meeting_country_code="DE",
        meeting_address="Alexanderplatz 1, Berlin",
        chat_url="https://t.me/+wikigapberlin",
    )
    return event.with_changes(**changes)


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_create_get_update_list_and_delete(login, backend):
    organizer = CampaignEventsClient(login("Organizer", backend))
    event_id = organizer.create(wikigap()).id
    stored = organizer.get(event_id)
    assert (stored.id, stored.name, stored.participation) == (
        event_id,
        "WikiGap 2026/Berlin",
        "hybrid",
    )
    assert changed_fields(stored, wikigap()) == ()

    updated = organizer.update_fields(event_id, tracks_contributions=False, topics=("women",))
    assert [c.field for c in updated.changes] == ["tracks_contributions", "topics"]
    again = organizer.get(event_id)
    assert (again.tracks_contributions, again.topics) == (False, ("women",))
    assert again.chat_url == "https://t.me/+wikigapberlin"

    [creator] = organizer.organizers(event_id)
    assert (creator.user_name, creator.roles) == ("Organizer", ("creator",))
    assert creator.user_id == organizer.own_central_id()

    listing = organizer.events_by_organizer(organizer.own_central_id())
    assert (event_id, "WikiGap 2026/Berlin", False) in [
        (e.event_id, e.event_name, e.deleted) for e in listing.events
    ]

    organizer.delete(event_id)
    with pytest.raises(EventDeleted):
        organizer.get(event_id)
    listing = organizer.events_by_organizer(organizer.own_central_id())
    assert (event_id, True) in [(e.event_id, e.deleted) for e in listing.events]


def test_what_the_sandbox_normalises_comes_back_as_no_change(organizer, sandbox):
    farm = sandbox.wiki.config.farm_wikis
    sent = wikigap(
        event_page="Event:WikiGap_2026/Berlin",
        types=("meetup", "editing-event"),
        wikis=tuple(reversed(farm)),
        meeting_address="  Alexanderplatz 1, Berlin  ",
    )
    stored = organizer.get(organizer.create(sent).id)
    assert (stored.types, stored.wikis) == (("editing-event", "meetup"), ("*",))
    assert changed_fields(stored, sent, farm_wikis=farm) == ()


def test_a_second_create_is_refused_and_the_first_is_found_by_its_page(organizer):
    event_id = organizer.create(wikigap()).id
    with pytest.raises(PageAlreadyRegistered) as caught:
        organizer.create(wikigap())
    found = organizer.find_by_page(caught.value.event_page)
    assert found is not None and found.id == event_id


def test_find_by_page_of_a_page_without_registration_is_none(organizer):
    assert organizer.find_by_page("Event:Backlog Drive December") is None


def test_only_the_page_creator_may_enable_registration(organizer):
    with pytest.raises(NotPageAuthor):
        organizer.create(wikigap(event_page="Event:Admin Test Event"))


def test_a_reader_who_is_no_participant_gets_the_urls_not_shown(organizer, login):
    event_id = organizer.create(wikigap()).id
    volunteer = CampaignEventsClient(login("Volunteer"))
    seen = volunteer.get(event_id)
    assert (seen.meeting_url, seen.chat_url) == (NOT_SHOWN, NOT_SHOWN)
    with pytest.raises(RegistrationNotWritable) as caught:
        volunteer.update_fields(event_id, tracks_contributions=False)
    assert caught.value.field == "meeting_url"


def test_a_non_organizer_may_not_update(organizer, login):
    event_id = organizer.create(wikigap(meeting_url=None, chat_url=None)).id
    admin = CampaignEventsClient(login("Admin"))
    with pytest.raises(NotAnOrganizer):
        admin.update_fields(event_id, tracks_contributions=False)
    assert organizer.get(event_id).tracks_contributions is True


def test_of_two_problems_the_wiki_reports_the_first_and_the_error_names_its_field(organizer):
    minsk = wikigap(event_page="Event:Minsk Meetup", types=("meetup",), meeting_country_code="BY")
    with pytest.raises(RegistrationRefused) as caught:
        organizer.create(minsk)
    assert caught.value.error_key == "campaignevents-error-contribs-tracking-disallowed-country"
    assert caught.value.field == "meeting_country_code"


def test_a_parameter_the_wiki_refuses_is_named_with_its_failure_code(organizer):
    with pytest.raises(InvalidParameter) as caught:
        organizer.create(wikigap(goal_type="total_edits", goal_target=0))
    assert (caught.value.field, caught.value.failure_code) == ("goal_target", "outofrange")
