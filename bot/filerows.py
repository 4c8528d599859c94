"""What every events-file reader shares: the columns, the row it yields, and the rules for an
event written as a mapping (JSON and YAML) with its `defaults`."""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from policies.errors import InputError
from policies.problems import Problem
from policies.reading import open_regular

COLUMNS = (
    "event_page", "event_id", "timezone", "start", "end", "types", "wikis", "topics",
    "participation", "country", "address", "meeting_url", "chat_url", "contribution_statistics",
    "goal_type", "goal_target", "tracking_tool_id", "tracking_tool_event_id", "test_event",
    "status",
)  # fmt: skip
TOP_LEVEL_KEYS = ("events", "defaults")
# One row (a CSV line, a JSON or YAML event) may hold this many characters; real rows hold a few
# hundred, and the bound keeps a malformed file from filling memory.
MAX_ROW_CHARS = 1 << 20


@dataclass(slots=True)
class FileRow:
    """One event as written in the file: known columns only (an empty cell may be absent or
    ""), with any problems reading it. Read-only by convention (not frozen: a frozen dataclass
    costs three times as much to create, and readers make one per row)."""

    number: int
    values: Mapping[str, Any]
    problems: tuple[Problem, ...] = ()


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest known name, or '' when nothing is close."""
    close = difflib.get_close_matches(name.strip().lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_top_level_key(path: Path, key: Any) -> InputError:
    return InputError(
        f"unknown top-level key {str(key)!r}{suggest(str(key), TOP_LEVEL_KEYS)}.", path=str(path)
    )


def defaults_too_late(path: Path, kind: str) -> InputError:
    return InputError(
        f"'defaults' must come before 'events' in a {kind} file (gatebot reads it as a "
        "stream); move it up.",
        path=str(path),
    )


def mapping_row(number: int, event: Any, defaults: Mapping[str, Any]) -> FileRow:
    """A JSON/YAML event with the defaults under it; unknown keys are row problems."""
    if not isinstance(event, Mapping):
        return FileRow(number, {}, (Problem(
            "gatebot-not-an-object",
            f"each event must be an object with keys such as event_page, not "
            f"{type(event).__name__}.",
            None,
        ),))  # fmt: skip
    problems = tuple(
        Problem("gatebot-unknown-column", f"unknown key {str(key)!r}{suggest(str(key), COLUMNS)}.",
                str(key))
        for key in event if key not in COLUMNS
    )  # fmt: skip
    values = {**defaults, **{k: v for k, v in event.items() if k in COLUMNS}}
    return FileRow(number, {k: v for k, v in values.items() if v is not None and v != ""}, problems)


def checked_defaults(path: Path, defaults: Any) -> Mapping[str, Any]:
    """The `defaults` mapping, refusing anything but known columns other than event_page."""
    if defaults is None:
        return {}
    if not isinstance(defaults, Mapping):
        raise InputError(
            "'defaults' must be an object of column: value.", path=str(path), field="defaults"
        )
    for key in defaults:
        if key not in COLUMNS or key == "event_page":
            raise InputError(
                f"unknown default {str(key)!r}{suggest(str(key), COLUMNS)}; "
                "defaults may set any column except event_page.",
                path=str(path),
                field="defaults",
            )
    return defaults


def open_text(path: Path) -> TextIO:
    """The file as UTF-8 text (a BOM dropped), opened only if it is a regular file."""
    return io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="")


def too_long(path: Path, what: str, row: int | None = None) -> InputError:
    return InputError(
        f"{what} is longer than {MAX_ROW_CHARS:,} characters, far more than an event needs; "
        "check that this is an events file.",
        path=str(path),
        row=row,
    )
