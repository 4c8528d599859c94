"""CampaignEvents' participant routes: PUT, GET and DELETE `participants/self` (§1.6) and
the events a user takes part in publicly (§1.9)."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.campaignevents import PREFIX, ends_before_now, require_event
from bot.sandbox.campaignevents_organizers import central_account, event_list
from bot.sandbox.rest import RestCall, json_response, localized, route
from bot.sandbox.rest_params import Spec, validate

SELF = PREFIX + "/event_registration/{id}/participants/self"
REGISTER_NOT_ALLOWED = (
    "campaignevents-register-not-allowed",
    "You are not allowed to register for events.",
)
UNREGISTER_NOT_ALLOWED = (
    "campaignevents-unregister-not-allowed",
    "You are not allowed to cancel your registration.",
)


def _caller(call: RestCall, refusal: tuple[str, str]) -> Any:
    """The logged-in account; an anonymous caller gets the route's 403 (`refusal`)."""
    if call.account is None:
        raise localized(*refusal, 403)
    return call.account


@route("PUT", SELF, json_body=True)
def register_self(call: RestCall) -> Any:
    """Register or update one's registration; past or closed events refuse new participants."""
    values = validate(call.body, [
        Spec("is_private", "bool", required=True),
        Spec("show_contribution_association_prompt", "bool", required=True),
        Spec("answers", "object"),
    ], call.wiki.now())  # fmt: skip
    call.check_token()
    event_id, data, deleted = require_event(call)
    account = _caller(call, REGISTER_NOT_ALLOWED)
    if deleted:
        raise localized(
            "campaignevents-register-registration-deleted",
            "You cannot register for this event because it was deleted.",
            400,
        )
    existing = call.wiki.store.participant(event_id, account.user_id)
    if existing is None and ends_before_now(call, data["timezone"], data["end_time"]):
        raise localized(
            "campaignevents-register-event-past",
            "This event registration period has already finished.",
            400,
        )
    if existing is None and data["status"] != "open":
        raise localized(
            "campaignevents-register-event-not-open", "This event registration is closed.", 400
        )
    private, prompt = values["is_private"], values["show_contribution_association_prompt"]
    answers = values["answers"] or {}
    modified = (
        existing is None
        or (bool(existing["private"]), bool(existing["prompt"])) != (private, prompt)
        or bool(answers)
    )
    call.wiki.store.put_participant(event_id, account.user_id, private, prompt, answers)
    call.wrote = True
    return json_response({"modified": modified})


@route("GET", SELF)
def own_registration(call: RestCall) -> Any:
    event_id, _data, _deleted = require_event(call)
    account = _caller(call, REGISTER_NOT_ALLOWED)
    row = call.wiki.store.participant(event_id, account.user_id)
    if row is None:
        raise localized(
            "campaignevents-rest-get-registration-info-notparticipant",
            "You are not participating in this event.",
            404,
        )
    return json_response(
        {
            "private": bool(row["private"]),
            "show_contribution_association_prompt": bool(row["prompt"]),
            "answers": json.loads(row["answers"]),
        }
    )


@route("DELETE", SELF, json_body=True)
def cancel_registration(call: RestCall) -> Any:
    call.check_token()
    event_id, _data, deleted = require_event(call)
    account = _caller(call, UNREGISTER_NOT_ALLOWED)
    if deleted:
        raise localized(
            "campaignevents-unregister-registration-deleted",
            "This event registration was deleted.",
            400,
        )
    removed = call.wiki.store.remove_participant(event_id, account.user_id)
    call.wrote = removed
    return json_response({"modified": removed})


@route("GET", PREFIX + "/participant/{userid}/event_registrations")
def events_by_participant(call: RestCall) -> Any:
    """Only public registrations are listed; deleted events are flagged."""
    account = central_account(call)
    return event_list(call, call.wiki.store.events_of_participant(account.user_id, 50))
