"""`events check`: read file -> normalise row -> policy verdict -> server checks, offline.

`check_file` is the offline `events check`; plan and apply will take the same `CheckedRow`s and
add what the wiki says (page facts, existing registrations) and what was done. The throughput
machinery (row shapes checked once, ready-made report JSON) lives here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.events.row import COLUMN_OF_FIELD, EMPTY_PAGE, normalise, parse_free_text, read_page
from bot.eventsfile import COLUMNS, FileRow, read_events
from bot.report import encode_row, encode_tail, encode_with_tail, row_dict
from policies import Policy, values
from policies.countries import CAMPAIGNEVENTS_COUNTRY_CODES
from policies.problems import Problem
from policies.registration import (
    PageFacts,
    RegistrationDraft,
    RegistrationRules,
    body_problems,
    page_problem,
)
from policies.registration_forms import is_valid_url

# Cells checked for every row (page, event ID, free text); the rest make up a row's shape.
_ROW_COLUMNS = frozenset({"event_page", "event_id"})
_FREE_FIELDS = (("meeting_url", "meeting_url"), ("address", "meeting_address"),
                ("chat_url", "chat_url"))  # fmt: skip
_FREE_COLUMNS = frozenset(column for column, _ in _FREE_FIELDS)
_SHAPE_COLUMNS = tuple(c for c in COLUMNS if c not in _ROW_COLUMNS | _FREE_COLUMNS)
_NOT_SHAPE_FIELDS = frozenset({"event_page", "meeting_url", "meeting_address", "chat_url"})
_MAX_SHAPES = 4096
_SHORT_TEXT = values.MAX_ADDRESS_BYTES // 4  # characters that fit the address limit in UTF-8
_TEXT_TYPES = frozenset({str, type(None)})


@dataclass(slots=True)
class CheckedRow:
    """One row after every offline check; `draft` is what would be sent when `ok`.

    The draft is built when asked for (plan/apply), not for every row `events check` reports;
    `json_tail` is the shape's ready-made report JSON when the row has no problem of its own.
    """

    number: int
    event_page: str | None
    event_id: int | None
    shape_fields: Mapping[str, Any]  # the draft's fields but the page and free-text cells
    free: Mapping[str, str | None]  # meeting_url, meeting_address and chat_url
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    json_tail: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def draft(self) -> RegistrationDraft:
        return RegistrationDraft.from_fields(
            {**self.shape_fields, **self.free, "event_page": self.event_page or ""}
        )

    @property
    def contribution_statistics(self) -> bool | None:
        return None if self.errors else self.shape_fields["tracks_contributions"]

    def report(self, **extra: Any) -> dict[str, Any]:
        """The row as DESIGN §3.2 reports it; plan/apply pass their own keys in `extra`."""
        return row_dict(self.number, self.event_page, self.errors, self.notes,
                        self.contribution_statistics, **extra)  # fmt: skip

    def report_json(self) -> str:
        """`encode_row(self.report())`, from the shape's JSON when the row can use it."""
        if self.json_tail is None:
            return encode_row(self.report())
        return encode_with_tail(self.number, self.event_page, self.json_tail)


def rules_for(policy: Policy, **wiki_facts: Any) -> RegistrationRules:
    """The registration rules from the local policy; a wiki's own facts (wikis, topics,
    tracking tools, namespaces) may be passed by `plan`."""
    return RegistrationRules(
        disallowed_countries=frozenset(policy.disallowed_countries),
        contribution_types=tuple(policy.contribution_types),
        country_codes=CAMPAIGNEVENTS_COUNTRY_CODES,
        **wiki_facts,
    )


@dataclass(frozen=True)
class _Shape:
    """What a row's checks come to apart from its page, event ID and free text: shared by every
    row with the same other cells (and the same URL validity and address presence)."""

    fields: Mapping[str, Any]  # with tracks_contributions, without the page and free text
    errors: tuple[Problem, ...]  # normaliser and policy, before the page check
    body_errors: tuple[Problem, ...]  # the server's rows 9–42
    notes: tuple[str, ...]
    json_tail: str  # the report after the page, for rows with no problem of their own


class RowChecker:
    """Checks rows against one policy and one set of rules.

    Campaign rows repeat the same zones, dates, types, wikis and countries, so the outcome of
    everything but the page, event ID and free-text cells is remembered per distinct
    combination ("shape"); the page is checked for every row.
    """

    def __init__(
        self, policy: Policy, rules: RegistrationRules | None = None, *, now: datetime | None
    ):
        self.policy, self.now = policy, now
        self.rules = rules or rules_for(policy)
        self._shapes: dict[tuple, _Shape] = {}

    def check(self, file_row: FileRow, page: PageFacts | None = None) -> CheckedRow:
        """Normalise one row, let the policy decide statistics, then run the server's checks."""
        cells = file_row.values
        raw_id = cells.get("event_id")
        event_id, row_errors, _ = (
            (None, (), ()) if raw_id is None or raw_id == "" else values.parse_event_id(raw_id)
        )
        free: dict[str, str | None] = {}
        for column, api_field in _FREE_FIELDS:
            cell = cells.get(column)
            if type(cell) is str and len(cell) <= _SHORT_TEXT:  # cannot break a rule: no parse
                free[api_field] = cell.strip() or None
                continue
            text, text_errors, _ = parse_free_text(column, cell)
            free[api_field] = text
            row_errors += text_errors
        key = self._key(cells, event_id is None, free)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shape(cells, event_id is None, free)
            if len(self._shapes) >= _MAX_SHAPES:
                self._shapes.clear()
            self._shapes[key] = shape
        page_text, title = read_page(cells.get("event_page"), self.rules.namespace_names)
        found = page_text and page_problem(page_text, self.rules, page=page, parsed=title)
        if file_row.problems or row_errors or found or not page_text:
            errors = [*file_row.problems, *(() if page_text else (EMPTY_PAGE,)), *row_errors]
            errors += shape.errors
            if found:
                errors.append(found)
            errors += shape.body_errors
            tail = None
        else:
            errors, tail = [*shape.errors, *shape.body_errors], shape.json_tail
        return CheckedRow(file_row.number, page_text, event_id, shape.fields, free, errors,
                          list(shape.notes), tail)  # fmt: skip

    def _key(self, cells: Mapping[str, Any], creating: bool, free: dict) -> tuple:
        """Cells as typed (CSV text) or as JSON (so 1, true and "1" differ), plus the states of
        the free-text cells that the checks depend on."""
        url, chat = free["meeting_url"], free["chat_url"]
        states = (
            creating,
            url and is_valid_url(url),
            chat and is_valid_url(chat),
            free["meeting_address"] is None,
        )
        shape_cells = tuple(map(cells.get, _SHAPE_COLUMNS))
        if _TEXT_TYPES.issuperset(map(type, shape_cells)):
            return states, shape_cells
        # JSON/YAML values: lists, and 1 vs true vs "1", must not share a key.
        typed = tuple(json.dumps(c, sort_keys=True, default=str) for c in shape_cells)
        return states, "typed", typed

    def _shape(self, cells: Mapping[str, Any], creating: bool, free: Mapping[str, Any]) -> _Shape:
        """Normalise, decide statistics and run the server's rows 9–42 for one combination
        (the free-text cells as this row's, already read: only their states count here)."""
        as_read = {column: free[api_field] for column, api_field in _FREE_FIELDS}
        row = normalise(0, {**cells, **as_read})
        errors = [p for p in row.errors if p.field not in _ROW_COLUMNS]
        refused_columns = {problem.field for problem in errors}
        tracks = row.requested == values.ON
        if row.statistics is not None:
            verdict = self.policy.statistics(row.statistics)
            tracks = bool(verdict.enabled)
            errors += verdict.errors
            row.notes += verdict.notes
        if creating and row.fields["status"] == "closed":
            row.notes.append("status closed is for updates: the wiki creates every new "
                             "registration open.")  # fmt: skip
        draft = row.draft(tracks)
        as_checked = draft if creating else replace(draft, status=draft.status or "open")
        body = body_problems(as_checked, self.rules, now=self.now, creating=creating)
        body_errors: list[Problem] = []
        _merge(errors, body, refused_columns, into=body_errors)
        fields = {k: v for k, v in row.fields.items() if k not in _NOT_SHAPE_FIELDS}
        fields["tracks_contributions"] = tracks
        every_error = [*errors, *body_errors]
        tail = encode_tail(every_error, row.notes, None if every_error else tracks)
        # Every row of the shape shares `fields`, so it is read-only.
        shared = MappingProxyType(fields)
        return _Shape(shared, tuple(errors), tuple(body_errors), tuple(row.notes), tail)


def _merge(
    errors: list[Problem], problems: Iterable[Problem], refused_columns: set, *, into: list
) -> None:
    """Put the server-check problems, in column terms, `into` a list, skipping what the row
    already says: the same key, or any problem in a column the normaliser already refused."""
    codes = {problem.code for problem in errors}
    for problem in problems:
        column = COLUMN_OF_FIELD.get(problem.field or "", problem.field)
        if problem.code in codes or column in refused_columns:
            continue
        codes.add(problem.code)
        into.append(Problem(problem.code, problem.message, column))


def check_rows(
    rows: Iterable[FileRow], policy: Policy, *, now: datetime | None
) -> Iterator[CheckedRow]:
    """Check rows as they stream in."""
    checker = RowChecker(policy, now=now)
    for file_row in rows:
        yield checker.check(file_row)


def check_file(path: str | Path, policy: Policy, *, now: datetime | None) -> Iterator[CheckedRow]:
    """`events check`: every row of the file, checked offline (InputError if unreadable)."""
    return check_rows(read_events(path), policy, now=now)
