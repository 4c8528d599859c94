"""Batch work on events files: read file -> normalise row -> policy verdict -> server checks.

`check_file` is the offline `events check`; `plan` and `apply` will take the same
`CheckedRow`s and add what the wiki says (page facts, existing registrations) and what was done.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from bot.eventrow import COLUMN_OF_FIELD, normalise
from bot.eventsfile import FileRow, read_events
from bot.report import row_dict
from policies.countries import CAMPAIGNEVENTS_COUNTRY_CODES
from policies.problems import Problem
from policies.registration import (
    PageFacts,
    RegistrationDraft,
    RegistrationRules,
    check_registration,
)


class StatsPolicy(Protocol):
    """The part of `policies.Policy` the checks use."""

    contribution_types: Any
    disallowed_countries: Any

    def contribution_stats(self, *, types, participation, country, wikis, requested): ...


@dataclass
class CheckedRow:
    """One row after every offline check; `draft` is what would be sent when `ok`."""

    number: int
    event_page: str | None
    event_id: int | None
    draft: RegistrationDraft | None
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def contribution_statistics(self) -> bool | None:
        return self.draft.tracks_contributions if self.ok and self.draft else None

    def report(self, **extra: Any) -> dict[str, Any]:
        """The row as DESIGN §3.2 reports it; plan/apply pass their own keys in `extra`."""
        return row_dict(self.number, self.event_page, self.errors, self.notes,
                        self.contribution_statistics, **extra)  # fmt: skip


def rules_for(policy: StatsPolicy, **wiki_facts: Any) -> RegistrationRules:
    """The registration rules from the local policy; a wiki's own facts (wikis, topics,
    tracking tools, namespaces) may be passed by `plan`."""
    return RegistrationRules(
        disallowed_countries=frozenset(policy.disallowed_countries),
        contribution_types=tuple(policy.contribution_types),
        country_codes=CAMPAIGNEVENTS_COUNTRY_CODES,
        **wiki_facts,
    )


def check_row(
    file_row: FileRow,
    policy: StatsPolicy,
    rules: RegistrationRules,
    *,
    now: datetime | None,
    page: PageFacts | None = None,
) -> CheckedRow:
    """Normalise one row, let the policy decide statistics, then run the server's checks."""
    row = normalise(file_row.number, file_row.values)
    checked = CheckedRow(row.number, row.event_page, row.event_id, row.draft,
                         [*file_row.problems, *row.errors], row.notes)  # fmt: skip
    refused_columns = {problem.field for problem in checked.errors}
    draft = row.draft
    tracks = False
    if draft is not None and row.participation is not None:
        verdict = policy.contribution_stats(
            types=list(draft.types),
            participation=row.participation,
            country=draft.meeting_country_code,
            wikis=list(draft.wikis),
            requested=row.requested,
        )
        tracks = verdict.enabled if verdict.enabled is not None else row.requested == "on"
        checked.errors += verdict.errors
        checked.notes += verdict.notes
    if draft is None:
        return checked
    draft = checked.draft = replace(draft, tracks_contributions=tracks)
    creating = row.event_id is None
    as_checked = draft if creating else replace(draft, status=draft.status or "open")
    problems = check_registration(as_checked, rules, now=now, creating=creating, page=page)
    _merge(checked.errors, problems, refused_columns)
    return checked


def _merge(errors: list[Problem], problems: Iterable[Problem], refused_columns: set) -> None:
    """Add the server-check problems in column terms, skipping what the row already says:
    the same key, or any problem in a column the normaliser already refused."""
    codes = {problem.code for problem in errors}
    for problem in problems:
        column = COLUMN_OF_FIELD.get(problem.field or "", problem.field)
        if problem.code in codes or column in refused_columns:
            continue
        codes.add(problem.code)
        errors.append(Problem(problem.code, problem.message, column))


def check_rows(
    rows: Iterable[FileRow], policy: StatsPolicy, *, now: datetime | None
) -> Iterator[CheckedRow]:
    """Check rows as they stream in; the rules are built once."""
    rules = rules_for(policy)
    for file_row in rows:
        yield check_row(file_row, policy, rules, now=now)


def check_file(
    path: str | Path, policy: StatsPolicy, *, now: datetime | None
) -> Iterator[CheckedRow]:
    """`events check`: every row of the file, checked offline (InputError if unreadable)."""
    return check_rows(read_events(path), policy, now=now)
