"""CampaignEvents REST routes for one registration (contract campaignevents §1, §4, §5, §9):
create, get, update and delete under /campaignevents/v0.

Bodies pass core's parameter layer, then the sandbox's own EventFactory (`eventfactory`, written
from the contract, not shared with gatebot), which answers with the first problem as the server
does; the wiki's configuration supplies the rules, so a tester can make the two disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.sandbox import ce_vocabulary as vocab
from bot.sandbox.campaignevents_data import (
    event_json,
    organizer_ids,
    stored_event,
)
from bot.sandbox.eventfactory import Facts, first_refusal
from bot.sandbox.rest import RestCall, json_response, localized, no_content, route
from bot.sandbox.rest_params import Spec, integer_param, validate
from bot.sandbox.timecorrection import php_zone
from bot.sandbox.wiki import SandboxWiki, Title, parse_title

PREFIX = "/campaignevents/v0"
QUESTIONS = [1, 2, 3, 4, 5]


def _body_specs(wiki: SandboxWiki, *, update: bool) -> list[Spec]:
    config = wiki.config
    specs = [
        Spec("event_page", "string", required=True),
        Spec("timezone", "string", required=True),
        Spec("start_time", "timestamp", required=True),
        Spec("end_time", "timestamp", required=True),
        Spec("types", "multi", required=True, values=vocab.TYPE_IDS, limit=vocab.MAX_TYPES),
        Spec("wikis", "multi", required=True, values=(*config.farm_wikis, vocab.ALL_WIKIS),
             limit=vocab.MAX_WIKIS),
        Spec("topics", "multi", values=config.topics, limit=vocab.MAX_TOPICS),
        Spec("online_meeting", "bool"),
        Spec("inperson_meeting", "bool"),
        Spec("meeting_url", "string"),
        Spec("meeting_country_code", "enum", values=vocab.COUNTRY_CODES),
        Spec("meeting_address", "string"),
        Spec("chat_url", "string"),
        Spec("is_test_event", "bool"),
        Spec("tracks_contributions", "bool", required=True),
        Spec("goal_type", "enum", values=vocab.GOAL_TYPES),
        Spec("goal_target", "int", minimum=1),
        Spec("tracking_tool_id", "string"),
        Spec("tracking_tool_event_id", "string"),
    ]  # fmt: skip
    if update:
        specs.append(Spec("status", "enum", required=True, values=("open", "closed")))
    return specs


def _event_factory(
    call: RestCall, values: dict[str, Any], *, creating: bool, previous_page: str | None = None
) -> Title:
    """EventFactory: the first problem becomes a 400 with the server's key and English text."""
    store = call.wiki.store
    facts = Facts(
        config=call.wiki.config,
        page_exists=lambda title: store.page(title) is not None,
        now=call.wiki.now() if creating else None,
        updating=not creating,
        previous_page=previous_page,
    )
    found = first_refusal(values, facts)
    if found is not None:
        raise localized(found.key, found.text, 400)
    title = parse_title(values["event_page"])
    if title is None:  # first_refusal refuses every title parse_title cannot read
        raise AssertionError(f"EventFactory passed the bad title {values['event_page']!r}")
    return title


def require_event(call: RestCall) -> tuple[int, dict[str, Any], bool]:
    """The `{id}` event (core's integer path parameter, then the lookup's 404)."""
    event_id = integer_param("id", call.path["id"])
    found = call.wiki.store.event(event_id)
    if found is None:
        raise localized(
            "campaignevents-rest-event-not-found", "There is no event with this ID.", 404
        )
    return event_id, found[0], found[1]


@route("POST", PREFIX + "/event_registration", json_body=True)
def create_event(call: RestCall) -> Any:
    """Route 1: rights → EventFactory → page author → already registered → 201 + Location."""
    values = validate(call.body, _body_specs(call.wiki, update=False), call.wiki.now())
    call.check_token()
    account = call.account
    if account is None or "campaignevents-enable-registration" not in account.rights:
        raise localized(
            "campaignevents-rest-enable-registration-permission-denied",
            "You are not allowed to enable event registrations.",
            403,
        )
    title = _event_factory(call, values, creating=True)
    page = call.wiki.store.page(title.prefixed)
    first = call.wiki.store.first_revision(page.id) if page else None
    if first is None or first.user_id != account.user_id:
        raise localized(
            "campaignevents-enable-registration-not-allowed-page",
            "You are not allowed to enable event registration for the given event page.",
            403,
        )
    _refuse_registered_page(call, title.prefixed)
    event_id = call.wiki.store.create_event(
        stored_event(call.wiki, values, title.prefixed, "open", QUESTIONS), account.user_id
    )
    call.wrote = True
    location = f"{call.wiki.rest_url}{PREFIX}/event_registration/{event_id}"
    return json_response({"id": event_id}, status=201, headers=[("Location", location)])


def _refuse_registered_page(call: RestCall, title: str, own_id: int | None = None) -> None:
    existing = call.wiki.store.event_for_page(title)
    if existing is None or existing[0] == own_id:
        return
    if existing[1]:
        raise localized(
            "campaignevents-error-page-already-registered-deleted",
            "You cannot complete the action because the event registration has "
            "been deleted from this event page.",
            400,
        )
    raise localized(
        "campaignevents-error-page-already-registered",
        "The given event page already has an associated registration.",
        400,
    )


@route("GET", PREFIX + "/event_registration/{id}")
def get_event(call: RestCall) -> Any:
    event_id, data, deleted = require_event(call)
    if deleted:
        raise localized(
            "campaignevents-rest-get-registration-deleted",
            "This event registration was deleted.",
            404,
        )
    return json_response(event_json(call.wiki, event_id, data, call.account))


@route("PUT", PREFIX + "/event_registration/{id}", json_body=True)
def update_event(call: RestCall) -> Any:
    """Route 3: EventFactory (no start-in-past) → organizer → deleted → 204; PUT replaces all."""
    values = validate(call.body, _body_specs(call.wiki, update=True), call.wiki.now())
    call.check_token()
    event_id, data, deleted = require_event(call)
    title = _event_factory(call, values, creating=False, previous_page=data["event_page"])
    account = call.account
    rights = account.rights if account else frozenset()
    if (
        account is None
        or account.user_id not in organizer_ids(call.wiki, event_id)
        or not rights & {"campaignevents-enable-registration", "campaignevents-organize-events"}
    ):
        raise localized(
            "campaignevents-edit-not-allowed-registration",
            "You are not allowed to edit this event registration.",
            403,
        )
    if deleted:
        raise localized(
            "campaignevents-edit-registration-deleted", "This event registration was deleted.", 400
        )
    _refuse_moving_dates_of_ended_event(call, event_id, data, values)
    _refuse_registered_page(call, title.prefixed, event_id)
    call.wiki.store.update_event(
        event_id,
        stored_event(
            call.wiki, values, title.prefixed, values["status"], data.get("questions", QUESTIONS)
        ),
    )
    call.wrote = True
    return no_content()


def ends_before_now(call: RestCall, timezone_name: str, end_time: str) -> bool:
    """ "Past" (§6): the end, a wall-clock time in the event's zone, lies before now."""
    zone = php_zone(timezone_name)
    end = datetime.strptime(end_time, "%Y%m%d%H%M%S").replace(tzinfo=zone[0]) if zone else None
    return end is not None and end < call.wiki.now()


def _refuse_moving_dates_of_ended_event(
    call: RestCall, event_id: int, data: dict[str, Any], values: dict[str, Any]
) -> None:
    """An ended event with participant answers keeps its past dates (participant data)."""
    if not ends_before_now(call, data["timezone"], data["end_time"]):
        return
    if ends_before_now(call, values["timezone"], values["end_time"]):
        return
    if call.wiki.store.has_participant_answers(event_id):
        raise localized(
            "campaignevents-event-dates-cannot-be-changed",
            "The event has ended, so you cannot change the event dates to future "
            "dates. This restriction protects participant data.",
            400,
        )


@route("DELETE", PREFIX + "/event_registration/{id}", json_body=True)
def delete_event(call: RestCall) -> Any:
    call.check_token()
    event_id, _data, deleted = require_event(call)
    if deleted:
        raise localized(
            "campaignevents-rest-delete-already-deleted",
            "This event registration is already deleted.",
            404,
        )
    account = call.account
    if account is None or (
        account.user_id not in organizer_ids(call.wiki, event_id)
        and "campaignevents-delete-registration" not in account.rights
    ):
        raise localized(
            "campaignevents-delete-not-allowed-registration",
            "You are not allowed to delete this event registration.",
            403,
        )
    call.wiki.store.delete_event(event_id)
    call.wrote = True
    return no_content()
