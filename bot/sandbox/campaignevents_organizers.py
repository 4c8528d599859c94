"""CampaignEvents' organizer routes: list and replace an event's organizers (§1.7), and the
events a user organizes (§1.9). Names are read as MediaWiki reads them (`jane_doe` is Jane doe)."""

from __future__ import annotations

from typing import Any

from bot.sandbox.campaignevents import PREFIX, require_event
from bot.sandbox.campaignevents_data import user_page
from bot.sandbox.config import Account
from bot.sandbox.names import canonical_user_name
from bot.sandbox.rest import RestCall, json_response, localized, no_content, route
from bot.sandbox.rest_params import Spec, integer_param, validate
from bot.sandbox.wiki import parse_title

MAX_ORGANIZERS = 10


@route("GET", PREFIX + "/event_registration/{id}/organizers")
def list_organizers(call: RestCall) -> Any:
    event_id, _data, _deleted = require_event(call)
    after = integer_param("last_organizer_id", call.request.query.get("last_organizer_id", "0"))
    rows = call.wiki.store.organizers(event_id, after, 11)
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
    found = [call.wiki.config.account(canonical_user_name(n)) for n in names]
    invalid = [n for n, a in zip(names, found, strict=True) if a is None]
    accounts = [a for a in found if a is not None]
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
        title = parse_title(row["page_title"])
        entry: dict[str, Any] = {
            "event_id": row["id"],
            "event_name": title.text if title else row["page_title"],
        }
        if row["deleted"]:
            entry["event_deleted"] = True
        answer.append(entry)
    return json_response(answer)


def central_account(call: RestCall) -> Account:
    """The account of the `{userid}` path parameter (a central id, here the local id)."""
    account = call.wiki.config.account_by_id(integer_param("userid", call.path["userid"]))
    if account is None:
        raise localized(
            "campaignevents-rest-user-not-found", "There is no user with this central ID.", 404
        )
    return account


@route("GET", PREFIX + "/organizer/{userid}/event_registrations")
def events_by_organizer(call: RestCall) -> Any:
    account = central_account(call)
    return event_list(call, call.wiki.store.events_of_organizer(account.user_id, 50))
