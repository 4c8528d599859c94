"""Events reports as CSV (for spreadsheets) and as a wikitable (to paste on the campaign's page).

Both take the row dicts of DESIGN §3.2 one at a time, like `bot.report`'s writers, and keep only
counts. CSV holds rows and nothing else, so any CSV reader takes it whole: its counts go to a
separate stream (the CLI's stderr). The wikitable ends with a line of counts under the table.
Text from the file or the wiki is escaped so that it cannot break the table, call a template,
sign, categorise the page, or run a spreadsheet formula. A wiki page holds at most 2 MB of
wikitext by default (`$wgMaxArticleSize`): some 15,000 rows of this table (120 bytes a row).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from bot.report import CheckedRowLike, Summary

ACTIONS = ("create", "update", "unchanged", "refused")
STATUSES = ("planned", "done", "failed")
CHECK_COLUMNS = (
    "row", "event_page", "ok", "contribution_statistics", "errors", "error_codes", "notes",
)  # fmt: skip
PLAN_COLUMNS = (
    "row", "event_page", "ok", "action", "event_id", "status", "changes",
    "contribution_statistics", "errors", "error_codes", "notes",
)  # fmt: skip
WIKITABLE_CHECK_COLUMNS = ("row", "event_page", "ok", "contribution_statistics")
WIKITABLE_PLAN_COLUMNS = (
    "row", "event_page", "ok", "action", "event_id", "status", "changes", "contribution_statistics",
)  # fmt: skip
SEPARATOR = " | "  # between the errors (or notes) of one row in a CSV cell
_HEADINGS = {
    "row": "Row", "event_page": "Event page", "ok": "OK", "action": "Action",
    "event_id": "Event ID", "status": "Status", "changes": "Changes",
    "contribution_statistics": "Statistics", "problems": "Problems and notes",
}  # fmt: skip
# control characters other than tab and newlines: they would rewrite a terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FORMULA_START = tuple("=+-@\t\r")
_WIKI_ESCAPES = str.maketrans(
    {c: f"&#{ord(c)};" for c in "&<>[]{}|~"} | {"\n": " ", "\r": " ", "\t": " "}
)
_WIKI_PAIRS = (("''", "&#39;&#39;"), ("__", "&#95;&#95;"))  # bold/italic, __MAGIC__ words
_WIKI_LINE_START = frozenset("-+!*#:;= ")
_UNLINKABLE = re.compile(r"[\[\]{}|<>#~&_'%]")


class Counts:
    """The counts of a report: check's `Summary`, plus plan/apply's actions and statuses."""

    def __init__(self, plan: bool):
        self.plan, self.summary = plan, Summary()
        self.actions: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()

    def add(self, row: Mapping[str, Any]) -> None:
        self.summary.add(row)
        if self.plan:
            self.actions[row.get("action") or "refused"] += 1
            if row.get("status"):
                self.statuses[row["status"]] += 1

    def sentence(self) -> str:
        """`Summary.sentence()`, then for plan/apply the actions and statuses in a fixed order."""
        text = self.summary.sentence()
        if self.plan:
            text += " Actions: " + _tally(self.actions, ACTIONS) + "."
            if self.statuses:
                text += " Status: " + _tally(self.statuses, STATUSES) + "."
        return text


class CsvReport:
    """One CSV line per row under a header; the counts go to `counts` (if given) at the end."""

    def __init__(self, stream: TextIO, *, plan: bool = False, counts: TextIO | None = None):
        self.columns = PLAN_COLUMNS if plan else CHECK_COLUMNS
        self.counts, self._counts_stream = Counts(plan), counts
        self.summary = self.counts.summary
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(self.columns)

    def add(self, row: Mapping[str, Any]) -> None:
        self.counts.add(row)
        cells = _cells(row)
        self._writer.writerow([_spreadsheet_safe(cells[column]) for column in self.columns])

    def add_checked(self, row: CheckedRowLike) -> None:
        self.add(row.report())

    def close(self, error: str | None = None) -> None:
        """Write the counts (and why the run stopped early, if it did) to the counts stream."""
        if self._counts_stream is not None:
            self._counts_stream.write(self.counts.sentence() + "\n")
            if error is not None:
                self._counts_stream.write(f"Stopped early: {_printable(error)}\n")


class WikitableReport:
    """A `wikitable sortable` a coordinator can paste on a wiki page, counts under it."""

    def __init__(self, stream: TextIO, *, plan: bool = False):
        self.stream = stream
        self.columns = WIKITABLE_PLAN_COLUMNS if plan else WIKITABLE_CHECK_COLUMNS
        self.counts = Counts(plan)
        self.summary = self.counts.summary
        headings = " !! ".join(_HEADINGS[column] for column in (*self.columns, "problems"))
        stream.write(f'{{| class="wikitable sortable"\n! {headings}\n')

    def add(self, row: Mapping[str, Any]) -> None:
        self.counts.add(row)
        cells = _cells(row)
        shown = [_wiki_text(cells[column]) for column in self.columns]
        shown[1] = _page_link(row)
        problems = [*_problem_texts(row), *(f"note: {note}" for note in row["notes"])]
        shown.append("<br />".join(_wiki_text(text) for text in problems))
        self.stream.write("|-\n" + "".join(f"| {cell}\n" if cell else "|\n" for cell in shown))

    def add_checked(self, row: CheckedRowLike) -> None:
        self.add(row.report())

    def close(self, error: str | None = None) -> None:
        self.stream.write(f"|}}\n{_wiki_text(self.counts.sentence())}\n")
        if error is not None:
            self.stream.write(f"\nStopped early: {_wiki_text(error)}\n")


def _cells(row: Mapping[str, Any]) -> dict[str, str]:
    """Every column of a row as text (CSV and wikitable show the same words)."""
    statistics = row.get("contribution_statistics")
    event_id = row.get("event_id")
    return {
        "row": str(row["row"]),
        "event_page": row["event_page"] or "",
        "ok": "yes" if row["ok"] else "no",
        "action": row.get("action") or "",
        "event_id": "" if event_id is None else str(event_id),
        "status": row.get("status") or "",
        "changes": _changes_text(row.get("changes")),
        "contribution_statistics": "" if statistics is None else ("on" if statistics else "off"),
        "errors": SEPARATOR.join(_problem_texts(row)),
        "error_codes": ";".join(error["code"] for error in row["errors"]),
        "notes": SEPARATOR.join(row["notes"]),
    }


def _problem_texts(row: Mapping[str, Any]) -> list[str]:
    return [f"{error['field'] or 'row'}: {error['message']}" for error in row["errors"]]


def _changes_text(changes: Any) -> str:
    """`changes` as a field list: a mapping shows `field: old → new` (or its value), a list its
    items, nothing an empty cell."""
    if not changes:
        return ""
    if isinstance(changes, Mapping):
        return ", ".join(_one_change(field, value) for field, value in changes.items())
    if isinstance(changes, str):
        return changes
    return ", ".join(str(item) for item in changes)


def _one_change(field: str, value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{field}: {_value_text(value[0])} → {_value_text(value[1])}"
    return f"{field}: {_value_text(value)}"


def _value_text(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    return str(value)


def _tally(counter: Counter[str], order: tuple[str, ...]) -> str:
    known = [name for name in order if counter[name]]
    others = sorted(name for name in counter if name not in order)
    return ", ".join(f"{counter[name]} {name}" for name in (*known, *others)) or "none"


def _printable(text: str) -> str:
    """Control characters (an ANSI escape in a title) shown as U+FFFD, never sent to a terminal."""
    return _CONTROL.sub("\ufffd", text)


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading `=`, `+`, `-`, `@` would make it a formula,
    so such a cell starts with `'` (OWASP's advice for CSV injection)."""
    text = _printable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _wiki_text(text: str) -> str:
    """Text that renders as itself in a table cell: markup characters as entities, newlines as
    spaces, and a character that would start a table or list line as an entity too."""
    text = _printable(text).translate(_WIKI_ESCAPES)
    for pair, escaped in _WIKI_PAIRS:
        text = text.replace(pair, escaped)
    if text[:1] in _WIKI_LINE_START:
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


def _page_link(row: Mapping[str, Any]) -> str:
    """`[[:Title]]` for a page that passed the checks and holds no character a link would read
    as markup; the leading colon keeps `Category:`/`File:` pages a link. Else the escaped text."""
    page = row["event_page"] or ""
    linkable = row["ok"] and page.isprintable() and page.strip() == page
    if linkable and page and not page.startswith((":", "/", ".")) and not _UNLINKABLE.search(page):
        return f"[[:{page}]]"
    return _wiki_text(page)
