"""Write events files (CSV, JSON, YAML; DESIGN §3.1) that `bot.eventsfile.read_events` reads back
to the same cells: the output of `events export`, the input of `events apply`.

Rows are `bot.events.mapping.row_from_registration`'s dicts. CSV puts `;` between list items and
writes no specific wiki as `none`; JSON and YAML keep lists as lists and leave empty cells out.
YAML is written with every text double-quoted, so a YAML 1.1 writer's guesses (`on`, `0o17`,
`1e5` left bare) cannot turn text into a boolean or a number when gatebot's YAML 1.2 reader
takes it back.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from bot.filerows import COLUMNS
from policies.lists import NO_WIKIS

LIST_SEPARATOR = ";"
# Characters a YAML parser may read as a line break or drop, escaped inside quoted text.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def write_csv(rows: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """A header of every column, then one line per row; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(column, row.get(column)) for column in COLUMNS])
        count += 1
    return count


def write_json(rows: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """`{"events": [...]}`, one object per row without its empty cells."""
    stream.write('{"events": [')
    count = 0
    for row in rows:
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps(_filled(row), ensure_ascii=False))
        count += 1
    stream.write("\n]}\n" if count else "]}\n")
    return count


def write_yaml(rows: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """`events:` and one block mapping per row, without its empty cells."""
    stream.write("events:")
    count = 0
    for row in rows:
        for position, (column, value) in enumerate(_filled(row).items()):
            lead = "\n  - " if position == 0 else "\n    "
            stream.write(f"{lead}{column}: {_yaml_value(value)}")
        count += 1
    stream.write("\n" if count else " []\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json, "yaml": write_yaml}


def _filled(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's non-empty cells in column order (an empty wikis list is kept: it means none)."""
    return {
        column: row[column]
        for column in COLUMNS
        if row.get(column) is not None and (row[column] != [] or column == "wikis")
    }


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if not value and column == "wikis":
            return NO_WIKIS
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def _yaml_value(value: Any) -> str:
    """A scalar or a flow list in JSON form (YAML reads it the same), unsafe characters escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
