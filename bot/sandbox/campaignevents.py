"""CampaignEvents REST routes (contract campaignevents §1, §4, §5, §9) under /campaignevents/v0.

Body checks reuse `policies.registration.check_registration` (EventFactory order) and report the
first problem, as the server does; the wiki's own configuration supplies the rules, so a tester
can make the sandbox disagree with gatebot's local policy.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.campaignevents_data import (
    event_json,
    organizer_ids,
    stored_event,
    user_page,
)
from bot.sandbox.rest import RestCall, RestError, json_response, localized, no_content, route
from bot.sandbox.rest_params import Spec, validate
from bot.sandbox.wiki import SandboxWiki, parse_title
from policies import event_types
from policies.countries import CAMPAIGNEVENTS_COUNTRY_CODES
from policies.registration import (
    GOAL_TYPES,
    PageFacts,
    RegistrationDraft,
    RegistrationRules,
    check_registration,
    local_datetime,
    zone_for,
)

PREFIX = "/campaignevents/v0"
MAX_ORGANIZERS = 10
QUESTIONS = [1, 2, 3, 4, 5]


def _body_specs(wiki: SandboxWiki, *, update: bool) -> list[Spec]:
    config = wiki.config
    specs = [
        Spec("event_page", "string", required=True),
        Spec("timezone", "string", required=True),
        Spec("start_time", "timestamp", required=True),
        Spec("end_time", "timestamp", required=True),
        Spec("types", "multi", required=True, values=event_types.EVENT_TYPE_IDS, limit=2),
        Spec("wikis", "multi", required=True, values=(*config.farm_wikis, "*"), limit=100),
        Spec("topics", "multi", values=config.topics, limit=5),
        Spec("online_meeting", "bool"),
        Spec("inperson_meeting", "bool"),
        Spec("meeting_url", "string"),
        Spec("meeting_country_code", "enum", values=CAMPAIGNEVENTS_COUNTRY_CODES),
        Spec("meeting_address", "string"),
        Spec("chat_url", "string"),
        Spec("is_test_event", "bool"),
        Spec("tracks_contributions", "bool", required=True),
        Spec("goal_type", "enum", values=GOAL_TYPES),
        Spec("goal_target", "int", minimum=1),
        Spec("tracking_tool_id", "string"),
        Spec("tracking_tool_event_id", "string"),
    ]  # fmt: skip
    if update:
        specs.append(Spec("status", "enum", required=True, values=("open", "closed")))
    return specs


def _rules(wiki: SandboxWiki) -> RegistrationRules:
    config = wiki.config
    return RegistrationRules(
        disallowed_countries=frozenset(config.disallowed_countries),
        contribution_types=config.contribution_types,
        country_codes=CAMPAIGNEVENTS_COUNTRY_CODES,
        event_namespaces=config.event_namespaces,
        wikis=frozenset(config.farm_wikis),
        topics=frozenset(config.topics),
    )


def _draft(values: dict[str, Any]) -> RegistrationDraft:
    return RegistrationDraft(
        event_page=values["event_page"], timezone=values["timezone"],
        start_time=values["start_time"], end_time=values["end_time"],
        types=tuple(values["types"]), wikis=tuple(values["wikis"]),
        tracks_contributions=values["tracks_contributions"],
        topics=tuple(values["topics"] or ()), online_meeting=values["online_meeting"],
        inperson_meeting=values["inperson_meeting"], meeting_url=values["meeting_url"],
        meeting_country_code=values["meeting_country_code"],
        meeting_address=values["meeting_address"], chat_url=values["chat_url"],
        is_test_event=bool(values["is_test_event"]), goal_type=values["goal_type"],
        goal_target=values["goal_target"], tracking_tool_id=values["tracking_tool_id"],
        tracking_tool_event_id=values["tracking_tool_event_id"], status=values.get("status"),
    )  # fmt: skip


def _page_facts(wiki: SandboxWiki, raw_title: str) -> PageFacts | None:
    title = parse_title(raw_title)
    if title is None:
        return None
    return PageFacts(exists=wiki.store.page(title.prefixed) is not None, namespace=title.ns)


def _event_factory(
    call: RestCall, values: dict[str, Any], *, creating: bool, previous_page: str | None = None
) -> None:
    """EventFactory: the first problem becomes a 400 with the server's key and English text."""
    problems = check_registration(
        _draft(values),
        _rules(call.wiki),
        now=call.wiki.now() if creating else None,
        creating=creating,
        page=_page_facts(call.wiki, values["event_page"]),
        previous_event_page=previous_page,
    )
    if problems:
        raise localized(problems[0].code, problems[0].message, 400)


def require_event(call: RestCall) -> tuple[int, dict[str, Any], bool]:
    raw = call.path["id"]
    if not raw.isdigit() or int(raw) <= 0:
        raise RestError(
            400,
            {
                "error": "parameter-validation-failed",
                "name": "id",
                "value": raw,
                "failureCode": "badinteger",
                "failureData": None,
                "errorKey": "badinteger",
                "messageTranslations": {"en": f'Invalid value "{raw}" for integer parameter "id".'},
                "httpCode": 400,
                "httpReason": "Bad Request",
            },
        )
    found = call.wiki.store.event(int(raw))
    if found is None:
        raise localized(
            "campaignevents-rest-event-not-found", "There is no event with this ID.", 404
        )
    return int(raw), found[0], found[1]


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
    _event_factory(call, values, creating=True)
    title = parse_title(values["event_page"])
    page = call.wiki.store.page(title.prefixed)
    first = call.wiki.store.first_revision(page.id)
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
    _event_factory(call, values, creating=False, previous_page=data["event_page"])
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
    title = parse_title(values["event_page"])
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
    zone, end = zone_for(timezone_name), local_datetime(end_time)
    return zone is not None and end is not None and end.replace(tzinfo=zone) < call.wiki.now()


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


@route("GET", PREFIX + "/event_registration/{id}/organizers")
def list_organizers(call: RestCall) -> Any:
    event_id, _data, _deleted = require_event(call)
    after = call.request.query.get("last_organizer_id", "0")
    rows = call.wiki.store.organizers(event_id, int(after) if after.isdigit() else 0, 11)
    answer = []
    for row in rows:
        account = call.wiki.config.account_by_id(row["user_id"])
        if account is None:
            continue
        answer.append(
            {
                "organizer_id": row["id"],
                "user_id": account.user_id,
                "user_name": account.name,
                "roles": [row["role"]],
                "user_page": user_page(account.name),
            }
        )
    return json_response(answer)


@route("PUT", PREFIX + "/event_registration/{id}/organizers", json_body=True)
def set_organizers(call: RestCall) -> Any:
    """Route 9: replaces the whole list; the creator stays unless they remove themself."""
    values = validate(
        call.body, [Spec("organizer_usernames", "multi", required=True)], call.wiki.now()
    )
    call.check_token()
    event_id, _data, _deleted = require_event(call)
    account = call.account
    current = call.wiki.store.organizers(event_id, 0, 1000)
    if account is None or account.user_id not in {r["user_id"] for r in current}:
        raise localized(
            "campaignevents-edit-not-allowed-registration",
            "You are not allowed to edit this event registration.",
            403,
        )
    names = values["organizer_usernames"]
    if not names:
        raise localized(
            "campaignevents-rest-set-organizers-empty-list",
            "<var>organizer_usernames</var> must be an array of usernames and cannot be empty",
            400,
        )
    if len(names) > MAX_ORGANIZERS:
        raise localized(
            "campaignevents-edit-too-many-organizers",
            f"There can be at most {MAX_ORGANIZERS} organizers.",
            400,
        )
    accounts = [call.wiki.config.account(n) for n in names]
    invalid = [n for n, a in zip(names, accounts, strict=True) if a is None]
    if invalid:
        raise localized(
            "campaignevents-edit-invalid-username",
            f"The following usernames are not valid: {', '.join(invalid)}.",
            400,
        )
    refused = [a.name for a in accounts if "campaignevents-organize-events" not in a.rights]
    if refused:
        raise localized(
            "campaignevents-edit-organizers-not-allowed",
            f"The following users cannot be organizers: {', '.join(refused)}.",
            400,
        )
    creator = next((r["user_id"] for r in current if r["role"] == "creator"), None)
    ids = [a.user_id for a in accounts]
    if creator is not None and creator not in ids and account.user_id != creator:
        raise localized(
            "campaignevents-edit-removed-creator",
            "Only the event creator can remove themself from the organizers.",
            400,
        )
    call.wiki.store.set_organizers(
        event_id, [(uid, "creator" if uid == creator else "organizer") for uid in ids]
    )
    call.wrote = True
    return no_content()


def event_list(call: RestCall, rows: list[Any]) -> Any:
    """The per-user event list (§1.9): id, name without namespace, `event_deleted` if so."""
    answer = []
    for row in rows:
        entry: dict[str, Any] = {
            "event_id": row["id"],
            "event_name": parse_title(row["page_title"]).text,
        }
        if row["deleted"]:
            entry["event_deleted"] = True
        answer.append(entry)
    return json_response(answer)


def central_account(call: RestCall) -> Any:
    """The account of the `{userid}` path parameter (a central id, here the local id)."""
    raw = call.path["userid"]
    account = call.wiki.config.account_by_id(int(raw)) if raw.isdigit() else None
    if account is None:
        raise localized(
            "campaignevents-rest-user-not-found", "There is no user with this central ID.", 404
        )
    return account


@route("GET", PREFIX + "/organizer/{userid}/event_registrations")
def events_by_organizer(call: RestCall) -> Any:
    account = central_account(call)
    return event_list(call, call.wiki.store.events_of_organizer(account.user_id, 50))
