"""The report writers of `events check|plan|apply`: `--format table|json|csv|wikitable`.

check uses `bot.report`'s writers as they are; plan and apply add the columns action, event id,
status and changes to the table, and the counts of actions and statuses to the JSON summary.
CSV and wikitable come from `bot.formats` (`plan=True`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol, TextIO

from bot.display import shown
from bot.formats import ACTIONS, STATUSES, Counts, CsvReport, WikitableReport
from bot.report import CheckedRowLike, JsonReport, Summary, TableReport, encode_row

FORMATS = ("table", "json", "csv", "wikitable")
_PAGE_WIDTH = 36


class Report(Protocol):
    """What the events commands need of a report writer."""

    summary: Summary

    def add(self, row: Mapping[str, Any]) -> None: ...

    def add_checked(self, row: CheckedRowLike) -> None: ...

    def close(self, error: str | None = None) -> None: ...


def open_report(kind: str, stream: TextIO, counts: TextIO, *, plan: bool) -> Report:
    """The writer for `--format kind`; CSV's counts go to `counts` (stderr), not into the file."""
    if kind == "csv":
        return CsvReport(stream, plan=plan, counts=counts)
    if kind == "wikitable":
        return WikitableReport(stream, plan=plan)
    if kind == "json":
        return PlanJsonReport(stream) if plan else JsonReport(stream)
    return PlanTableReport(stream) if plan else TableReport(stream)


class PlanJsonReport:
    """`{"rows": [...], "summary": {...}}` as rows arrive; the summary adds `actions` and
    `statuses` to check's counts."""

    def __init__(self, stream: TextIO):
        self.stream, self.counts, self._rows = stream, Counts(plan=True), 0
        self.summary = self.counts.summary
        stream.write('{"rows": [')

    def add(self, row: Mapping[str, Any]) -> None:
        self.counts.add(row)
        self.stream.write(("\n  " if not self._rows else ",\n  ") + encode_row(row))
        self._rows += 1

    def add_checked(self, row: CheckedRowLike) -> None:
        self.add(row.report())

    def close(self, error: str | None = None) -> None:
        summary: dict[str, Any] = self.summary.as_dict()
        summary["actions"] = {name: self.counts.actions[name] for name in ACTIONS}
        summary["statuses"] = {name: self.counts.statuses[name] for name in STATUSES}
        if error is not None:
            summary["error"] = error
        self.stream.write("\n],\n" if self._rows else "],\n")
        self.stream.write(f'"summary": {json.dumps(summary, ensure_ascii=False)}}}\n')


class PlanTableReport:
    """One line per row (row, page, action, event id, status, statistics), then one per
    problem, change and note, and the counts at the end."""

    def __init__(self, stream: TextIO):
        self.stream, self.counts = stream, Counts(plan=True)
        self.summary = self.counts.summary
        header = (f"{'row':>6}  {'event page':<{_PAGE_WIDTH}}  {'action':<9}  {'event id':>8}  "
                  f"{'status':<7}  stats  problems, changes and notes")  # fmt: skip
        self._indent = " " * (header.index("problems"))
        stream.write(f"{header}\n{'-' * len(header)}\n")

    def add(self, row: Mapping[str, Any]) -> None:
        self.counts.add(row)
        page = shown(row["event_page"] or "(none)")
        if len(page) > _PAGE_WIDTH:
            page = page[: _PAGE_WIDTH - 1] + "…"
        stats = {True: "on", False: "off", None: "-"}[row["contribution_statistics"]]
        event_id = "" if row.get("event_id") is None else str(row["event_id"])
        lines = [shown(f"{e['field'] or 'row'}: {e['message']} [{e['code']}]")
                 for e in row["errors"]]  # fmt: skip
        lines += [shown(f"change {name}: {_value(old)} → {_value(new)}")
                  for name, (old, new) in (row.get("changes") or {}).items()]  # fmt: skip
        lines += [shown(f"note: {note}") for note in row["notes"]]
        first = lines[0] if lines else ""
        self.stream.write(
            f"{row['row']:>6}  {page:<{_PAGE_WIDTH}}  {row.get('action') or '':<9}  "
            f"{event_id:>8}  {row.get('status') or '':<7}  {stats:<5}  {first}".rstrip() + "\n"
        )
        for line in lines[1:]:
            self.stream.write(f"{self._indent}{line}\n")

    def add_checked(self, row: CheckedRowLike) -> None:
        self.add(row.report())

    def close(self, error: str | None = None) -> None:
        self.stream.write(f"\n{shown(self.counts.sentence())}\n")
        if error is not None:
            self.stream.write(f"Stopped early: {shown(error)}\n")


def _value(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)
