"""Read a CSV events file one row at a time: a header row, then one event per row."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.filerows import COLUMNS, MAX_ROW_CHARS, FileRow, open_text, suggest, too_long
from policies.errors import InputError
from policies.problems import Problem


def _header(path: Path, cells: list[str]) -> list[str]:
    names = [cell.strip().lower().replace(" ", "_") for cell in cells]
    if len(names) == 1 and (";" in cells[0] or "\t" in cells[0]):
        separator = "semicolons" if ";" in cells[0] else "tabs"
        raise InputError(
            f"the header row is separated by {separator}, but gatebot reads comma-separated CSV; "
            "save the file as CSV with commas (use ';' only inside list cells such as types).",
            path=str(path),
            row=1,
        )
    for position, name in enumerate(names):
        if name not in COLUMNS:
            raise InputError(
                f"unknown column {cells[position].strip()!r}{suggest(name, COLUMNS)}; the columns "
                f"are: {', '.join(COLUMNS)}.",
                path=str(path),
                row=1,
                field=cells[position].strip(),
            )
        if name in names[:position]:
            raise InputError(
                f"column {name!r} appears twice; keep one of them.",
                path=str(path),
                row=1,
                field=name,
            )
    if "event_page" not in names:
        raise InputError(
            "there is no 'event_page' column; add it (the event page title, e.g. "
            "'Event:WikiGap 2026/Lisbon').",
            path=str(path),
            row=1,
        )
    return names


def _bounded_lines(stream: TextIO, path: Path) -> Iterator[str]:
    """The file's lines, refusing one longer than `MAX_ROW_CHARS` before it is all in memory."""
    readline, number = stream.readline, 0
    while line := readline(MAX_ROW_CHARS + 1):
        number += 1
        if len(line) > MAX_ROW_CHARS:
            raise too_long(path, f"line {number}")
        yield line


def csv_rows(path: Path) -> Iterator[FileRow]:
    """The rows of a CSV file, numbered by the line each starts on (the header is line 1)."""
    stream = open_text(path)
    reader = csv.reader(_bounded_lines(stream, path), strict=True)
    names: list[str] | None = None
    width = 0
    previous_line = 0
    try:
        for cells in reader:
            start_line, previous_line = previous_line + 1, reader.line_num
            joined = "".join(cells)
            if not joined or joined.isspace():
                continue
            if names is None:
                if start_line != 1:
                    raise InputError(
                        "the header row must be the first line of the file.",
                        path=str(path),
                        row=start_line,
                    )
                names = _header(path, cells)
                width = len(names)
                continue
            # A short row lacks its last cells and a long one is reported below, so zip's
            # default (not strict) is meant; spelling it out as a keyword costs 0.5 us a row.
            values = dict(zip(names, cells))  # noqa: B905
            problems: tuple[Problem, ...] = ()
            if len(cells) > width and "".join(cells[width:]).strip():
                problems = (
                    Problem(
                        "gatebot-extra-cells",
                        f"the row has {len(cells)} cells but the header has {width} columns; "
                        "quote cells that contain commas.",
                        None,
                    ),
                )
            yield FileRow(start_line, values, problems)
    except csv.Error as error:
        raise InputError(
            f"the row starting on line {previous_line + 1} is not valid CSV ({error}); check its "
            'quotes: a cell that starts with " must end with " (write "" for a quote inside).',
            path=str(path),
        ) from None
    finally:
        stream.close()
    if names is None:
        raise InputError(
            "the file has no header row; write one (event_page, timezone, ...).", path=str(path)
        )
