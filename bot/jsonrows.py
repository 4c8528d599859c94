"""Read a JSON events file one event at a time: `{"defaults": {...}, "events": [...]}` (defaults
first) or a bare list of events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from bot.filerows import (
    FileRow,
    checked_defaults,
    defaults_too_late,
    mapping_row,
    open_text,
    unknown_top_level_key,
)
from bot.jsonstream import JsonStream
from policies.errors import InputError


def json_rows(path: Path) -> Iterator[FileRow]:
    """The events of a JSON file, numbered by position in `events` from 1."""
    with open_text(path) as stream:
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
    seen: set[str] = set()
    if source.peek() == "}":
        source.pos += 1
    else:
        while True:
            key = source.value()
            if not isinstance(key, str):
                raise source.fail("expected a key in double quotes")
            source.expect(":")
            if key in seen:
                raise source.fail(f"the top-level key {key!r} appears twice; keep one")
            if key == "events":
                yield from _json_events(source, defaults)
            elif key == "defaults":
                if "events" in seen:
                    raise defaults_too_late(path, "JSON")
                defaults = checked_defaults(path, source.value())
            else:
                raise unknown_top_level_key(path, key)
            seen.add(key)
            if source.expect(",}") == "}":
                break
    if "events" not in seen:
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
        yield mapping_row(number, source.value(number), defaults)
        if source.expect(",]") == "]":
            return
