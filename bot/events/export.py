"""`events export`: an organizer's registrations on one wiki as events-file rows that `apply`
takes back unchanged (each row carries its `event_id`).

The wiki lists an organizer's events by central user id, at most 50 and with no next page
(contract campaignevents §1.9), deleted ones flagged; each live one is then read with a GET.
What cannot become a faithful row is left out with a warning, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.campaignevents import (
    EVENTS_BY_USER_CAP,
    CampaignEventsClient,
    EventNotFound,
    NoCentralId,
    UserNotFound,
)
from bot.events.mapping import hidden_fields, row_from_registration
from bot.wiki import WikiClient, WikiError
from policies.errors import InputError


@dataclass
class ExportLog:
    """What an export left out or could not show, for the person running it."""

    exported: int = 0
    deleted: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    capped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.exported,
            "skipped_deleted": self.deleted,
            "failed": self.failed,
            "warnings": self.warnings,
            "listing_capped": self.capped,
        }


class UserNotFoundError(InputError):
    """`--organizer` names nobody on the wiki: a mistyped name is bad usage (exit status 2)."""


def organizer_central_id(wiki: WikiClient, name: str) -> int:
    """The central id of the account `name` (what the per-user routes take), from core's
    `list=users&usprop=centralids`: CentralAuth's id where the wiki has it, else the local id."""
    answer = wiki.api_get(
        {"action": "query", "list": "users", "ususers": name, "usprop": "centralids"}
    )
    users = answer.get("query", {}).get("users") or [{}]
    user = users[0] if isinstance(users[0], Mapping) else {}
    if "invalid" in user:
        raise InputError(f"--organizer {name!r} is not a valid user name on this wiki.")
    if "missing" in user or not user:
        raise UserNotFoundError(f"--organizer {name!r}: there is no such user on this wiki.")
    ids = user.get("centralids") or {}
    provider = "CentralAuth" if "CentralAuth" in ids else "local"
    central = ids.get(provider)
    if not isinstance(central, int) or isinstance(central, bool) or central <= 0:
        raise NoCentralId(
            f"--organizer {user.get('name', name)!r} has no {provider} central id on this wiki "
            "(the account is not attached to a global account), so it organizes no events here."
        )
    return central


def export_rows(
    client: CampaignEventsClient, central_id: int, log: ExportLog, *, wiki_id: str | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of the organizer's live events on this wiki (`wiki_id`, when known), in event id
    order; what is skipped and why goes to `log`."""
    try:
        listing = client.events_by_organizer(central_id)
    except UserNotFound as error:
        raise UserNotFoundError(
            f"The wiki knows no organizer with central id {central_id}: {error}"
        ) from error
    log.capped = listing.capped
    if listing.capped:
        log.warnings.append(
            f"The wiki listed {EVENTS_BY_USER_CAP} events, the most its API ever returns for one "
            "organizer, and has no next page: any further events are missing from this export. "
            "Find them on the wiki's Special:MyEvents."
        )
    for event in listing.events:
        if event.deleted:
            log.deleted.append(event.event_id)
            continue
        try:
            registration = client.get(event.event_id)
        except EventNotFound:
            log.deleted.append(event.event_id)
            continue
        except WikiError as error:
            if error.exit_status == 3:
                raise
            log.failed.append(f"event {event.event_id} ({event.event_name}): {error}")
            continue
        subject = f"event {event.event_id} ({registration.event_page})"
        if wiki_id and registration.event_page_wiki not in (None, wiki_id):
            log.failed.append(
                f"{subject} lives on {registration.event_page_wiki}, not on this wiki; export "
                "it from there."
            )
            continue
        for name in hidden_fields(registration):
            log.warnings.append(
                f"{subject}: the wiki does not show you its {name}, so the row leaves it empty; "
                "apply keeps the wiki's value for an empty cell it could not see."
            )
        log.exported += 1
        yield row_from_registration(registration)
