"""Bounded reads of the files a person hands gatebot, and one place that turns any unreadable
input into an `InputError` naming the file and where.

Only regular files are read: a FIFO, a device (`/dev/zero`) or a folder is refused before a
byte is read, so nothing blocks or runs for ever. Parsers meet nesting and number limits here
too, so `RecursionError` and Python's int-string limit never reach the person.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from policies.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Small configuration files (policies, the sandbox's configuration, the password file).
MAX_SMALL_FILE = 1 << 20
# Deeper than any events, policy or configuration file needs; well below Python's recursion limit.
MAX_DEPTH = 32
# Python refuses to convert longer digit strings (sys.int_info.default_max_str_digits).
MAX_INT_DIGITS = 4300
_NEWLINE = b"\n"


def open_regular(path: str | Path) -> BinaryIO:
    """Open `path` for reading in binary, refusing anything that is not a regular file.

    The file is opened non-blocking (a FIFO without a writer would block `open`) and checked
    with `fstat` on the descriptor actually opened, so no rename can slip a device in between.
    """
    shown = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("no such file; check the path.", path=shown) from None
    except OSError as error:
        raise InputError(f"cannot be opened ({error.strerror}).", path=shown) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe, device or socket"
        raise InputError(f"is {kind}, not a regular file; give the path of a file.", path=shown)
    flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
    fcntl.fcntl(descriptor, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    return os.fdopen(descriptor, "rb")


def decode_utf8(data: bytes, path: str, *, offset: int = 0, line: int = 1) -> str:
    """`data` as text; a byte that is not UTF-8 or a NUL byte is an `InputError` giving its line
    and byte offset (`offset`/`line` say where `data` starts in the file)."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(
            f"line {line + data.count(_NEWLINE, 0, nul)}: a NUL byte (byte offset {offset + nul}); "
            "this is a binary file, not text. Give a UTF-8 text file.",
            path=path,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            raise InputError(
                f"the file ends in the middle of a UTF-8 character (byte offset "
                f"{offset + error.start}); save the file as UTF-8 and try again.",
                path=path,
            ) from None
        raise InputError(
            f"line {line + data.count(_NEWLINE, 0, error.start)}: byte 0x{data[error.start]:02x} "
            f"(byte offset {offset + error.start}) is not UTF-8; save the file as UTF-8 and "
            "try again.",
            path=path,
        ) from None


def refuse_utf16(head: bytes, path: str) -> None:
    """A UTF-16 byte-order mark at the start: say so rather than report a stray byte."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("the file is UTF-16; save it as UTF-8 and try again.", path=path)


def read_text(path: str | Path, *, limit: int = MAX_SMALL_FILE) -> str:
    """The whole of a small regular UTF-8 text file (a leading BOM dropped), at most `limit`
    bytes."""
    shown = str(path)
    with open_regular(path) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise InputError(f"cannot be read ({error.strerror}).", path=shown) from None
    if len(data) > limit:
        raise InputError(
            f"is larger than {limit // 1024} KiB, far more than this kind of file needs; "
            "check that this is the right file.",
            path=shown,
        )
    refuse_utf16(data[:2], shown)
    return decode_utf8(data.removeprefix(codecs.BOM_UTF8), shown)


def bounded_int(text: str) -> int:
    """`int(text)` for a parser's `parse_int`, refusing numbers Python cannot convert."""
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"a number with {len(text)} digits is longer than any field allows")
    return int(text)


@contextlib.contextmanager
def parse_guard(path: str, what: str) -> Iterator[None]:
    """Turn a parser's `RecursionError` (deep nesting) and int-string limit `ValueError` into
    an `InputError` about `path`; `what` names the format ("TOML", "JSON")."""
    try:
        yield
    except RecursionError:
        raise InputError(
            f"values are nested too deeply to be {what} gatebot reads (at most {MAX_DEPTH} "
            "levels); check the brackets.",
            path=path,
        ) from None
    except ValueError as error:
        if "digits" not in str(error):
            raise
        raise InputError(
            f"a number is too long ({error}); numbers here have a few digits at most.",
            path=path,
        ) from None


def depth(value: object, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and tables nest in a parsed value; stops counting past `limit`."""
    if limit < 0 or not isinstance(value, dict | list):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((depth(child, limit - 1) for child in children), default=0)


def check_depth(value: object, path: str) -> None:
    """Refuse a parsed value nested deeper than `MAX_DEPTH`."""
    if depth(value) > MAX_DEPTH:
        raise InputError(
            f"values are nested more than {MAX_DEPTH} levels deep; no field needs that. "
            "Check the brackets.",
            path=path,
        )


def read_toml(path: str | Path) -> dict[str, Any]:
    """A small TOML file, read and parsed within the limits above."""
    shown = str(path)
    text = read_text(path)
    try:
        with parse_guard(shown, "TOML"):
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"is not valid TOML: {error}.", path=shown) from None
    check_depth(data, shown)
    return data
