"""What the organizer and per-user listings return (contract campaignevents §1.7, §1.9)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.campaignevents.errors import UnexpectedResponse

# GET /organizer/{userid}/event_registrations returns at most this many, with no next page.
EVENTS_BY_USER_CAP = 50


@dataclass(frozen=True)
class Organizer:
    """One organizer of an event; `user_id` is the central user id, `roles` the debug names
    (`creator`, `organizer`)."""

    organizer_id: int
    user_id: int
    user_name: str
    roles: tuple[str, ...]

    @classmethod
    def from_json(cls, item: Any) -> Organizer:
        """Read one entry of GET `/event_registration/{id}/organizers`."""
        organizer_id, user_id = _int(item, "organizer_id"), _int(item, "user_id")
        name, roles = item.get("user_name"), item.get("roles")
        if not isinstance(name, str) or not isinstance(roles, list):
            raise UnexpectedResponse(f"The wiki sent an organizer without a name or roles: {item}")
        return cls(organizer_id, user_id, name, tuple(str(role) for role in roles))


@dataclass(frozen=True)
class OrganizedEvent:
    """One entry of an organizer's event list; `event_name` is the page title without its
    namespace, `deleted` a soft-deleted registration (its GET answers 404)."""

    event_id: int
    event_name: str
    deleted: bool

    @classmethod
    def from_json(cls, item: Any) -> OrganizedEvent:
        """Read one entry of GET `/organizer/{userid}/event_registrations`."""
        event_id = _int(item, "event_id")
        name = item.get("event_name")
        if not isinstance(name, str):
            raise UnexpectedResponse(f"The wiki sent event {event_id} without its event_name.")
        return cls(event_id, name, item.get("event_deleted") is True)


@dataclass(frozen=True)
class OrganizerEvents:
    """An organizer's events by id; `capped` when the wiki listed as many as it ever does
    (EVENTS_BY_USER_CAP), so more may exist that the API cannot show."""

    events: tuple[OrganizedEvent, ...]
    capped: bool


def json_list(data: Any, what: str) -> list[Any]:
    """A listing's JSON array, or an UnexpectedResponse naming the listing."""
    if not isinstance(data, list):
        raise UnexpectedResponse(f"The wiki's {what} is {type(data).__name__}, not a list.")
    return data


def _int(item: Any, key: str) -> int:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise UnexpectedResponse(f"The wiki sent a list entry without an integer {key}: {item}")
    return value
