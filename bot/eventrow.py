"""Turn a row as people write it into the API-form `RegistrationDraft`, strictly (DESIGN §2.4).

Times become 14-digit local timestamps, types and topics API ids, participation the two
booleans, countries codes. Where the wiki would silently guess (an empty or impossible date,
a duplicate type) gatebot refuses or notes it instead. Problems carry the file's column names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from policies import event_types as vocabulary
from policies.countries import CountryError, normalize_country
from policies.problems import Problem
from policies.registration import RegistrationDraft, zone_for

# API field -> the column a person wrote it in.
COLUMN_OF_FIELD: Mapping[str, str] = {
    "start_time": "start", "end_time": "end", "online_meeting": "participation",
    "inperson_meeting": "participation", "meeting_country_code": "country",
    "meeting_address": "address", "tracks_contributions": "contribution_statistics",
    "is_test_event": "test_event",
}  # fmt: skip
STATISTICS_SETTINGS = ("on", "off", "auto")
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})
_ISO_LOCAL = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DIGITS = re.compile(r"\d{14}")
_OFFSET_SUFFIX = re.compile(r"\d(?:Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)
_PARTICIPATION_ALIASES = {
    "online": "online", "in-person": "in-person", "in person": "in-person",
    "inperson": "in-person", "hybrid": "hybrid", "online and in-person": "hybrid",
}  # fmt: skip
_TOPICS = frozenset(vocabulary.TOPIC_IDS)


@dataclass
class NormalisedRow:
    """A row in API form, or the reasons it cannot be; `requested` is on/off/auto."""

    number: int
    event_page: str | None
    event_id: int | None = None
    draft: RegistrationDraft | None = None
    participation: str | None = None
    requested: str = "auto"
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, code: str, column: str, message: str) -> None:
        self.errors.append(Problem(code, message, column))


def normalise(number: int, values: Mapping[str, Any]) -> NormalisedRow:
    """Build the draft for one row; statistics stay off until the policy decides (see events)."""
    page = _text(values.get("event_page"))
    row = NormalisedRow(number, page)
    if not page:
        row.error(
            "campaignevents-error-empty-title",
            "event_page",
            "The event_page cell is empty; give the event page, e.g. 'Event:WikiGap 2026'.",
        )
    row.event_id = _event_id(row, values.get("event_id"))
    zone_name = _text(values.get("timezone"))
    if not zone_name:
        row.error(
            "campaignevents-error-invalid-timezone",
            "timezone",
            "The timezone cell is empty; give a zone such as Europe/Lisbon or +01:00.",
        )
    elif zone_for(zone_name) is None:
        row.error(
            "campaignevents-error-invalid-timezone",
            "timezone",
            f"{zone_name!r} is not a time zone gatebot can use; write an IANA name such as "
            "Europe/Lisbon or an offset from -23:59 to +23:59 written ±HH:MM.",
        )
    start = _timestamp(row, "start", values.get("start"))
    end = _timestamp(row, "end", values.get("end"))
    types = _types(row, values.get("types"))
    wikis = _wikis(row, values.get("wikis"))
    topics = tuple(_topic_id(t) for t in _list(row, "topics", values.get("topics")))
    online, in_person = _participation(row, values.get("participation"))
    country = _country(row, values.get("country"))
    row.requested = _setting(row, values.get("contribution_statistics"))
    row.draft = RegistrationDraft(
        event_page=page or "",
        timezone=zone_name or "",
        start_time=start,
        end_time=end,
        types=types,
        wikis=wikis,
        tracks_contributions=False,
        topics=topics,
        online_meeting=online,
        inperson_meeting=in_person,
        meeting_url=_text(values.get("meeting_url")),
        meeting_country_code=country,
        meeting_address=_text(values.get("address")),
        chat_url=_text(values.get("chat_url")),
        is_test_event=_flag(row, values.get("test_event")),
        goal_type=_text(values.get("goal_type")),
        goal_target=_goal_target(row, values.get("goal_target")),
        tracking_tool_id=_text(values.get("tracking_tool_id")),
        tracking_tool_event_id=_text(values.get("tracking_tool_event_id")),
        status=(_text(values.get("status")) or "").lower() or None,
    )
    return row


def _text(value: Any) -> str | None:
    """A scalar cell as stripped text; None for empty, lists and objects are not text."""
    if value is None or isinstance(value, (list, dict)):
        return None
    text = (str(value).lower() if isinstance(value, bool) else str(value)).strip()
    return text or None


def _event_id(row: NormalisedRow, value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) <= 0 or isinstance(value, bool):
        row.error(
            "campaignevents-error-invalid-id",
            "event_id",
            f"The event ID must be a positive integer, not {value!r}.",
        )
        return None
    return int(text)


@lru_cache(maxsize=4096)
def parse_local_time(text: str) -> tuple[str | None, str | None]:
    """(14-digit local timestamp, None) or (None, why it is not a real local date and time)."""
    if _DIGITS.fullmatch(text):
        parts = (text[0:4], text[4:6], text[6:8], text[8:10], text[10:12], text[12:14])
    else:
        match = _ISO_LOCAL.fullmatch(text)
        if not match:
            if _OFFSET_SUFFIX.search(text):
                return (
                    None,
                    "give the local time without an offset (the timezone column says where)",
                )
            return None, "write it as 2026-12-01T10:00 or 20261201100000 (local time)"
        parts = tuple(part or "0" for part in match.groups())
    try:
        moment = datetime(*(int(part) for part in parts))
    except ValueError as error:
        return None, f"it is not a real date and time ({error})"
    return f"{moment.year:04d}{moment:%m%d%H%M%S}", None


def _timestamp(row: NormalisedRow, column: str, value: Any) -> str:
    text = _text(value)
    which = "start" if column == "start" else "end"
    if text is None:
        row.error(
            f"campaignevents-error-empty-{which}",
            column,
            f"The {column} cell is empty; give the {which} time, e.g. 2026-12-01T10:00 "
            "(the wiki would silently use the current time).",
        )
        return ""
    stamp, reason = parse_local_time(text)
    if stamp is None:
        row.error(
            f"campaignevents-error-invalid-{which}",
            column,
            f"The {column} time {text!r} is not valid: {reason}.",
        )
        return ""
    return stamp


def _list(row: NormalisedRow, column: str, value: Any) -> list[str]:
    """A list cell: a JSON/YAML list, or text with ';' between items."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    if any(isinstance(item, (list, dict)) for item in items):
        row.error(
            f"gatebot-invalid-{column}",
            column,
            f'The {column} must be a list of names, e.g. ["a", "b"] or a;b.',
        )
        return []
    return [text for item in items if (text := str(item).strip())]


def _types(row: NormalisedRow, value: Any) -> tuple[str, ...]:
    """API ids in registry order; unknown names are kept for the server's own message."""
    known: list[str] = []
    unknown: list[str] = []
    for name in _list(row, "types", value):
        try:
            type_id = vocabulary.id_for(name)
        except KeyError:
            unknown.append(name)
            continue
        if type_id in known:
            row.notes.append(f"duplicate type {type_id!r} removed.")
        else:
            known.append(type_id)
    return (*vocabulary.canonical_order(known), *unknown)


def _wikis(row: NormalisedRow, value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and not value:
        return ()
    wikis = _list(row, "wikis", value)
    if not wikis:
        row.error(
            "gatebot-missing-wikis",
            "wikis",
            "The wikis cell is empty; give wiki IDs such as enwiki;commonswiki, '*' for all "
            "wikis, or 'none' for no specific wiki.",
        )
        return ()
    if wikis == ["none"]:
        return ()
    if vocabulary.ALL_WIKIS in wikis and len(wikis) > 1:
        row.error(
            "gatebot-all-wikis-mixed",
            "wikis",
            "'*' means all wikis; write it alone, or list the wikis without it.",
        )
    return tuple(dict.fromkeys(wikis))


def _topic_id(name: str) -> str:
    """The topic id for an id or English label ("TV and film" -> tv-and-film)."""
    candidate = "-".join(name.casefold().replace("&", " and ").split())
    return candidate if candidate in _TOPICS else name


def _participation(row: NormalisedRow, value: Any) -> tuple[bool | None, bool | None]:
    text = _text(value)
    name = _PARTICIPATION_ALIASES.get(" ".join((text or "").lower().split()))
    if name is None:
        shown = f"{text!r} is not a participation option" if text else "The cell is empty"
        row.error(
            "campaignevents-error-no-participation-options",
            "participation",
            f"{shown}; write online, in-person or hybrid.",
        )
        return None, None
    row.participation = name
    return vocabulary.PARTICIPATION_OPTIONS[name]


def _country(row: NormalisedRow, value: Any) -> str | None:
    """The country code for in-person and hybrid events; online events send none."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        row.error(
            "campaignevents-error-invalid-country-code",
            "country",
            f"The country {value!r} is not text; write a code such as 'DE' (quoted in YAML).",
        )
        return None
    try:
        code = normalize_country(value)
    except CountryError as error:
        row.error("campaignevents-error-invalid-country-code", "country", str(error))
        return None
    if row.participation == "online":
        row.notes.append(f"country {code} is not sent: online events have no meeting country.")
        return None
    return code


def _setting(row: NormalisedRow, value: Any) -> str:
    text = _text(value)
    if text is None:
        return "auto"
    setting = {"true": "on", "false": "off"}.get(text.lower(), text.lower())
    if setting not in STATISTICS_SETTINGS:
        row.error(
            "gatebot-invalid-contribution-statistics",
            "contribution_statistics",
            f"{text!r} is not a setting; write on, off or auto (the default).",
        )
        return "off"
    return setting


def _flag(row: NormalisedRow, value: Any) -> bool:
    text = _text(value)
    if text is None or text.lower() in _FALSE:
        return False
    if text.lower() in _TRUE:
        return True
    row.error(
        "gatebot-invalid-test-event",
        "test_event",
        f"{text!r} is not yes or no; write true or false.",
    )
    return False


def _goal_target(row: NormalisedRow, value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
        row.error(
            "campaignevents-error-goal-target-invalid",
            "goal_target",
            f"The goal target {text!r} is not a whole number; write a number such as 200.",
        )
        return None
    return int(text)
