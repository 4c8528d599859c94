"""Turn a row as people write it into the API-form `RegistrationDraft`, strictly (DESIGN §2.4).

Times become 14-digit local timestamps, types and topics API ids, participation the two
booleans, countries codes. Where the wiki would silently guess (an empty or impossible date,
a duplicate type) gatebot refuses or notes it instead. Problems carry the file's column names.

Each column has a pure parser from the cell to (value, problems, notes), memoised: the rows of
a campaign repeat the same zones, dates, types and countries, so large files parse fast.
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
_INTEGER = re.compile(r"[+-]?\d+")
_PARTICIPATION_ALIASES = {
    "online": "online", "in-person": "in-person", "in person": "in-person",
    "inperson": "in-person", "hybrid": "hybrid", "online and in-person": "hybrid",
}  # fmt: skip
_TOPICS = frozenset(vocabulary.TOPIC_IDS)
_NESTED = ("<nested>",)  # stands for a list or object where a name was expected
_CACHE = 4096

Cell = tuple[Any, tuple[Problem, ...], tuple[str, ...]]  # value, errors, notes


@dataclass
class NormalisedRow:
    """A row in API form, or the reasons it cannot be; `requested` is on/off/auto."""

    number: int
    event_page: str | None
    event_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    participation: str | None = None
    requested: str = "auto"
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def draft(self, tracks_contributions: bool = False) -> RegistrationDraft:
        """The API body, with statistics as the policy decided."""
        return RegistrationDraft(**self.fields, tracks_contributions=tracks_contributions)


def normalise(number: int, values: Mapping[str, Any]) -> NormalisedRow:
    """The API-form fields of one row; statistics are left to the policy (see bot.events)."""
    page = cell_text(values.get("event_page"))
    row = NormalisedRow(number, page)
    errors, notes = row.errors, row.notes
    if not page:
        errors.append(EMPTY_PAGE)
    parsed = {}
    for column, parser in _PARSERS:
        value, cell_errors, cell_notes = parser(cell_key(values.get(column)))
        parsed[column] = value
        if cell_errors:
            errors += cell_errors
        if cell_notes:
            notes += cell_notes
    row.event_id = parsed["event_id"]
    row.participation = participation = parsed["participation"]
    row.requested = parsed["contribution_statistics"]
    country = parsed["country"]
    if country and participation == "online":
        notes.append(f"country {country} is not sent: online events have no meeting country.")
        country = None
    online, in_person = vocabulary.PARTICIPATION_OPTIONS.get(participation, (None, None))
    status = cell_text(values.get("status"))
    row.fields = {
        "event_page": page or "",
        "timezone": parsed["timezone"],
        "start_time": parsed["start"],
        "end_time": parsed["end"],
        "types": parsed["types"],
        "wikis": parsed["wikis"],
        "topics": parsed["topics"],
        "online_meeting": online,
        "inperson_meeting": in_person,
        "meeting_url": cell_text(values.get("meeting_url")),
        "meeting_country_code": country,
        "meeting_address": cell_text(values.get("address")),
        "chat_url": cell_text(values.get("chat_url")),
        "is_test_event": parsed["test_event"],
        "goal_type": cell_text(values.get("goal_type")),
        "goal_target": parsed["goal_target"],
        "tracking_tool_id": cell_text(values.get("tracking_tool_id")),
        "tracking_tool_event_id": cell_text(values.get("tracking_tool_event_id")),
        "status": status.lower() if status else None,
    }
    return row


EMPTY_PAGE = Problem(
    "campaignevents-error-empty-title",
    "The event_page cell is empty; give the event page, e.g. 'Event:WikiGap 2026'.",
    "event_page",
)


def cell_key(value: Any) -> Any:
    """A hashable stand-in for a cell, so parsers can be memoised: lists become tuples."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, list):
        return tuple(_NESTED if isinstance(v, (list, dict)) else v for v in value)
    return _NESTED if isinstance(value, dict) else value


def cell_text(value: Any) -> str | None:
    """A scalar cell as stripped text; None for empty, lists and objects are not text."""
    if type(value) is str:
        return value.strip() or None
    if value is None or isinstance(value, (list, dict, tuple)):
        return None
    return (str(value).lower() if isinstance(value, bool) else str(value)).strip() or None


def _error(code: str, column: str, message: str) -> tuple[Problem, ...]:
    return (Problem(code, message, column),)


@lru_cache(maxsize=_CACHE, typed=True)
def parse_event_id(value: Any) -> Cell:
    text = cell_text(value)
    if text is None:
        return None, (), ()
    if isinstance(value, bool) or not text.isdigit() or int(text) <= 0:
        return (
            None,
            _error(
                "campaignevents-error-invalid-id",
                "event_id",
                f"The event ID must be a positive integer, not {value!r}.",
            ),
            (),
        )
    return int(text), (), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _timezone(value: Any) -> Cell:
    name = cell_text(value)
    if not name:
        return (
            "",
            _error(
                "campaignevents-error-invalid-timezone",
                "timezone",
                "The timezone cell is empty; give a zone such as Europe/Lisbon or +01:00.",
            ),
            (),
        )
    if zone_for(name) is None:
        return (
            name,
            _error(
                "campaignevents-error-invalid-timezone",
                "timezone",
                f"{name!r} is not a time zone gatebot can use; write an IANA name such "
                "as Europe/Lisbon or an offset from -23:59 to +23:59 written ±HH:MM.",
            ),
            (),
        )
    return name, (), ()


@lru_cache(maxsize=_CACHE, typed=True)
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


def _time(column: str, value: Any) -> Cell:
    text = cell_text(value)
    if text is None:
        return (
            "",
            _error(
                f"campaignevents-error-empty-{column}",
                column,
                f"The {column} cell is empty; give the {column} time, e.g. "
                "2026-12-01T10:00 (the wiki would silently use the current time).",
            ),
            (),
        )
    stamp, reason = parse_local_time(text)
    if stamp is None:
        return (
            "",
            _error(
                f"campaignevents-error-invalid-{column}",
                column,
                f"The {column} time {text!r} is not valid: {reason}.",
            ),
            (),
        )
    return stamp, (), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _start(value: Any) -> Cell:
    return _time("start", value)


@lru_cache(maxsize=_CACHE, typed=True)
def _end(value: Any) -> Cell:
    return _time("end", value)


def _names(column: str, value: Any) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """A list cell: a JSON/YAML list, or text with ';' between items."""
    if value is None:
        return (), ()
    items = value if isinstance(value, tuple) else str(value).split(";")
    if _NESTED in items or value is _NESTED:
        return (), _error(
            f"gatebot-invalid-{column}",
            column,
            f'The {column} must be a list of names, e.g. ["a", "b"] or a;b.',
        )
    return tuple(text for item in items if (text := str(item).strip())), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _types(value: Any) -> Cell:
    """API ids in registry order; unknown names are kept for the server's own message."""
    names, errors = _names("types", value)
    known: list[str] = []
    unknown: list[str] = []
    notes: list[str] = []
    for name in names:
        try:
            type_id = vocabulary.id_for(name)
        except KeyError:
            unknown.append(name)
            continue
        if type_id in known:
            notes.append(f"duplicate type {type_id!r} removed.")
        else:
            known.append(type_id)
    return (*vocabulary.canonical_order(known), *unknown), errors, tuple(notes)


@lru_cache(maxsize=_CACHE, typed=True)
def _wikis(value: Any) -> Cell:
    if value == ():
        return (), (), ()
    wikis, errors = _names("wikis", value)
    if errors:
        return (), errors, ()
    if not wikis:
        return (
            (),
            _error(
                "gatebot-missing-wikis",
                "wikis",
                "The wikis cell is empty; give wiki IDs such as enwiki;commonswiki, '*' "
                "for all wikis, or 'none' for no specific wiki.",
            ),
            (),
        )
    if wikis == ("none",):
        return (), (), ()
    if vocabulary.ALL_WIKIS in wikis and len(wikis) > 1:
        return (
            wikis,
            _error(
                "gatebot-all-wikis-mixed",
                "wikis",
                "'*' means all wikis; write it alone, or list the wikis without it.",
            ),
            (),
        )
    return tuple(dict.fromkeys(wikis)), (), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _topics(value: Any) -> Cell:
    """Topic ids for ids or English labels ("TV and film" -> tv-and-film); others kept as is."""
    names, errors = _names("topics", value)
    ids = ("-".join(name.casefold().replace("&", " and ").split()) for name in names)
    return tuple(i if i in _TOPICS else n for i, n in zip(ids, names, strict=True)), errors, ()


@lru_cache(maxsize=_CACHE, typed=True)
def _participation(value: Any) -> Cell:
    text = cell_text(value)
    name = _PARTICIPATION_ALIASES.get(" ".join((text or "").lower().split()))
    if name is None:
        shown = f"{text!r} is not a participation option" if text else "The cell is empty"
        return (
            None,
            _error(
                "campaignevents-error-no-participation-options",
                "participation",
                f"{shown}; write online, in-person or hybrid.",
            ),
            (),
        )
    return name, (), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _country(value: Any) -> Cell:
    if value is None or value == "":
        return None, (), ()
    if type(value) is not str:
        return (
            None,
            _error(
                "campaignevents-error-invalid-country-code",
                "country",
                f"The country {value!r} is not text; write a code such as 'DE' (quoted in YAML).",
            ),
            (),
        )
    try:
        return normalize_country(value), (), ()
    except CountryError as error:
        return None, _error("campaignevents-error-invalid-country-code", "country", str(error)), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _setting(value: Any) -> Cell:
    text = cell_text(value)
    if text is None:
        return "auto", (), ()
    setting = {"true": "on", "false": "off"}.get(text.lower(), text.lower())
    if setting not in STATISTICS_SETTINGS:
        return (
            "off",
            _error(
                "gatebot-invalid-contribution-statistics",
                "contribution_statistics",
                f"{text!r} is not a setting; write on, off or auto (the default).",
            ),
            (),
        )
    return setting, (), ()


@lru_cache(maxsize=_CACHE, typed=True)
def _flag(value: Any) -> Cell:
    text = cell_text(value)
    if text is None or text.lower() in _FALSE:
        return False, (), ()
    if text.lower() in _TRUE:
        return True, (), ()
    return (
        False,
        _error(
            "gatebot-invalid-test-event",
            "test_event",
            f"{text!r} is not yes or no; write true or false.",
        ),
        (),
    )


@lru_cache(maxsize=_CACHE, typed=True)
def _goal_target(value: Any) -> Cell:
    text = cell_text(value)
    if text is None:
        return None, (), ()
    if isinstance(value, bool) or not _INTEGER.fullmatch(text):
        return (
            None,
            _error(
                "campaignevents-error-goal-target-invalid",
                "goal_target",
                f"The goal target {text!r} is not a whole number; write a number such as 200.",
            ),
            (),
        )
    return int(text), (), ()


# The columns with a parser, in the order their problems are reported.
_PARSERS = (
    ("event_id", parse_event_id), ("timezone", _timezone), ("start", _start), ("end", _end),
    ("types", _types), ("wikis", _wikis), ("topics", _topics), ("participation", _participation),
    ("country", _country), ("contribution_statistics", _setting), ("test_event", _flag),
    ("goal_target", _goal_target),
)  # fmt: skip
