"""`CampaignEventsClient`: the CampaignEvents REST routes (contract campaignevents §1) on a
logged-in `WikiClient`, with typed registrations and typed errors.

One request per call, except `update_fields` (GET + PUT), `organizers` (one per page) and
`find_by_page` (the organizer's list, then a GET per event of the same name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.campaignevents.errors import (
    ENABLE_RIGHT,
    ListingIncomplete,
    NoCentralId,
    UnexpectedResponse,
    from_rest_error,
)
from bot.campaignevents.listings import (
    EVENTS_BY_USER_CAP,
    OrganizedEvent,
    Organizer,
    OrganizerEvents,
    json_list,
)
from bot.campaignevents.model import (
    FieldChange,
    Registration,
    changed_fields,
    name_key,
    require_writable,
    title_key,
)
from bot.wiki.client import WikiClient
from bot.wiki.errors import OutcomeUnknown, RestError
from bot.wiki.models import RestResponse

PREFIX = "/campaignevents/v0"
_LOCATION_ID = re.compile(r"/event_registration/(\d+)/?$")


@dataclass(frozen=True)
class RestWarning:
    """A non-fatal problem the wiki reported with a write (tracking-tool sync, §1.2, §1.4)."""

    key: str
    params: tuple[Any, ...]


@dataclass(frozen=True)
class Created:
    """A new registration's id and the wiki's warnings about it."""

    id: int
    warnings: tuple[RestWarning, ...] = ()


@dataclass(frozen=True)
class Updated:
    """The registration as written, the fields that changed (none: nothing was sent) and the
    wiki's warnings."""

    registration: Registration
    changes: tuple[FieldChange, ...]
    warnings: tuple[RestWarning, ...] = ()


class CampaignEventsClient:
    """CampaignEvents on one wiki, as the session's user."""

    def __init__(self, wiki: WikiClient):
        self.wiki = wiki
        self._central_id: int | None = None

    def create(self, registration: Registration) -> Created:
        """POST a new registration (the caller becomes its creator); 201 with its id."""
        body = registration.to_body(update=False)
        answer = self._call("POST", "/event_registration", body, page=registration.event_page)
        return Created(_created_id(answer, registration.event_page), _warnings(answer.data))

    def get(self, event_id: int) -> Registration:
        """GET one registration; fields hidden from the caller come back NOT_SHOWN."""
        answer = self._call("GET", f"/event_registration/{event_id}", event_id=event_id)
        return Registration.from_get_json(answer.data)

    def update(self, event_id: int, registration: Registration) -> tuple[RestWarning, ...]:
        """PUT every field of `registration` (PUT replaces everything: start from `get`)."""
        body = registration.to_body(update=True)
        answer = self._call(
            "PUT",
            f"/event_registration/{event_id}",
            body,
            event_id=event_id,
            page=registration.event_page,
        )
        return _warnings(answer.data)

    def update_fields(self, event_id: int, **changes: Any) -> Updated:
        """GET, change the given fields, PUT all of them; nothing is sent if nothing changes."""
        require_writable(changes)
        current = self.get(event_id)
        wanted = current.with_changes(**changes)
        diff = changed_fields(current, wanted)
        if not diff:
            return Updated(wanted, ())
        return Updated(wanted, diff, self.update(event_id, wanted))

    def delete(self, event_id: int) -> None:
        """DELETE (soft-delete) a registration; its page can never be registered again."""
        self._call("DELETE", f"/event_registration/{event_id}", {}, event_id=event_id)

    def organizers(self, event_id: int) -> Iterator[Organizer]:
        """The event's organizers, a page at a time, fetched as the iteration needs them.

        A page holds at most 11 rows, and accounts the wiki hides are dropped after the limit,
        so a short page does not prove the end (§1.7): the iteration stops at an empty page."""
        last: int | None = None
        path = f"/event_registration/{event_id}/organizers"
        while True:
            params = {} if last is None else {"last_organizer_id": last}
            answer = self._call("GET", path, params=params, event_id=event_id)
            page = [Organizer.from_json(item) for item in json_list(answer.data, "organizers")]
            if not page:
                return
            if last is not None and min(o.organizer_id for o in page) <= last:
                raise UnexpectedResponse(
                    f"The wiki's organizers of event {event_id} after organizer {last} start "
                    f"again at {page[0].organizer_id}; it ignored last_organizer_id."
                )
            yield from page
            last = page[-1].organizer_id

    def events_by_organizer(self, central_id: int) -> OrganizerEvents:
        """The events `central_id` organizes, deleted ones flagged; the wiki lists at most 50
        and has no next page (§1.9)."""
        answer = self._call("GET", f"/organizer/{central_id}/event_registrations")
        events = tuple(
            OrganizedEvent.from_json(item) for item in json_list(answer.data, "event list")
        )
        return OrganizerEvents(events, capped=len(events) >= EVENTS_BY_USER_CAP)

    def own_central_id(self) -> int:
        """The session user's central id, which the per-user routes take (§1.9): CentralAuth's
        global id where the wiki has CentralAuth, else the local id. Asked once."""
        if self._central_id is None:
            answer = self.wiki.api_get(
                {"action": "query", "meta": "userinfo", "uiprop": "centralids"}
            )
            self._central_id = _central_id(answer.get("query", {}).get("userinfo", {}))
        return self._central_id

    def find_by_page(
        self, event_page: str, *, organizer_central_id: int | None = None
    ) -> Registration | None:
        """The live registration of `event_page` among the organizer's events (default: the
        session user), or None. The wiki has no lookup by page, and its list names events by
        title without namespace, so each event of that name is read to compare pages."""
        central_id = self.own_central_id() if organizer_central_id is None else organizer_central_id
        listing = self.events_by_organizer(central_id)
        _, colon, text = event_page.partition(":")
        names = {name_key(event_page), name_key(text)} if colon else {name_key(event_page)}
        wanted = title_key(event_page)
        for event in listing.events:
            if event.deleted or name_key(event.event_name) not in names:
                continue
            found = self.get(event.event_id)
            if title_key(found.event_page) == wanted:
                return found
        if listing.capped:
            raise ListingIncomplete(
                f"{event_page}: the organizer has {EVENTS_BY_USER_CAP} or more events, the most "
                "the wiki lists, so gatebot cannot tell whether the page has a registration; "
                "give its event_id."
            )
        return None

    def _call(
        self,
        method: str,
        route: str,
        body: dict[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        event_id: int | None = None,
        page: str | None = None,
    ) -> RestResponse:
        """One REST call; the wiki's 4xx come back typed, naming the event and field (a 5xx is
        the transport's to judge: a write's outcome may be unknown)."""
        try:
            return self.wiki.rest(method, PREFIX + route, json=body, params=params)
        except RestError as error:
            if error.http_code >= 500:
                raise
            info = self.wiki.userinfo()
            raise from_rest_error(
                error,
                user=info.name or None,
                has_right=ENABLE_RIGHT in info.rights,
                event_id=event_id,
                event_page=page,
            ) from error


def _created_id(answer: RestResponse, event_page: str) -> int:
    """The id of a 201: the body's `id`, else the last segment of `Location` (§1.2)."""
    data = answer.data if isinstance(answer.data, dict) else {}
    raw = data.get("id")
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    location = next((v for k, v in answer.headers.items() if k.lower() == "location"), "")
    match = _LOCATION_ID.search(location)
    if match:
        return int(match.group(1))
    raise OutcomeUnknown(
        f"{event_page}: the wiki answered the create with HTTP {answer.status} but no event id; "
        "the registration probably exists: look it up by its page before trying again.",
        status=answer.status,
    )


def _warnings(data: Any) -> tuple[RestWarning, ...]:
    """The `warnings` of a POST or PUT answer (absent on 204)."""
    items = data.get("warnings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return ()
    return tuple(
        RestWarning(str(item.get("key", "")), tuple(item.get("params") or ()))
        for item in items
        if isinstance(item, dict)
    )


def _central_id(userinfo: Mapping[str, Any]) -> int:
    """The id of the wiki's central-id provider: `CentralAuth` where installed, else `local`;
    0 or absent means the account has no central account."""
    name = userinfo.get("name") or "The session"
    if userinfo.get("anon") or "temp" in userinfo:
        raise NoCentralId(
            f"{name} is not a logged-in named account, so it has no central id; log in first."
        )
    ids = userinfo.get("centralids") or {}
    provider = "CentralAuth" if "CentralAuth" in ids else "local"
    central = ids.get(provider)
    if not isinstance(central, int) or isinstance(central, bool) or central <= 0:
        raise NoCentralId(
            f"{name} has no {provider} central id on this wiki (not attached to a global "
            "account?), which CampaignEvents' per-user lists need; log in once on the wiki's "
            "central login."
        )
    return central
