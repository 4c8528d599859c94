"""Find a create whose answer was lost by reading event ids above a floor, one GET each.

The wiki numbers registrations in order and has no lookup by page, and the organizer's list
stops at 50 events. A create recorded with a `floor` (the highest event id known before it was
sent) got an id above that floor if it landed, so reading floor+1, floor+2, … finds it; a run
of GAP ids that do not exist means nothing more was created there: it did not land.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.campaignevents.errors import EventDeleted, EventNotFound
from bot.campaignevents.model import Registration, title_key

GAP = 20  # this many ids in a row that do not exist: none were created above
READS = 200  # the most GETs one probe sends before it gives up


class EventGetter(Protocol):
    """The one read a probe needs (`CampaignEventsClient.get`)."""

    def get(self, event_id: int) -> Registration: ...


@dataclass(frozen=True)
class Probed:
    """What a probe found: the page's registration, or none; `gave_up` when it read READS ids
    without finding it or GAP missing ids in a row, so whether the create landed is unknown."""

    found: Registration | None
    gave_up: bool
    reads: int


def probe_created(
    client: EventGetter, page: str, floor: int, *, gap: int = GAP, reads: int = READS
) -> Probed:
    """Read ids above `floor` until one is `page`'s registration, `gap` in a row do not exist
    (not created), or `reads` GETs were sent. A deleted event exists: it does not count as a gap."""
    wanted, missing = title_key(page), 0
    for sent, event_id in enumerate(range(floor + 1, floor + 1 + reads), start=1):
        try:
            current = client.get(event_id)
        except EventDeleted:
            missing = 0
            continue
        except EventNotFound:
            missing += 1
            if missing >= gap:
                return Probed(None, gave_up=False, reads=sent)
            continue
        if title_key(current.event_page) == wanted:
            return Probed(current, gave_up=False, reads=sent)
        missing = 0
    return Probed(None, gave_up=True, reads=reads)
