"""A checklist in Phabricator Remarkup, to paste on the task (the terminal table is the CLI's).

Remarkup's simple table (`| a | b |`, a row of `--` cells makes the row above a header) splits
cells on every `|`, and a `[[` opens a link that may swallow the rest of the row; a newline ends
the row. Evidence is therefore put in monospace (`` `…` ``: no other markup applies inside, so
no `@mention`, `T123` or `#project` fires) after those characters are replaced.
"""

from __future__ import annotations

from bot.qa.checklist import FAILED, NOT_RUN, PASSED, Check, Checklist

MARKS = {PASSED: "✅", FAILED: "❌", NOT_RUN: "⬜"}
REMARKUP_COLUMNS = ("criterion", "result", "evidence", "note")


def closing_notes(checklist: Checklist) -> list[str]:
    """The run's own notes, its writes and what it left on the wiki."""
    notes = list(checklist.notes)
    notes.append(f"Writes made on the wiki: {checklist.writes}.")
    for kind, items in checklist.left.items():
        if items:
            notes.append(f"Left on the wiki ({kind}): {', '.join(items)}")
    return notes


def remarkup_cell(text: str) -> str:
    """Text that stays inside one Remarkup table cell: no `|`, no `[[`, no line break."""
    flat = " ".join(text.split())
    return flat.replace("|", "¦").replace("[[", "[ [").replace("]]", "] ]")


def remarkup_code(text: str) -> str:
    """Text shown literally in monospace inside a cell (backticks cannot be escaped there)."""
    cell = remarkup_cell(text).replace("`", "'")
    return f"`{cell}`" if cell else ""


def _remarkup_row(item: Check) -> str:
    evidence = "; ".join(remarkup_code(line) for line in item.evidence)
    note = " ".join(part for part in (item.todo if not item.passed else "", item.note) if part)
    mark = MARKS[item.status] + ("" if item.status != NOT_RUN else " not run")
    cells = (remarkup_cell(item.criterion), mark, evidence, remarkup_cell(note))
    return "| " + " | ".join(cells) + " |"


def render_remarkup(checklist: Checklist) -> str:
    """The checklist as a Remarkup table with a header row, ready to paste on the task."""
    lines = [
        f"**gatebot qa {checklist.name}**: {checklist.summary()} (wiki "
        f"{remarkup_code(checklist.wiki)}, user {remarkup_code(checklist.user)})",
        "",
        "| " + " | ".join(REMARKUP_COLUMNS) + " |",
        "| " + " | ".join("---" for _ in REMARKUP_COLUMNS) + " |",
        *(_remarkup_row(item) for item in checklist.checks),
        "",
    ]
    lines += [f"- {remarkup_code(note)}" for note in closing_notes(checklist)]
    return "\n".join(lines)
