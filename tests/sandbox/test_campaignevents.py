"""The sandbox's CampaignEvents REST routes against contract campaignevents §1, §4, §5, §9."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from bot.sandbox.config import load_config
from tests.sandbox.helpers import fixture, session_of, shape_differences

CE = "/campaignevents/v0"


def create_body(**changes: Any) -> dict[str, Any]:
    """The contract's create example (§1.2), a year later so the start is in the future."""
    body = fixture("ce_create_request.json")
    body.pop("token")
    body.update(start_time="20271010090000", end_time="20271010170000")
    body.update(changes)
    return body


@pytest.fixture
def wiki(start_sandbox):
    return start_sandbox()


@pytest.fixture
def organizer(wiki):
    return session_of(wiki, "Organizer")


def create(session, **changes: Any) -> requests.Response:
    return session.rest(
        "POST",
        f"{CE}/event_registration",
        json={**create_body(**changes), "token": session.csrf_token()},
    )


def test_create_answers_201_with_id_and_location(organizer, wiki):
    answer = create(organizer)
    assert answer.status_code == 201
    assert shape_differences(answer.json(), fixture("ce_create_response.json")) == []
    event_id = answer.json()["id"]
    assert answer.headers["Location"] == f"{wiki.rest_url}{CE}/event_registration/{event_id}"


def test_get_has_the_contract_keys_order_and_types(organizer):
    event_id = create(organizer).json()["id"]
    answer = organizer.rest("GET", f"{CE}/event_registration/{event_id}")
    assert answer.status_code == 200
    assert shape_differences(answer.json(), fixture("ce_get_registration.json")) == []
    assert answer.json()["name"] == "Lisbon Photo Walk 2026"


def test_get_hides_an_existing_chat_url_from_anonymous_readers(organizer, wiki):
    event_id = create(organizer).json()["id"]
    anonymous = requests.get(f"{wiki.rest_url}{CE}/event_registration/{event_id}", timeout=10)
    assert "chat_url" not in anonymous.json()
    assert anonymous.json()["meeting_url"] is None


def test_whole_farm_comes_back_as_star_and_types_in_registry_order(organizer, wiki):
    farm = list(wiki.wiki.config.farm_wikis)
    event_id = create(organizer, wikis=farm, types=["meetup", "editing-event"]).json()["id"]
    event = organizer.rest("GET", f"{CE}/event_registration/{event_id}").json()
    assert event["wikis"] == ["*"]
    assert event["types"] == ["editing-event", "meetup"]


def test_disallowed_country_is_refused_with_the_contract_envelope(organizer):
    answer = create(organizer, event_page="Event:Minsk Meetup", meeting_country_code="BY")
    assert answer.status_code == 400
    assert answer.json() == fixture("ce_localized_error.json")


def test_country_error_wins_over_type_error(organizer):
    answer = create(
        organizer, event_page="Event:Minsk Meetup", meeting_country_code="BY", types=["meetup"]
    )
    assert answer.json()["errorKey"] == "campaignevents-error-contribs-tracking-disallowed-country"


def test_sandbox_config_can_disagree_with_the_shipped_country_list(start_sandbox, tmp_path: Path):
    config_file = tmp_path / "sandbox.toml"
    config_file.write_text('[campaignevents]\ndisallowed_countries = { PT = "Portugal" }\n')
    wiki = start_sandbox(load_config(config_file))
    organizer = session_of(wiki, "Organizer")
    assert create(organizer).json()["errorKey"] == (
        "campaignevents-error-contribs-tracking-disallowed-country"
    )
    assert (
        create(organizer, event_page="Event:Minsk Meetup", meeting_country_code="BY").status_code
        == 201
    )


def test_missing_tracks_contributions_is_a_parameter_error(organizer):
    body = create_body()
    body.pop("tracks_contributions")
    answer = organizer.rest("POST", f"{CE}/event_registration", json=body)
    assert answer.status_code == 400
    assert shape_differences(answer.json(), fixture("ce_param_error.json")) == []
    assert (answer.json()["name"], answer.json()["failureCode"]) == (
        "tracks_contributions",
        "missingparam",
    )


@pytest.mark.parametrize(("changes", "name", "code"), [
    ({"types": ["meetup", "contest", "workshop"]}, "types", "toomanyvalues"),
    ({"types": ["picnic"]}, "types", "badvalue"),
    ({"meeting_country_code": "ZZ"}, "meeting_country_code", "badvalue"),
    ({"online_meeting": "yes"}, "online_meeting", "badbool-type"),
    ({"goal_target": 0}, "goal_target", "outofrange"),
    ({"start_time": "next tuesday"}, "start_time", "badtimestamp"),
])  # fmt: skip
def test_parameter_layer_refuses_bad_values_before_the_token(organizer, changes, name, code):
    answer = organizer.rest("POST", f"{CE}/event_registration", json=create_body(**changes))
    assert answer.status_code == 400
    assert (answer.json()["name"], answer.json()["failureCode"]) == (name, code)


def test_body_without_content_type_is_415(organizer):
    answer = organizer.rest("POST", f"{CE}/event_registration", data=b'{"a": 1}')
    assert answer.status_code == 415
    assert answer.json()["error"] == "no-content-type"


@pytest.mark.parametrize(("token", "text"), [(None, "not provided"), ("bad+\\", "Invalid")])
def test_write_without_the_session_token_is_403_badtoken(organizer, token, text):
    body = create_body() if token is None else {**create_body(), "token": token}
    answer = organizer.rest("POST", f"{CE}/event_registration", json=body)
    assert answer.status_code == 403
    assert answer.json()["errorKey"] == "rest-badtoken"
    assert text in answer.json()["messageTranslations"]["en"]


def test_token_without_a_session_says_no_session(wiki):
    answer = requests.post(
        f"{wiki.rest_url}{CE}/event_registration",
        json={**create_body(), "token": "abc+\\"},
        timeout=10,
    )
    assert answer.status_code == 403
    assert "no session" in answer.json()["messageTranslations"]["en"]


def test_newcomer_may_not_enable_registration(wiki):
    answer = create(session_of(wiki, "Volunteer"))
    assert answer.status_code == 403
    assert answer.json()["errorKey"] == "campaignevents-rest-enable-registration-permission-denied"


def test_only_the_page_creator_may_enable_registration(organizer):
    answer = create(organizer, event_page="Event:Admin Test Event")
    assert answer.status_code == 403
    assert answer.json()["errorKey"] == "campaignevents-enable-registration-not-allowed-page"


def test_second_registration_for_a_page_is_refused(organizer):
    assert create(organizer).status_code == 201
    assert create(organizer).json()["errorKey"] == "campaignevents-error-page-already-registered"


def test_start_in_the_past_is_refused_on_create(organizer):
    answer = create(organizer, start_time="20200101000000")
    assert answer.json()["errorKey"] == "campaignevents-error-start-past"


def put(session, event_id: int, body: dict[str, Any]) -> requests.Response:
    return session.rest(
        "PUT", f"{CE}/event_registration/{event_id}", json={**body, "token": session.csrf_token()}
    )


def test_put_replaces_every_field(organizer):
    event_id = create(organizer).json()["id"]
    body = create_body(status="open")
    body.pop("topics")
    body.pop("chat_url")
    assert put(organizer, event_id, body).status_code == 204
    event = organizer.rest("GET", f"{CE}/event_registration/{event_id}").json()
    assert (event["topics"], event["chat_url"]) == ([], None)


def test_put_by_a_non_organizer_with_a_bad_body_gets_400_not_403(organizer, wiki):
    event_id = create(organizer).json()["id"]
    admin = session_of(wiki, "Admin")
    bad = put(admin, event_id, create_body(status="open", meeting_country_code=None))
    assert bad.json()["errorKey"] == "campaignevents-error-invalid-country-code"
    good = put(admin, event_id, create_body(status="open"))
    assert good.json()["errorKey"] == "campaignevents-edit-not-allowed-registration"


def test_soft_deleted_event_is_gone_and_its_page_cannot_register_again(organizer):
    event_id = create(organizer).json()["id"]
    deleted = organizer.rest(
        "DELETE", f"{CE}/event_registration/{event_id}", json={"token": organizer.csrf_token()}
    )
    assert deleted.status_code == 204
    gone = organizer.rest("GET", f"{CE}/event_registration/{event_id}")
    assert (gone.status_code, gone.json()["errorKey"]) == (
        404,
        "campaignevents-rest-get-registration-deleted",
    )
    again = create(organizer)
    assert again.json()["errorKey"] == "campaignevents-error-page-already-registered-deleted"


def test_unknown_event_is_404(organizer):
    answer = organizer.rest("GET", f"{CE}/event_registration/999")
    assert (answer.status_code, answer.json()["errorKey"]) == (
        404,
        "campaignevents-rest-event-not-found",
    )


def test_organizers_list_has_the_contract_shape_and_can_be_replaced(organizer):
    event_id = create(organizer).json()["id"]
    listed = organizer.rest("GET", f"{CE}/event_registration/{event_id}/organizers").json()
    assert shape_differences(listed, fixture("ce_organizers.json")) == []
    assert listed[0]["roles"] == ["creator"]
    replaced = organizer.rest(
        "PUT",
        f"{CE}/event_registration/{event_id}/organizers",
        json={"organizer_usernames": ["Organizer", "Admin"], "token": organizer.csrf_token()},
    )
    assert replaced.status_code == 204
    listed = organizer.rest("GET", f"{CE}/event_registration/{event_id}/organizers").json()
    assert [(o["user_name"], o["roles"]) for o in listed] == [
        ("Organizer", ["creator"]),
        ("Admin", ["organizer"]),
    ]


def test_newcomer_cannot_be_made_organizer(organizer):
    event_id = create(organizer).json()["id"]
    answer = organizer.rest(
        "PUT",
        f"{CE}/event_registration/{event_id}/organizers",
        json={"organizer_usernames": ["Organizer", "Volunteer"], "token": organizer.csrf_token()},
    )
    assert answer.json()["errorKey"] == "campaignevents-edit-organizers-not-allowed"


def test_events_by_organizer_flag_deleted_events(organizer):
    event_id = create(organizer).json()["id"]
    organizer.rest(
        "DELETE", f"{CE}/event_registration/{event_id}", json={"token": organizer.csrf_token()}
    )
    central_id = organizer.get(action="query", meta="userinfo", uiprop="centralids").json()[
        "query"
    ]["userinfo"]["id"]
    listed = organizer.rest("GET", f"{CE}/organizer/{central_id}/event_registrations").json()
    assert shape_differences(listed[::-1], fixture("ce_events_by_organizer.json")) == []
    assert listed[-1] == {
        "event_id": event_id,
        "event_name": "Lisbon Photo Walk 2026",
        "event_deleted": True,
    }


def test_participants_see_the_chat_url_and_can_cancel(organizer, wiki):
    event_id = create(organizer).json()["id"]
    volunteer = session_of(wiki, "Volunteer")
    path = f"{CE}/event_registration/{event_id}/participants/self"
    assert "chat_url" not in volunteer.rest("GET", f"{CE}/event_registration/{event_id}").json()
    joined = volunteer.rest(
        "PUT",
        path,
        json={
            "is_private": True,
            "show_contribution_association_prompt": False,
            "token": volunteer.csrf_token(),
        },
    )
    assert joined.json() == {"modified": True}
    event = volunteer.rest("GET", f"{CE}/event_registration/{event_id}").json()
    assert event["chat_url"] == "https://t.me/+lisbonphotowalk"
    assert volunteer.rest("GET", path).json() == {
        "private": True,
        "show_contribution_association_prompt": False,
        "answers": {},
    }
    left = volunteer.rest("DELETE", path, json={"token": volunteer.csrf_token()})
    assert left.json() == {"modified": True}
    assert volunteer.rest("GET", path).status_code == 404


def test_registering_needs_the_prompt_flag(organizer, wiki):
    event_id = create(organizer).json()["id"]
    volunteer = session_of(wiki, "Volunteer")
    answer = volunteer.rest(
        "PUT",
        f"{CE}/event_registration/{event_id}/participants/self",
        json={"is_private": False, "token": volunteer.csrf_token()},
    )
    assert (answer.json()["name"], answer.json()["failureCode"]) == (
        "show_contribution_association_prompt",
        "missingparam",
    )


def test_ended_event_with_answers_cannot_move_to_future_dates(organizer, wiki, clock):
    event_id = create(organizer).json()["id"]
    volunteer = session_of(wiki, "Volunteer")
    volunteer.rest(
        "PUT",
        f"{CE}/event_registration/{event_id}/participants/self",
        json={
            "is_private": False,
            "show_contribution_association_prompt": True,
            "answers": {"gender": {"value": 2}},
            "token": volunteer.csrf_token(),
        },
    )
    clock.advance(days=400)  # the event ended in October 2027
    moved = put(organizer, event_id, create_body(status="open", end_time="20290101000000"))
    assert moved.json()["errorKey"] == "campaignevents-event-dates-cannot-be-changed"
    assert put(organizer, event_id, create_body(status="closed")).status_code == 204


def test_participant_list_shows_public_registrations_only(organizer, wiki):
    public_id = create(organizer).json()["id"]
    private_id = create(organizer, event_page="Event:WikiGap 2026/Berlin").json()["id"]
    volunteer = session_of(wiki, "Volunteer")
    for event_id, private in ((public_id, False), (private_id, True)):
        volunteer.rest(
            "PUT",
            f"{CE}/event_registration/{event_id}/participants/self",
            json={
                "is_private": private,
                "show_contribution_association_prompt": True,
                "token": volunteer.csrf_token(),
            },
        )
    listed = volunteer.rest("GET", f"{CE}/participant/3/event_registrations").json()
    assert listed == [{"event_id": public_id, "event_name": "Lisbon Photo Walk 2026"}]
