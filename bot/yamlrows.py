"""Read a YAML events file one event at a time, from the parser's event stream.

Values follow YAML 1.2's core schema, not PyYAML's YAML 1.1: `+10:00` and `1:30` stay text
(not base-60 numbers), `NO`/`on` stay text, dates stay text for gatebot's own date rules, and
only `true`/`false` are booleans. Anchors and aliases are refused (an alias can expand without
bound: "billion laughs"), so are tags other than the core ones and a key given twice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.filerows import (
    MAX_ROW_CHARS,
    FileRow,
    checked_defaults,
    defaults_too_late,
    mapping_row,
    open_text,
    too_long,
    unknown_top_level_key,
)
from policies.errors import InputError
from policies.reading import MAX_DEPTH, bounded_int

# The parser only; values are built here. libyaml's parser when PyYAML has it (ten times faster).
_PARSER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCTAL_OR_HEX = re.compile(r"^0(?:o[0-7]+|x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_BOOL_TAG = _CORE + "bool"
# Explicit core tags (`!!int 5`) and the values each allows.
_TAG_TYPES: dict[str, type | tuple[type, ...]] = {
    _CORE + "int": int, _CORE + "float": (float, int), _BOOL_TAG: bool, _CORE + "null": type(None),
}  # fmt: skip
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


def _core_value(text: str) -> Any:
    """A plain scalar as YAML 1.2's core schema reads it."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return bounded_int(text)
    if _OCTAL_OR_HEX.match(text):
        return int(text[2:], 8 if text[1] == "o" else 16)
    if _FLOAT.match(text):
        return float(text)
    if _SPECIAL_FLOAT.match(text):
        return math.nan if "a" in text.lower() else (-math.inf if text[0] == "-" else math.inf)
    return text


class _Budget:
    """A text stream that refuses to hand over more than `MAX_ROW_CHARS` per event."""

    def __init__(self, stream: TextIO, path: Path):
        self.stream, self.path, self.used = stream, path, 0
        self.row: int | None = None

    def read(self, size: int = -1) -> str:
        text = self.stream.read(size if size > 0 else MAX_ROW_CHARS)
        self.used += len(text)
        if self.used > MAX_ROW_CHARS:
            raise too_long(self.path, "the text of this event", self.row)
        return text


class _Events:
    """The parser's events, with anchors and aliases refused and values built on request."""

    def __init__(self, path: Path, stream: TextIO):
        self.path, self.budget = path, _Budget(stream, path)
        self.parser = _PARSER(self.budget)
        self.row: int | None = None

    def start_row(self, row: int | None) -> None:
        self.row = self.budget.row = row
        self.budget.used = 0

    def peek(self) -> yaml.Event:
        return self.parser.peek_event()

    def next(self) -> yaml.Event:
        event = self.parser.get_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise self.fail(
                "YAML anchors and aliases (&name, *name) are not accepted in events files, since "
                "an alias can expand without bound; write the value out, or put what every "
                "event shares under 'defaults:'",
                event,
            )
        return event

    def fail(self, what: str, event: yaml.Event, field: str | None = None) -> InputError:
        mark = event.start_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return InputError(
            f"{where}{what}.",
            path=str(self.path),
            row=self.row,
            field=field,
        )

    def value(self, depth: int = 1) -> Any:
        """The next complete value (scalar, list or mapping)."""
        event = self.next()
        if depth > MAX_DEPTH:
            raise self.fail(f"values are nested more than {MAX_DEPTH} levels deep", event)
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event)
        self._check_tag(event, "seq" if isinstance(event, yaml.SequenceStartEvent) else "map")
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(self.peek(), yaml.SequenceEndEvent):
                items.append(self.value(depth + 1))
            self.next()
            return items
        result: dict[Any, Any] = {}
        while not isinstance(self.peek(), yaml.MappingEndEvent):
            key_event = self.peek()
            key = self.key()
            if key in result:
                raise self.fail(
                    f"the key {str(key)!r} appears twice; keep one of them", key_event, str(key)
                )
            result[key] = self.value(depth + 1)
        self.next()
        return result

    def key(self) -> Any:
        """A mapping key: a scalar (a list or mapping as a key means nothing in an events file)."""
        event = self.next()
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail("a key must be a plain name such as event_page", event)
        return self._scalar(event)

    def _check_tag(self, event: yaml.Event, kind: str) -> None:
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _CORE + kind):
            raise self.fail(
                f"the YAML tag {tag} is not accepted; write plain values (quote text if needed)",
                event,
            )

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag in ("!", _CORE + "str") or (tag is None and not event.implicit[0]):
            return text
        if tag is not None and tag not in _TAG_TYPES:
            self._check_tag(event, "str")
        try:
            value = _core_value(text)
        except ValueError as error:
            raise self.fail(f"a number is too long ({error})", event) from None
        if tag is None:
            return value
        if not isinstance(value, _TAG_TYPES[tag]) or isinstance(value, bool) != (tag == _BOOL_TAG):
            raise self.fail(f"{text!r} is not a valid {tag}", event)
        return float(text) if tag == _CORE + "float" and _FLOAT.match(text) else value


def yaml_rows(path: Path) -> Iterator[FileRow]:
    """The events of every document of a YAML file, numbered by position from 1."""
    with open_text(path) as stream:
        events = _Events(path, stream)
        try:
            events.next()  # the stream's start
            number, documents = 0, 0
            while isinstance(events.peek(), yaml.DocumentStartEvent):
                events.next()
                documents += 1
                number = yield from _document(path, events, number)
                events.next()  # the document's end
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise InputError(
                f"{where}not valid YAML ({reason}); fix the file and try again.",
                path=str(path),
                row=events.row,
            ) from None
    if not documents:
        raise InputError(
            "the file holds no events, only comments or blank lines; write 'events:' and a "
            "list with one entry per event.",
            path=str(path),
        )


def _document(path: Path, events: _Events, number: int) -> Generator[FileRow, None, int]:
    """Yield one document's events (a list, or a mapping with events and defaults)."""
    start = events.peek()
    if isinstance(start, yaml.SequenceStartEvent):
        return (yield from _events_list(events, number, {}))
    if not isinstance(start, yaml.MappingStartEvent):
        raise events.fail(
            "expected 'events:' with a list of events (and optionally 'defaults:')", start
        )
    events.next()
    defaults: Mapping[str, Any] = {}
    seen: set[Any] = set()
    while not isinstance(events.peek(), yaml.MappingEndEvent):
        events.start_row(None)
        key_event = events.peek()
        key = events.key()
        if key in seen:
            raise events.fail(f"the top-level key {str(key)!r} appears twice; keep one", key_event)
        if key == "defaults":
            if "events" in seen:
                raise defaults_too_late(path, "YAML")
            defaults = checked_defaults(path, events.value())
        elif key == "events":
            if not isinstance(events.peek(), yaml.SequenceStartEvent):
                raise InputError(
                    "'events' must be a list of events.", path=str(path), field="events"
                )
            number = yield from _events_list(events, number, defaults)
        else:
            raise unknown_top_level_key(path, key)
        seen.add(key)
    events.next()
    if "events" not in seen:
        raise InputError(
            "expected 'events:' with a list of events (and optionally 'defaults:').", path=str(path)
        )
    return number


def _events_list(
    events: _Events, number: int, defaults: Mapping[str, Any]
) -> Generator[FileRow, None, int]:
    """Yield each entry of an `events` list as a row; returns the last row number."""
    events._check_tag(events.next(), "seq")
    while not isinstance(events.peek(), yaml.SequenceEndEvent):
        number += 1
        events.start_row(number)
        yield mapping_row(number, events.value(2), defaults)
    events.next()
    return number
