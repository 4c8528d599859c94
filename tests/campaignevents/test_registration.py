"""`Registration` <-> the REST JSON of contract campaignevents §1.1–§1.3, and its round trip."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.campaignevents import (
    NOT_SHOWN,
    Registration,
    RegistrationNotWritable,
    UnexpectedResponse,
    changed_fields,
)
from tests.campaignevents.conftest import contract_get
from tests.sandbox.helpers import fixture


def contract_create_body() -> dict:
    body = fixture("ce_create_request.json")
    body.pop("token")
    return body


def test_get_example_maps_to_every_field():
    event = Registration.from_get_json(contract_get())
    assert (event.id, event.name, event.event_page) == (
        1873,
        "Lisbon Photo Walk 2026",
        "Event:Lisbon Photo Walk 2026",
    )
    assert (event.types, event.wikis, event.topics) == (
        ("media-upload-event",),
        ("commonswiki",),
        ("architecture", "europe"),
    )
    assert (event.participation, event.meeting_country_code) == ("in-person", "PT")
    assert (event.meeting_url, event.chat_url) == (None, "https://t.me/+lisbonphotowalk")
    assert (event.tracks_contributions, event.goal_type, event.goal_target) == (
        True,
        "total_edits",
        200,
    )
    assert (event.status, event.questions) == ("open", (1, 2, 3, 4, 5))


def test_post_body_of_the_get_example_is_the_contract_create_request_in_its_order():
    body = Registration.from_get_json(contract_get()).to_body(update=False)
    assert list(body.items()) == list(contract_create_body().items())


def test_put_body_sends_every_field_and_the_status():
    closed = Registration.from_get_json(contract_get(status="closed"))
    body = closed.to_body(update=True)
    assert body == {**contract_create_body(), "status": "closed"}


def test_create_of_a_closed_registration_is_refused_rather_than_opened():
    closed = Registration.from_get_json(contract_get(status="closed"))
    with pytest.raises(RegistrationNotWritable) as caught:
        closed.to_body(update=False)
    assert caught.value.field == "status"


def test_get_without_tracks_contributions_is_unknown_not_false():
    older_wiki = Registration.from_get_json(contract_get(tracks_contributions=...))
    assert older_wiki.tracks_contributions is None
    with pytest.raises(RegistrationNotWritable) as caught:
        older_wiki.to_body(update=True)
    assert caught.value.field == "tracks_contributions"
    assert "true or false" in str(caught.value)


def test_every_write_sends_tracks_contributions_even_when_off():
    off = Registration.from_get_json(contract_get(tracks_contributions=False, goal_type=None))
    assert off.to_body(update=False)["tracks_contributions"] is False
    assert off.to_body(update=True)["tracks_contributions"] is False


def test_chat_url_hidden_from_the_caller_is_not_shown_which_is_not_empty():
    hidden = Registration.from_get_json(contract_get(chat_url=...))
    assert hidden.chat_url is NOT_SHOWN
    assert hidden.meeting_url is None
    assert hidden != Registration.from_get_json(contract_get(chat_url=None))


def test_update_never_sends_a_hidden_url_as_empty():
    hidden = Registration.from_get_json(contract_get(chat_url=...))
    with pytest.raises(RegistrationNotWritable) as caught:
        hidden.to_body(update=True)
    assert caught.value.field == "chat_url"
    assert "erase" in str(caught.value)


def test_a_hidden_url_the_caller_sets_explicitly_is_written():
    hidden = Registration.from_get_json(contract_get(chat_url=...))
    assert "chat_url" not in hidden.with_changes(chat_url=None).to_body(update=True)
    new_url = hidden.with_changes(chat_url="https://chat.example").to_body(update=True)
    assert new_url["chat_url"] == "https://chat.example"


def test_tracking_tool_of_the_get_is_the_tool_of_the_body():
    tool = {"tool_id": "wikimedia-pe-dashboard", "tool_event_id": "Org/Course"}
    event = Registration.from_get_json(contract_get(tracking_tools=[tool]))
    body = event.to_body(update=True)
    assert (body["tracking_tool_id"], body["tracking_tool_event_id"]) == (
        "wikimedia-pe-dashboard",
        "Org/Course",
    )
    assert "tracking_tools" not in body


def test_two_tracking_tools_cannot_round_trip_and_are_refused():
    tool = {"tool_id": "wikimedia-pe-dashboard", "tool_event_id": "Org/Course"}
    with pytest.raises(UnexpectedResponse, match="2 tracking tools"):
        Registration.from_get_json(contract_get(tracking_tools=[tool, tool]))


@pytest.mark.parametrize(
    ("online", "in_person", "participation"),
    [
        (True, False, "online"),
        (False, True, "in-person"),
        (True, True, "hybrid"),
        (False, False, None),
    ],
)
def test_participation_is_derived_from_the_two_booleans(online, in_person, participation):
    event = Registration.from_get_json(
        contract_get(online_meeting=online, inperson_meeting=in_person)
    )
    assert event.participation == participation


@pytest.mark.parametrize(
    ("key", "value"),
    [("types", "media-upload-event"), ("online_meeting", 1), ("goal_target", "200"), ("id", True)],
)
def test_a_get_with_a_wrongly_typed_key_is_refused_naming_the_key(key, value):
    with pytest.raises(UnexpectedResponse, match=key):
        Registration.from_get_json(contract_get(**{key: value}))


def test_a_get_without_a_required_key_is_refused_naming_it():
    with pytest.raises(UnexpectedResponse, match="timezone"):
        Registration.from_get_json(contract_get(timezone=...))


def test_what_the_wiki_normalises_is_no_change():
    stored = Registration.from_get_json(
        contract_get(types=["editing-event", "meetup"], wikis=["*"])
    )
    sent = replace(
        stored,
        event_page="Event:Lisbon_Photo_Walk_2026",
        types=("meetup", "editing-event"),
        wikis=("wikidatawiki", "commonswiki", "sandboxwiki"),
        meeting_address="  Praça do Comércio, Lisboa \n",
        timezone="europe/lisbon",
    )
    farm = ("sandboxwiki", "commonswiki", "wikidatawiki")
    assert changed_fields(stored, sent, farm_wikis=farm) == ()


def test_changes_name_the_field_with_before_and_after():
    stored = Registration.from_get_json(contract_get())
    wanted = stored.with_changes(tracks_contributions=False, goal_type=None, goal_target=None)
    changes = changed_fields(stored, wanted)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("tracks_contributions", True, False),
        ("goal_type", "total_edits", None),
        ("goal_target", 200, None),
    ]


def test_a_value_for_a_hidden_field_is_a_change():
    stored = Registration.from_get_json(contract_get(chat_url=...))
    wanted = stored.with_changes(chat_url="https://t.me/+lisbonphotowalk")
    assert [c.field for c in changed_fields(stored, wanted)] == ["chat_url"]


def test_a_subset_of_the_farm_is_not_all_wikis():
    stored = Registration.from_get_json(contract_get(wikis=["*"]))
    wanted = stored.with_changes(wikis=("commonswiki",))
    farm = ("sandboxwiki", "commonswiki", "wikidatawiki")
    assert [c.field for c in changed_fields(stored, wanted, farm_wikis=farm)] == ["wikis"]


def test_a_different_case_of_the_page_name_is_a_change():
    stored = Registration.from_get_json(contract_get())
    wanted = stored.with_changes(event_page="Event:Lisbon photo walk 2026")
    assert [c.field for c in changed_fields(stored, wanted)] == ["event_page"]


def test_read_only_fields_cannot_be_changed():
    stored = Registration.from_get_json(contract_get())
    with pytest.raises(TypeError, match="id"):
        stored.with_changes(id=5)
