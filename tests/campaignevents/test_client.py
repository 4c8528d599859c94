"""The client's routes against the contract's exact shapes (campaignevents §1.2–§1.9, §4.1)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.campaignevents import (
    NOT_SHOWN,
    BadToken,
    ListingIncomplete,
    NoCentralId,
    Registration,
    RegistrationNotWritable,
    UnexpectedResponse,
)
from bot.wiki import OutcomeUnknown
from tests.campaignevents.conftest import CE, contract_get
from tests.sandbox.helpers import fixture

COLLECTION = f"{CE}/event_registration"
EVENT = f"{COLLECTION}/1873"
LOCATION = {"Location": f"https://wiki.example.org/w/rest.php{EVENT}"}
BADTOKEN = {
    "errorKey": "rest-badtoken",
    "messageTranslations": {"en": "The CSRF token is invalid."},
    "httpCode": 403,
    "httpReason": "Forbidden",
}


def sent(wiki, label: str) -> list[tuple[dict[str, Any], Any]]:
    """(headers, body) of every request with `label`, in order."""
    return [
        (wiki.headers[i], wiki.bodies[i]) for i, seen in enumerate(wiki.labels) if seen == label
    ]


def contract_event(**changes: Any) -> Registration:
    return Registration.from_get_json(contract_get(**changes))


def test_create_posts_the_contract_body_as_json_with_the_token(ce, wiki):
    wiki.then(f"POST {COLLECTION}", (201, LOCATION, fixture("ce_create_response.json")))
    created = ce.create(contract_event())
    assert created.id == 1873
    [(headers, body)] = sent(wiki, f"POST {COLLECTION}")
    assert headers["Content-Type"] == "application/json"
    expected = fixture("ce_create_request.json")
    assert body == {**expected, "token": wiki.csrf}


def test_create_takes_the_id_from_location_when_the_body_lacks_it(ce, wiki):
    wiki.then(f"POST {COLLECTION}", (201, LOCATION, {}))
    assert ce.create(contract_event()).id == 1873


def test_create_without_any_id_is_an_unknown_outcome_not_a_retry(ce, wiki):
    wiki.then(f"POST {COLLECTION}", (201, {}, {}))
    with pytest.raises(OutcomeUnknown, match="Event:Lisbon Photo Walk 2026"):
        ce.create(contract_event())
    assert wiki.count(f"POST {COLLECTION}") == 1


def test_create_reports_the_tracking_tool_warnings(ce, wiki):
    warning = {"key": "campaignevents-tracking-tool-sync-warning", "params": ["Org/Course"]}
    wiki.then(f"POST {COLLECTION}", (201, LOCATION, {"id": 1873, "warnings": [warning]}))
    [got] = ce.create(contract_event()).warnings
    assert (got.key, got.params) == ("campaignevents-tracking-tool-sync-warning", ("Org/Course",))


def test_create_with_a_stale_token_refetches_it_and_posts_once_more(ce, wiki):
    wiki.then(f"POST {COLLECTION}", (403, {}, BADTOKEN), (201, LOCATION, {"id": 1873}))
    assert ce.create(contract_event()).id == 1873
    assert wiki.count(f"POST {COLLECTION}") == 2
    assert wiki.count("csrf") == 2


def test_a_token_refused_twice_is_a_bad_token_error(ce, wiki):
    wiki.then(f"POST {COLLECTION}", (403, {}, BADTOKEN), (403, {}, BADTOKEN))
    with pytest.raises(BadToken, match="log in afresh"):
        ce.create(contract_event())


def test_get_reads_the_contract_example(ce, wiki):
    wiki.then(f"GET {EVENT}", (200, {}, contract_get()))
    assert ce.get(1873) == contract_event()
    [(_headers, body)] = sent(wiki, f"GET {EVENT}")
    assert body is None


def test_update_puts_every_field_and_the_status(ce, wiki):
    wiki.then(f"PUT {EVENT}", (204, {}, ""))
    assert ce.update(1873, contract_event()) == ()
    [(headers, body)] = sent(wiki, f"PUT {EVENT}")
    assert headers["Content-Type"] == "application/json"
    expected = fixture("ce_create_request.json")
    assert body == {**expected, "status": "open", "token": wiki.csrf}


def test_update_returns_the_warnings_of_a_200(ce, wiki):
    warning = {"key": "campaignevents-tracking-tool-sync-warning", "params": []}
    wiki.then(f"PUT {EVENT}", (200, {}, {"warnings": [warning]}))
    [got] = ce.update(1873, contract_event())
    assert got.key == "campaignevents-tracking-tool-sync-warning"


def test_update_fields_is_get_then_put_of_all_fields_with_the_change(ce, wiki):
    wiki.then(f"GET {EVENT}", (200, {}, contract_get()))
    wiki.then(f"PUT {EVENT}", (204, {}, ""))
    updated = ce.update_fields(1873, tracks_contributions=False, goal_type=None, goal_target=None)
    assert [c.field for c in updated.changes] == [
        "tracks_contributions",
        "goal_type",
        "goal_target",
    ]
    assert wiki.labels == [f"GET {EVENT}", "csrf", f"PUT {EVENT}"]
    [(_headers, body)] = sent(wiki, f"PUT {EVENT}")
    expected = fixture("ce_create_request.json")
    for key in ("goal_type", "goal_target"):
        expected.pop(key)
    assert body == {**expected, "tracks_contributions": False, "status": "open", "token": wiki.csrf}


def test_update_fields_sends_nothing_when_nothing_changes(ce, wiki):
    wiki.then(f"GET {EVENT}", (200, {}, contract_get()))
    updated = ce.update_fields(1873, tracks_contributions=True)
    assert updated.changes == ()
    assert wiki.labels == [f"GET {EVENT}"]


def test_update_fields_of_a_read_only_field_is_refused_before_any_request(ce, wiki):
    with pytest.raises(TypeError, match="name"):
        ce.update_fields(1873, name="Another name")
    assert wiki.labels == []


def test_update_fields_refuses_to_wipe_a_url_the_get_hid(ce, wiki):
    wiki.then(f"GET {EVENT}", (200, {}, contract_get(chat_url=...)))
    with pytest.raises(RegistrationNotWritable) as caught:
        ce.update_fields(1873, tracks_contributions=False, goal_type=None, goal_target=None)
    assert caught.value.field == "chat_url"
    assert wiki.count(f"PUT {EVENT}") == 0


def test_update_fields_may_set_a_hidden_url_explicitly(ce, wiki):
    wiki.then(f"GET {EVENT}", (200, {}, contract_get(chat_url=...)))
    wiki.then(f"PUT {EVENT}", (204, {}, ""))
    updated = ce.update_fields(1873, chat_url="https://chat.example/new")
    assert [(c.field, c.before) for c in updated.changes] == [("chat_url", NOT_SHOWN)]
    assert sent(wiki, f"PUT {EVENT}")[0][1]["chat_url"] == "https://chat.example/new"


def test_delete_sends_the_token_in_a_json_body(ce, wiki):
    wiki.then(f"DELETE {EVENT}", (204, {}, ""))
    ce.delete(1873)
    [(headers, body)] = sent(wiki, f"DELETE {EVENT}")
    assert headers["Content-Type"] == "application/json"
    assert body == {"token": wiki.csrf}


def organizer(number: int) -> dict[str, Any]:
    entry = fixture("ce_organizers.json")[1]
    return {**entry, "organizer_id": 4400 + number, "user_id": 90000 + number}


def test_organizers_read_the_contract_example(ce, wiki):
    wiki.then(f"GET {EVENT}/organizers", (200, {}, fixture("ce_organizers.json")), (200, {}, []))
    first, second = ce.organizers(1873)
    assert (first.organizer_id, first.user_id, first.user_name, first.roles) == (
        4411,
        58231,
        "PhotoWalkBot",
        ("creator",),
    )
    assert second.roles == ("organizer",)


def test_organizers_follow_last_organizer_id_past_a_short_page_until_an_empty_one(ce, wiki, mocked):
    # a full page of 11, a page a hidden account (4413) made short, then nothing more
    pages = [[organizer(n) for n in range(1, 12)], [organizer(12), organizer(14)], []]
    wiki.then(f"GET {EVENT}/organizers", *((200, {}, page) for page in pages))
    ids = [o.organizer_id for o in ce.organizers(1873)]
    assert ids == [4400 + n for n in (*range(1, 12), 12, 14)]
    urls = [c.request.url for c in mocked.calls if "/organizers" in c.request.url]
    assert [url.partition("?")[2] for url in urls] == [
        "",
        "last_organizer_id=4411",
        "last_organizer_id=4414",
    ]


def test_organizers_are_fetched_only_as_far_as_the_caller_reads(ce, wiki):
    wiki.then(f"GET {EVENT}/organizers", (200, {}, [organizer(n) for n in range(1, 12)]))
    first = next(iter(ce.organizers(1873)))
    assert first.organizer_id == 4401
    assert wiki.count(f"GET {EVENT}/organizers") == 1


def test_organizers_that_ignore_the_page_parameter_stop_with_an_error(ce, wiki):
    page = [organizer(n) for n in range(1, 12)]
    wiki.then(f"GET {EVENT}/organizers", (200, {}, page), (200, {}, page))
    with pytest.raises(UnexpectedResponse, match="last_organizer_id"):
        list(ce.organizers(1873))


def test_events_by_organizer_reads_the_deleted_flag(ce, wiki):
    wiki.then(
        f"GET {CE}/organizer/4242/event_registrations",
        (200, {}, fixture("ce_events_by_organizer.json")),
    )
    listing = ce.events_by_organizer(4242)
    assert [(e.event_id, e.event_name, e.deleted) for e in listing.events] == [
        (1201, "Lisbon Photo Walk 2025", True),
        (1873, "Lisbon Photo Walk 2026", False),
    ]
    assert listing.capped is False


def listed(count: int) -> list[dict[str, Any]]:
    return [{"event_id": n, "event_name": f"Meetup {n}"} for n in range(1, count + 1)]


def test_a_list_of_fifty_events_says_it_may_be_capped(ce, wiki):
    wiki.then(f"GET {CE}/organizer/4242/event_registrations", (200, {}, listed(50)))
    assert ce.events_by_organizer(4242).capped is True


def test_own_central_id_is_the_centralauth_id_not_the_local_one(ce, wiki):
    assert ce.own_central_id() == 4242
    assert ce.own_central_id() == 4242
    assert wiki.count("userinfo") == 1


@pytest.mark.parametrize(
    ("centralids", "expected"), [({"local": 7}, 7), ({"CentralAuth": 0, "local": 7}, None)]
)
def test_own_central_id_without_centralauth_or_unattached(ce, wiki, centralids, expected):
    answer = {"query": {"userinfo": {"id": 7, "name": "Tester", "centralids": centralids}}}
    wiki.then("userinfo", (200, {}, answer))
    if expected is None:
        with pytest.raises(NoCentralId, match="CentralAuth"):
            ce.own_central_id()
    else:
        assert ce.own_central_id() == expected


def test_find_by_page_reads_only_events_of_that_name_and_compares_the_page(ce, wiki):
    listing = [
        {"event_id": 1201, "event_name": "Lisbon Photo Walk 2026", "event_deleted": True},
        {"event_id": 1500, "event_name": "Lisbon Photo Walk 2026"},
        {"event_id": 1600, "event_name": "Porto Meetup"},
        {"event_id": 1873, "event_name": "Lisbon Photo Walk 2026"},
    ]
    wiki.then(f"GET {CE}/organizer/4242/event_registrations", (200, {}, listing))
    project_page = contract_get(id=1500, event_page="Project:Lisbon Photo Walk 2026")
    wiki.then(f"GET {COLLECTION}/1500", (200, {}, project_page))
    wiki.then(f"GET {EVENT}", (200, {}, contract_get()))
    found = ce.find_by_page("Event:Lisbon_Photo_Walk_2026")
    assert found is not None and found.id == 1873
    assert wiki.count(f"GET {COLLECTION}/1201") == 0
    assert wiki.count(f"GET {COLLECTION}/1600") == 0


def test_find_by_page_without_a_match_is_none(ce, wiki):
    wiki.then(f"GET {CE}/organizer/4242/event_registrations", (200, {}, listed(3)))
    assert ce.find_by_page("Event:Lisbon Photo Walk 2026") is None


def test_find_by_page_in_a_capped_list_cannot_say_none(ce, wiki):
    wiki.then(f"GET {CE}/organizer/4242/event_registrations", (200, {}, listed(50)))
    with pytest.raises(ListingIncomplete, match="event_id"):
        ce.find_by_page("Event:Lisbon Photo Walk 2026")
