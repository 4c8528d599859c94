"""Row reports for events files (DESIGN §3.2): streamed JSON for machines, a table for people.

Both writers take one row dict at a time and keep only counts, so a million-row report needs no
more memory than a ten-row one. `plan`/`apply` add their own keys (action, event_id, changes,
status) to the same row dicts and the same writers print them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from bot.display import shown
from policies.problems import Problem

_PAGE_WIDTH = 40
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
_ENCODE_STRING = json.encoder.encode_basestring
_PLAIN_KEYS = frozenset({"row", "event_page", "ok", "contribution_statistics", "errors", "notes"})
_LITERAL = {True: "true", False: "false", None: "null"}


def encode_row(row: Mapping[str, Any]) -> str:
    """One row as compact JSON; the common row (fine, no notes, no extra keys) without the
    general encoder, which is a fifth of the cost of checking a row."""
    if row.keys() == _PLAIN_KEYS and row["ok"] and not row["notes"] and type(row["row"]) is int:
        page = row["event_page"]
        return (
            f'{{"row": {row["row"]}, "event_page": '
            f'{_ENCODE_STRING(page) if isinstance(page, str) else "null"}, "ok": true, '
            f'"contribution_statistics": {_LITERAL[row["contribution_statistics"]]}, '
            '"errors": [], "notes": []}'
        )
    return _ENCODER.encode(row)


def encode_tail(
    errors: Sequence[Problem], notes: Sequence[str], contribution_statistics: bool | None
) -> str:
    """The JSON of a row after its number and page (`"ok": …}`): rows that differ only in
    those two share it, so `encode_with_tail` need not encode their problems again."""
    row = row_dict(0, None, errors, notes, contribution_statistics)
    del row["row"], row["event_page"]
    return _ENCODER.encode(row)[1:]  # [1:] drops the "{" that encode_with_tail writes


def encode_with_tail(number: int, event_page: str | None, tail: str) -> str:
    """`encode_row` of a row whose part after the page is the `tail` from `encode_tail`."""
    page = "null" if event_page is None else _ENCODE_STRING(event_page)
    return f'{{"row": {number}, "event_page": {page}, {tail}'


def row_dict(
    number: int,
    event_page: str | None,
    errors: Sequence[Problem],
    notes: Sequence[str],
    contribution_statistics: bool | None,
    **extra: Any,
) -> dict[str, Any]:
    """One row of the report; `contribution_statistics` is null when the row has errors."""
    return {
        "row": number,
        "event_page": event_page,
        "ok": not errors,
        "contribution_statistics": None if errors else contribution_statistics,
        "errors": [problem.as_dict() for problem in errors],
        "notes": list(notes),
        **extra,
    }


@dataclass
class Summary:
    """Counts at the end of a run, as pywikibot bots print them."""

    rows: int = 0
    ok: int = 0
    with_errors: int = 0
    statistics_on: int = 0
    statistics_off: int = 0
    notes: int = 0

    def add(self, row: Mapping[str, Any]) -> None:
        self.count(row["ok"], row["contribution_statistics"], bool(row["notes"]))

    def count(self, ok: bool, contribution_statistics: bool | None, has_notes: bool) -> None:
        self.rows += 1
        self.notes += has_notes
        if not ok:
            self.with_errors += 1
            return
        self.ok += 1
        if contribution_statistics:
            self.statistics_on += 1
        else:
            self.statistics_off += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "ok": self.ok,
            "with_errors": self.with_errors,
            "contribution_statistics_on": self.statistics_on,
            "contribution_statistics_off": self.statistics_off,
            "rows_with_notes": self.notes,
        }

    def sentence(self) -> str:
        return (
            f"{self.rows} row{'' if self.rows == 1 else 's'}: {self.ok} ok, "
            f"{self.with_errors} with errors; contribution "
            f"statistics on for {self.statistics_on}, off for {self.statistics_off}."
        )


class CheckedRowLike(Protocol):
    """What `add_checked` needs of a checked row (bot.events.CheckedRow)."""

    @property
    def ok(self) -> bool: ...

    @property
    def contribution_statistics(self) -> bool | None: ...

    @property
    def notes(self) -> Sequence[str]: ...

    def report(self) -> dict[str, Any]: ...

    def report_json(self) -> str: ...


class JsonReport:
    """Writes `{"rows": [...], "summary": {...}}` as rows arrive; `close()` ends the document."""

    def __init__(self, stream: TextIO):
        self.stream, self.summary, self._first = stream, Summary(), True
        stream.write('{"rows": [')

    def add(self, row: Mapping[str, Any]) -> None:
        self.summary.add(row)
        self._write(encode_row(row))

    def add_checked(self, row: CheckedRowLike) -> None:
        """`add(row.report())` without building the row dict (the row keeps its JSON ready)."""
        self.summary.count(row.ok, row.contribution_statistics, bool(row.notes))
        self._write(row.report_json())

    def _write(self, encoded: str) -> None:
        self.stream.write(("\n  " if self._first else ",\n  ") + encoded)
        self._first = False

    def close(self, error: str | None = None) -> None:
        """End the document; `error` (a file that stopped being readable) goes in the summary."""
        summary: dict[str, Any] = self.summary.as_dict()
        if error is not None:
            summary["error"] = error
        self.stream.write("\n],\n" if not self._first else "],\n")
        self.stream.write(f'"summary": {json.dumps(summary, ensure_ascii=False)}}}\n')


class TableReport:
    """A plain table, one line per row plus one per further problem or note, then the counts."""

    def __init__(self, stream: TextIO):
        self.stream, self.summary = stream, Summary()
        header = f"{'row':>6}  {'event page':<{_PAGE_WIDTH}}  ok   stats  problems and notes"
        stream.write(f"{header}\n{'-' * len(header)}\n")

    def add(self, row: Mapping[str, Any]) -> None:
        """One row; every text from the file is passed through `shown` first."""
        self.summary.add(row)
        page = shown(row["event_page"] or "(none)")
        if len(page) > _PAGE_WIDTH:
            page = page[: _PAGE_WIDTH - 1] + "…"
        stats = {True: "on", False: "off", None: "-"}[row["contribution_statistics"]]
        lines = [
            shown(f"{e['field'] or 'row'}: {e['message']} [{e['code']}]") for e in row["errors"]
        ]
        lines += [shown(f"note: {note}") for note in row["notes"]]
        first = lines[0] if lines else ""
        ok = "yes" if row["ok"] else "no"
        self.stream.write(
            f"{row['row']:>6}  {page:<{_PAGE_WIDTH}}  {ok:<3}  {stats:<5}  {first}".rstrip() + "\n"
        )
        indent = " " * (6 + 2 + _PAGE_WIDTH + 2 + 3 + 2 + 5 + 2)
        for line in lines[1:]:
            self.stream.write(f"{indent}{line}\n")

    def add_checked(self, row: CheckedRowLike) -> None:
        self.add(row.report())

    def close(self, error: str | None = None) -> None:
        self.stream.write(f"\n{self.summary.sentence()}\n")
        if error is not None:
            self.stream.write(f"Stopped early: {shown(error)}\n")
