"""CampaignEvents' registries as the server holds them (contract campaignevents §1.1, §3), for the
sandbox only: types with labels and order, goal metrics, country codes, tracking tools.

Kept apart from gatebot's `policies` on purpose, so that the sandbox is a second reading of the
contract and an end-to-end test can catch a rule the client gets wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pycountry


@dataclass(frozen=True)
class EventType:
    """One row of the type table (§3.1)."""

    id: str
    label: str
    contribution: bool


# §3.1, in registry order (the order GET returns `types` in).
EVENT_TYPES: tuple[EventType, ...] = (
    EventType("editing-event", "Editing event", True),
    EventType("media-upload-event", "Media upload event", True),
    EventType("backlog-drive", "Backlog drive", True),
    EventType("contest", "Contest", True),
    EventType("workshop", "Workshop", False),
    EventType("training-seminar", "Training / seminar", False),
    EventType("meetup", "Meetup", False),
    EventType("hackathon", "Hackathon", False),
    EventType("conference", "Conference", False),
    EventType("other", "Other", False),
)
TYPE_IDS: tuple[str, ...] = tuple(t.id for t in EVENT_TYPES)
TYPE_LABELS: dict[str, str] = {t.id: t.label for t in EVENT_TYPES}
OTHER = "other"
ALL_WIKIS = "*"
MAX_TYPES, MAX_WIKIS, MAX_TOPICS = 2, 100, 5

# §1.1 `goal_type`.
GOAL_TYPES: tuple[str, ...] = (
    "total_articles_created", "total_articles_edited", "total_edits", "total_bytes_added",
    "total_bytes_removed", "total_links_added", "total_links_removed",
)  # fmt: skip

# §1.1 `tracking_tool_id`: the one tool a wiki can configure.
TRACKING_TOOLS: frozenset[str] = frozenset({"wikimedia-pe-dashboard"})

# §3.4: CLDR's region codes minus the non-countries. pycountry holds ISO 3166-1, which is CLDR's
# list without its private additions; of those only Kosovo and Ascension are countries here.
_CLDR_ADDITIONS = frozenset({"XK", "AC"})
COUNTRY_CODES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries) | _CLDR_ADDITIONS

_ORDER = {type_id: position for position, type_id in enumerate(TYPE_IDS)}


def registry_order(type_ids: Iterable[str]) -> list[str]:
    """Known type ids, de-duplicated, in registry order (how the server stores and returns them)."""
    return sorted(set(type_ids) & set(_ORDER), key=_ORDER.__getitem__)


def text_list(items: Iterable[str]) -> str:
    """MediaWiki's English "text" list style: "A, B and C" (§2.4)."""
    words = list(items)
    return " and ".join(filter(None, (", ".join(words[:-1]), *words[-1:])))
