"""Printing reports: JSON on stdout for machines, plain tables for people (escaped by `shown`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from bot.display import shown


def print_json(report: Any, stream: TextIO | None = None) -> None:
    """One JSON object on stdout (DESIGN §3.2), UTF-8 kept readable."""
    stream = stream or sys.stdout
    json.dump(report, stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain-text table with columns padded to their widest cell; cells come from files and
    wikis, so each is `shown` safely."""
    text_rows = [["" if cell is None else shown(str(cell)) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in text_rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())
    return "\n".join(lines)
