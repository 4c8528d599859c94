"""Read events files (CSV, YAML, JSON; DESIGN §3.1) one row at a time, in constant memory.

A file that cannot be read at all raises `InputError` (path, row, field, what to do); a row that
is malformed comes back with its problems and the other rows go on. Rows are numbered as a person
sees them: CSV by the line the row starts on (header = line 1), YAML/JSON by 1-based position in
`events`. Each format has its reader (`bot.csvrows`, `bot.jsonrows`, `bot.yamlrows`); all of
them stream, read regular files only, and bound the size of one row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path

from bot.csvrows import csv_rows
from bot.filerows import COLUMNS, FileRow, suggest
from bot.jsonrows import json_rows
from policies.errors import InputError
from policies.problems import Problem
from policies.reading import decode_utf8, open_regular, refuse_utf16
from policies.titles import title_key

__all__ = ["COLUMNS", "FORMATS", "FileRow", "check_encoding", "read_events", "suggest"]

FORMATS = {".csv": "csv", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_CHUNK = 1 << 16


def _yaml_rows(path: Path) -> Iterator[FileRow]:
    """The YAML reader, imported when a YAML file is read: PyYAML is start-up time for all the
    other files and commands."""
    from bot.yamlrows import yaml_rows

    return yaml_rows(path)


_READERS = {"csv": csv_rows, "json": json_rows, "yaml": _yaml_rows}


def read_events(path: str | Path) -> Iterator[FileRow]:
    """Yield the rows of an events file, its format chosen by the file name's extension."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unknown file type {path.suffix or '(none)'!r}; name the file .csv, .json or .yaml.",
            path=str(path),
        )
    check_encoding(path)
    return _without_duplicates(_READERS[kind](path), str(path))


def check_encoding(path: Path) -> None:
    """Raise InputError unless `path` is a non-empty regular file of UTF-8 text, naming the line
    and byte of the first bad one (one fast pass, so a bad byte on the last line is reported
    before any row is; a NUL byte means a binary file)."""
    shown = str(path)
    with open_regular(path) as stream:
        head = stream.read(4)
        if not head:
            raise InputError(
                "the file is empty; write a header row and one row per event.", path=shown
            )
        refuse_utf16(head, shown)
        stream.seek(0)
        pending, offset, line = b"", 0, 1
        while chunk := stream.read(_CHUNK):
            data = pending + chunk
            data, pending = _split_incomplete(data)
            decode_utf8(data, shown, offset=offset, line=line)
            offset += len(data)
            line += data.count(b"\n")
        if pending:
            decode_utf8(pending, shown, offset=offset, line=line)


def _split_incomplete(data: bytes) -> tuple[bytes, bytes]:
    """`data` cut before a UTF-8 sequence that its last bytes only begin (the next chunk may
    end it), and that beginning."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # not a continuation byte: a sequence starts here
            length = 2 if byte >= 0xC0 else 1
            length = 3 if byte >= 0xE0 else length
            length = 4 if byte >= 0xF0 else length
            return (data[:-back], data[-back:]) if length > back else (data, b"")
    return data, b""


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
