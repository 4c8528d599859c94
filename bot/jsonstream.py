"""Parse a large JSON document a value at a time, so events files stream in constant memory.

The standard library's `raw_decode` does the parsing; this only keeps a window of text, knows
when a value may be cut off at the window's edge, and counts lines for error messages.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from policies.errors import InputError

CHUNK = 1 << 16
MAX_VALUE_CHARS = 1 << 24
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


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

    def fail(self, what: str) -> InputError:
        return InputError(
            f"line {self.line()}: {what}; fix the JSON and try again.", path=self.path
        )

    def peek(self) -> str:
        """The next non-space character ('' at the end), without consuming it."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()
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

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                parsed, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                incomplete = len(self.buffer) - error.pos <= 8 or error.msg.startswith(
                    "Unterminated string"
                )
                if incomplete and len(self.buffer) - self.pos < MAX_VALUE_CHARS and self._more():
                    continue
                self.pos = error.pos
                raise self.fail(error.msg.lower()) from None
            if end == len(self.buffer) and self._more():
                continue
            self.pos = end
            return parsed
