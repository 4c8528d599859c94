"""Phabricator's simple-table rule, read back in Python, to check what gatebot prints pastes as
the table it means (PhutilRemarkupSimpleTableBlockRule: cells split on `|`, a `[[…]]` link may
hold a `|`, a lone `[` may not be followed by `[` or `|`, a row of `--` cells marks a header)."""

from __future__ import annotations

import re

_TABLE_LINE = re.compile(r"^\s*\|")
_CELL = re.compile(r"\|((?:(?:\[\[.*?\]\])|(?:[^|\[]+)|(?:\[[^|\[]))*)")


def tables(text: str) -> list[list[list[str]]]:
    """Every table in `text` as rows of cells; the header row is the one before a `--` row."""
    found: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.split("\n"):
        if not _TABLE_LINE.match(line):
            current = None
            continue
        if current is None:
            current = []
            found.append(current)
        cells = [cell.strip() for cell in _CELL.findall(line.rstrip("|"))]
        current.append(cells)
    return found


def is_header_marker(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return bool(filled) and all(re.fullmatch(r"--+", cell) for cell in filled)
