"""The stops of `gatebot demo`, each through the same functions its real command uses.

Every function takes a logged-in `WikiClient` (or none, for the offline check) and returns the
step's data; `bot.cli.demo` prints it with the command's own report writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import bot
import policies
from bot.campaignevents import CampaignEventsClient
from bot.events.batch import Batch
from bot.events.check import check_file
from bot.events.stats import switch_statistics
from bot.growth import IMAGE
from bot.journal import Journal
from bot.ledger import Ledger
from bot.qa import contribution_stats
from bot.qa.checklist import Checklist
from bot.qa.qa_events import default_prefix
from bot.report import Summary
from bot.suggestions import (
    ANSWERS_EXHAUSTED,
    SessionReport,
    build_session,
    read_answers,
    run_session,
)
from bot.suggestions.wiring import RowAnswers, settle_rows
from bot.wiki import WikiClient

EXAMPLES = Path(bot.__file__).resolve().parent.parent / "examples"
"""The examples of a source checkout; an installed wheel does not ship them."""


@dataclass(frozen=True)
class EventsCheck:
    """The offline check of the example events file: its row reports and counts.

    `found` is False when the file is not there (an installed wheel); `rows` is then empty.
    """

    path: Path
    found: bool
    rows: tuple[dict[str, Any], ...]
    summary: Summary

    def as_json(self) -> dict[str, Any]:
        if not self.found:
            return {"file": str(self.path), "skipped": "the example file is not there"}
        return {"file": str(self.path), "rows": list(self.rows), "summary": self.summary.as_dict()}


@dataclass(frozen=True)
class EventRows:
    """The report rows of `events apply` or `events stats`, as those commands report them."""

    rows: tuple[dict[str, Any], ...]

    def row_of(self, page: str) -> dict[str, Any]:
        return next(row for row in self.rows if row["event_page"] == page)


@dataclass(frozen=True)
class ImageSession:
    """A scripted `images session`: the answers file and the session's report."""

    answers: Path
    report: SessionReport


@dataclass(frozen=True)
class QaRun:
    """A `qa contribution-stats` run: what it announced before writing, and its checklist."""

    announced: tuple[str, ...]
    checklist: Checklist


def check_example(path: Path, policy: policies.Policy, *, now: datetime) -> EventsCheck:
    """`events check` of the example file, collected; a missing file is skipped, not an error."""
    summary = Summary()
    if not path.is_file():
        return EventsCheck(path, False, (), summary)
    rows = tuple(row.report() for row in check_file(path, policy, now=now))
    for row in rows:
        summary.add(row)
    return EventsCheck(path, True, rows, summary)


def apply_events(
    wiki: WikiClient, policy: policies.Policy, state_dir: Path, path: Path, *, now: datetime
) -> EventRows:
    """`events apply FILE --create-pages --yes`: plan under the journal's run lock, then write
    each row, as the command does once confirmed."""
    with Journal.open(state_dir) as journal:
        batch = Batch(wiki, policy, journal, create_pages=True, now=now)
        with batch.applying(str(path.resolve())) as applier:
            planned = list(batch.plan(batch.checked(path)))
            return EventRows(tuple(applier.execute(row).report() for row in planned))


def statistics_on(wiki: WikiClient, policy: policies.Policy, event_id: int) -> EventRows:
    """`events stats on EVENT_ID`: the local policy decides before anything is written."""
    outcome = switch_statistics(CampaignEventsClient(wiki), policy, event_id, on=True)
    return EventRows((outcome.report(1),))


def image_session(
    wiki: WikiClient, policy: policies.Policy, state_dir: Path, answers: Path
) -> ImageSession:
    """`images session --answers FILE --task-type image-recommendation`, in file order."""
    rows, problems = read_answers(answers)
    with Ledger.open(state_dir) as ledger:
        session = build_session(wiki, policy, ledger, task_types=(IMAGE,), rows=rows)
        report = run_session(
            session.gate, session.source, RowAnswers(), check=session.check,
            exhausted=ANSWERS_EXHAUSTED,
        )  # fmt: skip
        if session.rows is not None:
            settle_rows(report, rows, problems, session.rows)
    return ImageSession(answers, report)


def qa_contribution_stats(wiki: WikiClient, policy: policies.Policy, *, now: datetime) -> QaRun:
    """`qa contribution-stats`: test events under the default prefix, removed afterwards."""
    announced: list[str] = []
    checklist = contribution_stats.run(
        wiki, policy, prefix=default_prefix(now), keep=False, now=now, announce=announced.append
    )
    return QaRun(tuple(announced), checklist)
