"""Parse a large JSON document a value at a time, so events files stream in constant memory.

The standard library's `raw_decode` does the parsing; this only keeps a window of text, knows
when a value may be cut off at the window's edge, and counts lines for error messages. Each
value is bounded: its length, its nesting, the digits of its numbers, and no key twice.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from policies.errors import InputError
from policies.reading import MAX_DEPTH, bounded_int, depth

CHUNK = 1 << 16
MAX_VALUE_CHARS = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")


class _DuplicateKey(Exception):
    """An object names the same key twice (JSON leaves the meaning open; gatebot refuses)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_unique, parse_int=bounded_int)


class JsonStream:
    """A window over a JSON text stream that parses one value at a time with raw_decode."""

    def __init__(self, path: str, stream: TextIO):
        self.path, self.stream = path, stream
        self.buffer, self.pos, self.eof, self.lines_before = "", 0, False, 0

    def _more(self) -> bool:
        if self.eof:
            return False
        text = self.stream.read(CHUNK)
        if not text:
            self.eof = True
            return False
        self.lines_before += self.buffer.count("\n", 0, self.pos)
        self.buffer, self.pos = self.buffer[self.pos :] + text, 0
        return True

    def line(self) -> int:
        return self.lines_before + self.buffer.count("\n", 0, self.pos) + 1

    def fail(self, what: str, row: int | None = None, field: str | None = None) -> InputError:
        return InputError(
            f"line {self.line()}: {what}; fix the JSON and try again.",
            path=self.path,
            row=row,
            field=field,
        )

    def peek(self) -> str:
        """The next non-space character ('' at the end), without consuming it."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            shown = repr(found) if found else "the end of the file"
            raise self.fail(f"expected {' or '.join(repr(c) for c in chars)}, found {shown}")
        self.pos += 1
        return found

    def value(self, row: int | None = None) -> Any:
        """The next value; `row` is the event it belongs to, for messages."""
        self.peek()
        while True:
            try:
                parsed, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                incomplete = len(self.buffer) - error.pos <= 8 or error.msg.startswith(
                    "Unterminated string"
                )
                if incomplete and len(self.buffer) - self.pos > MAX_VALUE_CHARS:
                    raise self.fail(
                        f"one value is longer than {MAX_VALUE_CHARS:,} characters, far more "
                        "than an event needs",
                        row,
                    ) from None
                if incomplete and self._more():
                    continue
                self.pos = error.pos
                raise self.fail(error.msg.lower(), row) from None
            except _DuplicateKey as duplicate:
                raise self.fail(
                    f"key {duplicate.key!r} appears twice in one object; keep one of them",
                    row,
                    duplicate.key,
                ) from None
            except RecursionError:
                raise self.fail(
                    f"values are nested too deeply (at most {MAX_DEPTH})", row
                ) from None
            except ValueError as error:
                raise self.fail(str(error), row) from None
            if end == len(self.buffer) and self._more():
                continue
            if depth(parsed) > MAX_DEPTH:
                raise self.fail(f"values are nested more than {MAX_DEPTH} levels deep", row)
            self.pos = end
            return parsed
