"""Turn a row as people write it into the API-form `RegistrationDraft`, strictly (DESIGN §2.4).

Every cell is read by the one normaliser in `policies` (`policies.values`, `policies.localtime`,
`policies.titles`), the same one `Policy.contribution_stats` uses, so the library and
`events check` agree on what a value means. Problems carry the file's column names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from policies import event_types as vocabulary
from policies import lists, localtime, values
from policies.contribution_stats import StatisticsInput
from policies.problems import Problem
from policies.registration import RegistrationDraft
from policies.titles import DEFAULT_NAMESPACE_NAMES, Title, TitleError, parse_title

# API field -> the column a person wrote it in.
COLUMN_OF_FIELD: Mapping[str, str] = {
    "start_time": "start", "end_time": "end", "online_meeting": "participation",
    "inperson_meeting": "participation", "meeting_country_code": "country",
    "meeting_address": "address", "tracks_contributions": "contribution_statistics",
    "is_test_event": "test_event",
}  # fmt: skip
# Free-text columns, with the API field each fills.
LIST_COLUMNS = frozenset({"types", "wikis", "topics"})
TEXT_FIELDS = (
    ("meeting_url", "meeting_url"), ("address", "meeting_address"), ("chat_url", "chat_url"),
    ("goal_type", "goal_type"), ("tracking_tool_id", "tracking_tool_id"),
    ("tracking_tool_event_id", "tracking_tool_event_id"),
)  # fmt: skip
EMPTY_PAGE = Problem(
    "campaignevents-error-empty-title",
    "The event_page cell is empty; give the event page, e.g. 'Event:WikiGap 2026'.",
    "event_page",
)


@dataclass
class NormalisedRow:
    """A row in API form, or the reasons it cannot be; `requested` is on/off/auto, and
    `statistics` None when the values the statistics verdict needs could not be read."""

    number: int
    event_page: str | None
    event_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    requested: str = values.AUTO
    statistics: StatisticsInput | None = None
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def draft(self, tracks_contributions: bool = False) -> RegistrationDraft:
        """The API body, with statistics as the policy decided."""
        return RegistrationDraft(**self.fields, tracks_contributions=tracks_contributions)


def read_page(
    value: Any, namespace_names: Mapping[str, int] = DEFAULT_NAMESPACE_NAMES
) -> tuple[str | None, Title | None]:
    """The page to send, MediaWiki's spaces folded and marks stripped (`Event:A_B` -> `Event:A
    B`), and its split; a title MediaWiki refuses is kept as written for the page check."""
    text = values.cell_text(value)
    if text is None:
        return None, None
    try:
        title = parse_title(text, namespace_names)
    except TitleError:
        return text, None
    return title.text, title


def parse_free_text(column: str, value: Any) -> values.Parsed:
    """A free-text cell; an address must fit the wiki's 8192 bytes (it would cut the rest)."""
    limit = values.MAX_ADDRESS_BYTES if column == "address" else None
    return values.parse_text(column, value, max_bytes=limit)


def _one_value(column: str, value: Any) -> list[Problem]:
    """A list or object (JSON, YAML) in a one-value column that its parser read as empty: a
    problem, never the default an empty cell would get."""
    if column in LIST_COLUMNS or not isinstance(value, (list, tuple, dict)) or not value:
        return []
    code = f"gatebot-invalid-{column.replace('_', '-')}"
    return [Problem(code, f"The {column} must be one value, not a list or object.", column)]


def normalise(number: int, cells: Mapping[str, Any]) -> NormalisedRow:
    """The API-form fields of one row; statistics are left to the policy (see bot.events)."""
    page, _ = read_page(cells.get("event_page"))
    row = NormalisedRow(number, page)
    if not page:
        row.errors.append(EMPTY_PAGE)
    get = cells.get
    parsed = {
        "event_id": values.parse_event_id(get("event_id")),
        "timezone": localtime.parse_timezone(get("timezone")),
        "start": localtime.parse_time("start", get("start")),
        "end": localtime.parse_time("end", get("end")),
        "types": lists.parse_types(get("types")),
        "wikis": lists.parse_wikis(get("wikis")),
        "topics": lists.parse_topics(get("topics")),
        "participation": values.parse_participation(get("participation")),
        "country": values.parse_country(get("country")),
        "contribution_statistics": values.parse_requested(get("contribution_statistics")),
        "test_event": values.parse_flag("test_event", get("test_event")),
        "goal_target": values.parse_goal_target(get("goal_target")),
        "status": values.parse_status(get("status")),
        **{column: parse_free_text(column, get(column)) for column, _ in TEXT_FIELDS},
    }
    for column, item in parsed.items():
        row.errors += item.errors or _one_value(column, get(column))
        row.notes += item.notes
    value = {column: item.value for column, item in parsed.items()}
    if not (parsed["timezone"].errors or parsed["start"].errors or parsed["end"].errors):
        row.errors += localtime.wall_clock_problems(value["timezone"], value["start"], value["end"])
    participation, country = value["participation"], value["country"]
    read = not (parsed["participation"].errors or parsed["country"].errors)
    if read:
        meeting = values.meeting_problems(participation, country, value["address"] is not None)
        row.errors += meeting
        read = not meeting
    if read and not any(parsed[c].errors for c in ("types", "wikis", "contribution_statistics")):
        row.statistics = StatisticsInput(
            value["contribution_statistics"], value["types"], participation, country,
            value["wikis"],
        )  # fmt: skip
    row.event_id, row.requested = value["event_id"], value["contribution_statistics"]
    online, in_person = vocabulary.PARTICIPATION_OPTIONS.get(participation, (None, None))
    row.fields = {
        "event_page": page or "",
        "timezone": value["timezone"],
        "start_time": value["start"],
        "end_time": value["end"],
        "types": value["types"],
        "wikis": value["wikis"],
        "topics": value["topics"],
        "online_meeting": online,
        "inperson_meeting": in_person,
        "meeting_country_code": country,
        "is_test_event": value["test_event"],
        "goal_target": value["goal_target"],
        "status": value["status"],
        **{api: value[column] for column, api in TEXT_FIELDS},
    }
    return row
