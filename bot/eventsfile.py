"""Read events files (CSV, YAML, JSON; DESIGN §3.1) one row at a time, in constant memory.

A file that cannot be read at all raises `InputError` (path, row, field, what to do); a row that
is malformed comes back with its problems and the other rows go on. Rows are numbered as a person
sees them: CSV by the line the row starts on (header = line 1), YAML/JSON by 1-based position in
`events`. JSON is parsed incrementally (`defaults` must come before `events`); YAML is loaded one
document at a time.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.jsonstream import JsonStream
from policies.errors import InputError
from policies.problems import Problem
from policies.titles import title_key

COLUMNS = (
    "event_page", "event_id", "timezone", "start", "end", "types", "wikis", "topics",
    "participation", "country", "address", "meeting_url", "chat_url", "contribution_statistics",
    "goal_type", "goal_target", "tracking_tool_id", "tracking_tool_event_id", "test_event",
    "status",
)  # fmt: skip
FORMATS = {".csv": "csv", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_CHUNK = 1 << 16


@dataclass(slots=True)
class FileRow:
    """One event as written in the file: known columns only (an empty cell may be absent or
    ""), with any problems reading it. Read-only by convention (not frozen: a frozen dataclass
    costs three times as much to create, and readers make one per row)."""

    number: int
    values: Mapping[str, Any]
    problems: tuple[Problem, ...] = ()


def read_events(path: str | Path) -> Iterator[FileRow]:
    """Yield the rows of an events file, its format chosen by the file name's extension."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unknown file type {path.suffix or '(none)'!r}; name the file .csv, .json or .yaml.",
            path=str(path),
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror}).", path=str(path)) from None
    if size == 0:
        raise InputError(
            "the file is empty; write a header row and one row per event.", path=str(path)
        )
    reader = {"csv": _csv_rows, "json": _json_rows, "yaml": _yaml_rows}[kind]
    check_encoding(path)
    return _without_duplicates(reader(path), str(path))


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest known name, or '' when nothing is close."""
    close = difflib.get_close_matches(name.strip().lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _open_text(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror}).", path=str(path)) from None


def check_encoding(path: Path) -> None:
    """Raise InputError naming the line and byte if the file is not UTF-8 (one fast pass, so
    a bad byte on the last line is reported before any row is)."""
    try:
        stream = path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror}).", path=str(path)) from None
    with stream:
        if stream.read(4).startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError("the file is UTF-16; save it as UTF-8 and try again.", path=str(path))
        stream.seek(0)
        pending, offset, line = b"", 0, 1
        while chunk := stream.read(_CHUNK):
            data, pending = pending + chunk, b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                if error.reason == "unexpected end of data" and len(data) - error.start < 4:
                    data, pending = data[: error.start], data[error.start :]
                else:
                    line += data.count(b"\n", 0, error.start)
                    raise InputError(
                        f"line {line}: byte 0x{data[error.start]:02x} (byte offset "
                        f"{offset + error.start}) is not UTF-8; save the file as UTF-8 (in a "
                        "spreadsheet: 'CSV UTF-8') and try again.",
                        path=str(path),
                    ) from None
            offset += len(data)
            line += data.count(b"\n")
        if pending:
            raise InputError(
                f"the file ends in the middle of a UTF-8 character (byte offset "
                f"{offset}); save the file as UTF-8 and try again.",
                path=str(path),
            )


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


def _csv_rows(path: Path) -> Iterator[FileRow]:
    stream = _open_text(path)
    reader = csv.reader(stream, strict=True)
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
            problems = ()
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


def _mapping_row(number: int, event: Any, defaults: Mapping[str, Any]) -> FileRow:
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


def _checked_defaults(path: Path, defaults: Any) -> Mapping[str, Any]:
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


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.2-like scalars: only true/false are booleans (so `NO` stays Norway and `on` stays
    `on`), and dates stay text for gatebot's own date rules."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}  # fmt: skip
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _yaml_rows(path: Path) -> Iterator[FileRow]:
    number = 0
    with _open_text(path) as stream:
        try:
            for document in yaml.load_all(stream, Loader=_YamlLoader):
                events, defaults = _split_document(path, document)
                for event in events:
                    number += 1
                    yield _mapping_row(number, event, defaults)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise InputError(
                f"{where}not valid YAML ({reason}); fix the file and try again.", path=str(path)
            ) from None


def _split_document(path: Path, document: Any) -> tuple[list[Any], Mapping[str, Any]]:
    if isinstance(document, list):
        return document, {}
    if not isinstance(document, Mapping) or "events" not in document:
        raise InputError(
            "expected 'events:' with a list of events (and optionally 'defaults:').", path=str(path)
        )
    for key in document:
        if key not in ("events", "defaults"):
            raise InputError(
                f"unknown top-level key {str(key)!r}{suggest(str(key), ('events', 'defaults'))}.",
                path=str(path),
            )
    events = document["events"]
    if not isinstance(events, list):
        raise InputError("'events' must be a list of events.", path=str(path), field="events")
    return events, _checked_defaults(path, document.get("defaults"))


def _json_rows(path: Path) -> Iterator[FileRow]:
    with _open_text(path) as stream:
        source = JsonStream(str(path), stream)
        if source.peek() == "[":
            yield from _json_events(source, {})
        else:
            yield from _json_object(path, source)
        if source.peek():
            raise source.fail("unexpected text after the end of the JSON document")


def _json_object(path: Path, source: JsonStream) -> Iterator[FileRow]:
    source.expect("{")
    defaults: Mapping[str, Any] = {}
    seen_events = False
    if source.peek() == "}":
        source.pos += 1
    else:
        while True:
            key = source.value()
            source.expect(":")
            if key == "events":
                seen_events = True
                yield from _json_events(source, defaults)
            elif key == "defaults":
                if seen_events:
                    raise InputError(
                        "'defaults' must come before 'events' in a JSON file "
                        "(gatebot reads it as a stream); move it up.",
                        path=str(path),
                    )
                defaults = _checked_defaults(path, source.value())
            else:
                raise InputError(
                    f"unknown top-level key {str(key)!r}"
                    f"{suggest(str(key), ('events', 'defaults'))}.",
                    path=str(path),
                )
            if source.expect(",}") == "}":
                break
    if not seen_events:
        raise InputError(
            "expected an object with an 'events' list; add \"events\": [...].", path=str(path)
        )


def _json_events(source: JsonStream, defaults: Mapping[str, Any]) -> Iterator[FileRow]:
    if source.peek() != "[":
        raise source.fail("'events' must be a list")
    source.pos += 1
    if source.peek() == "]":
        source.pos += 1
        return
    number = 0
    while True:
        number += 1
        yield _mapping_row(number, source.value(), defaults)
        if source.expect(",]") == "]":
            return


def _without_duplicates(rows: Iterator[FileRow], path: str) -> Iterator[FileRow]:
    """Add a problem to each row whose event page an earlier row already has (naming both).

    Keeps only a 64-bit hash and a row number per page, in flat arrays (about 32 bytes per row),
    so a million rows fit in memory; two different titles sharing a hash is practically never.
    """
    add = _HashTable().add
    for row in rows:
        page = row.values.get("event_page")
        if isinstance(page, str) and page.strip():
            earlier = add(hash(title_key(page.strip())), row.number)
            if earlier is not None:
                row = FileRow(row.number, row.values, (*row.problems, Problem(
                    "gatebot-duplicate-event-page",
                    f"event page {page.strip()!r} is also on row {earlier}; each event page may "
                    "appear once, so merge the two rows or remove one.",
                    "event_page",
                )))  # fmt: skip
        yield row


class _HashTable:
    """An open-addressing map from non-zero 64-bit hashes to row numbers, in two flat arrays."""

    def __init__(self) -> None:
        self.keys, self.rows, self.count = array("q", [0]) * 1024, array("q", [0]) * 1024, 0
        self.mask = len(self.keys) - 1

    def add(self, key: int, row: int) -> int | None:
        """Store key -> row; return the earlier row if the key was there already."""
        key = key or 1
        keys, mask = self.keys, self.mask
        slot = key & mask
        while found := keys[slot]:
            if found == key:
                return self.rows[slot]
            slot = (slot + 1) & mask
        keys[slot] = key
        self.rows[slot] = row
        self.count += 1
        if self.count * 2 > len(keys):
            self._grow()
        return None

    def _grow(self) -> None:
        """Double the table; the keys are distinct, so each only needs a free slot."""
        old = zip(self.keys, self.rows, strict=True)
        size = len(self.keys) * 2
        keys, rows, mask = array("q", [0]) * size, array("q", [0]) * size, size - 1
        for key, row in old:
            if key:
                slot = key & mask
                while keys[slot]:
                    slot = (slot + 1) & mask
                keys[slot] = key
                rows[slot] = row
        self.keys, self.rows, self.mask = keys, rows, mask
