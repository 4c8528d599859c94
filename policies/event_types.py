"""The CampaignEvents vocabulary: event types, topics and participation options.

Mirrors the extension's registries (contract campaignevents §3) so that files may use either the
API id or the English label, and messages can name types the way the server does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    """One entry of the CampaignEvents type registry."""

    id: str
    label: str
    group: str
    db_bit: int
    contribution: bool


# Registry order: the server returns `types` in this order (GET), so gatebot sorts the same way.
EVENT_TYPES: tuple[EventType, ...] = (
    EventType("editing-event", "Editing event", "Contributions", 1, True),
    EventType("media-upload-event", "Media upload event", "Contributions", 2, True),
    EventType("backlog-drive", "Backlog drive", "Contributions", 4, True),
    EventType("contest", "Contest", "Contributions", 8, True),
    EventType("workshop", "Workshop", "Community", 16, False),
    EventType("training-seminar", "Training / seminar", "Community", 32, False),
    EventType("meetup", "Meetup", "Community", 64, False),
    EventType("hackathon", "Hackathon", "Community", 128, False),
    EventType("conference", "Conference", "Community", 256, False),
    EventType("other", "Other", "Other", 0, False),
)

EVENT_TYPE_IDS: tuple[str, ...] = tuple(t.id for t in EVENT_TYPES)
CONTRIBUTION_TYPE_IDS: tuple[str, ...] = tuple(t.id for t in EVENT_TYPES if t.contribution)
OTHER_TYPE_ID = "other"
MAX_TYPES = 2

_BY_ID = {t.id: t for t in EVENT_TYPES}
_BY_NAME = {**{t.label.lower(): t for t in EVENT_TYPES}, **{t.id: t for t in EVENT_TYPES}}
_ORDER = {t.id: position for position, t in enumerate(EVENT_TYPES)}

# Topic ids from WikimediaMessages (contract campaignevents §3.2); at most MAX_TOPICS per event.
TOPIC_IDS: tuple[str, ...] = (
    "africa", "asia", "central-america", "north-america", "south-america", "europe", "oceania",
    "architecture", "art", "comics-and-anime", "entertainment", "fashion", "literature", "music",
    "performing-arts", "sports", "tv-and-film", "video-games", "biography",
    "business-and-economics", "education", "food-and-drink", "history", "military-and-warfare",
    "philosophy-and-religion", "politics-and-government", "society", "transportation", "women",
    "biology", "chemistry", "computers-and-internet", "earth-and-environment", "engineering",
    "general-science", "mathematics", "medicine-and-health", "physics", "technology",
)  # fmt: skip
MAX_TOPICS = 5

# Participation options (contract campaignevents §3.5): name -> (online_meeting, inperson_meeting).
PARTICIPATION_OPTIONS: dict[str, tuple[bool, bool]] = {
    "online": (True, False),
    "in-person": (False, True),
    "hybrid": (True, True),
}
IN_PERSON_PARTICIPATION = frozenset({"in-person", "hybrid"})

# Every wiki of the farm, as the API spells it.
ALL_WIKIS = "*"


def is_event_type(value: str) -> bool:
    """True when `value` is a type's API id or English label (any case)."""
    return type_id(value) is not None


def type_id(label_or_id: str) -> str | None:
    """The API id for an API id or English label in any letter case; None when unknown.

    ASCII only: a look-alike letter (the Kelvin sign folds to `k`) is not a type name."""
    text = label_or_id.strip()
    found = _BY_NAME.get(text.lower()) if text.isascii() else None
    return found.id if found else None


def id_for(label_or_id: str) -> str:
    """The API id for an API id or English label, case-insensitively; KeyError when unknown."""
    found = type_id(label_or_id)
    if found is None:
        raise KeyError(label_or_id)
    return found


def label_for(type_id: str) -> str:
    """The English label the server shows for a type id; KeyError when unknown."""
    return _BY_ID[type_id].label


def event_type(type_id: str) -> EventType:
    """The registry entry for a type id; KeyError when unknown."""
    return _BY_ID[type_id]


def canonical_order(type_ids: Iterable[str]) -> list[str]:
    """Known type ids, de-duplicated and sorted in registry order, as the server returns them."""
    return sorted(set(type_ids), key=lambda type_id: _ORDER[type_id])


def english_list(items: Iterable[str]) -> str:
    """Join items as MediaWiki's English text list does: "A, B, C and D", "A and B", "A"."""
    words = list(items)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
