"""The one normaliser: the values people write, read strictly (DESIGN §2.4) for file and library.

Every column of an events file and every argument of `Policy.contribution_stats` goes through
these parsers, so `yes`, `online and in person` or `١٢` mean the same (usually: a refusal
listing what is accepted) wherever they are written. A parser takes a cell (text, a JSON/YAML
scalar, or a list as a tuple) and returns `Parsed(value, errors, notes)`; problems carry the
column's name. Parsers are memoised: campaign rows repeat the same values.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from policies import event_types as vocabulary
from policies.countries import CountryError, normalize_country
from policies.problems import Problem

PARTICIPATIONS = tuple(vocabulary.PARTICIPATION_OPTIONS)  # online, in-person, hybrid
ON, OFF, AUTO = "on", "off", "auto"
SETTINGS = (ON, OFF, AUTO)
STATUSES = ("open", "closed")
MAX_ADDRESS_BYTES = 8192  # the wiki cuts a longer meeting address (contract §1.1)
MAX_INTEGER = 2**63 - 1  # PHP_INT_MAX: the wiki's integers end here
_ASCII_INTEGER = re.compile(r"[0-9]{1,19}")
_CACHE = 4096

NO_PARTICIPATION = "campaignevents-error-no-participation-options"
INVALID_PARTICIPATION = "gatebot-invalid-participation"
INVALID_SETTING = "gatebot-invalid-contribution-statistics"
INVALID_COUNTRY = "campaignevents-error-invalid-country-code"
NOT_IN_PERSON = "campaignevents-error-countryoraddress-not-in-person"


class _Nested:
    """Stands for a list or object where a scalar was expected (JSON/YAML)."""

    def __repr__(self) -> str:
        return "<a list or object>"


NESTED: Any = _Nested()


class Parsed(NamedTuple):
    """A cell's meaning; `value` is a harmless stand-in when there are errors."""

    value: Any
    errors: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def cell_key(value: Any) -> Any:
    """A hashable form of a cell for the memoised parsers: lists become tuples of scalars."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, (list, tuple)):
        return tuple(NESTED if isinstance(v, (list, tuple, dict)) else v for v in value)
    return NESTED if isinstance(value, dict) else value


def cell_text(value: Any) -> str | None:
    """A scalar cell as stripped text (JSON true/false as `true`/`false`); None when empty or
    not a scalar."""
    if type(value) is str:
        return value.strip() or None
    if value is None or value is NESTED or isinstance(value, (list, tuple, dict)):
        return None
    return (str(value).lower() if isinstance(value, bool) else str(value)).strip() or None


def refuse(code: str, column: str, message: str, value: Any = None) -> Parsed:
    """A cell the normaliser refuses: one problem in `column`, `value` as the stand-in."""
    return Parsed(value, (Problem(code, message, column),))


def _accepted(words: tuple[str, ...]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}"


def parse_text(column: str, value: Any, *, max_bytes: int | None = None) -> Parsed:
    """A free-text cell (address, URLs, goal type, tool ids): text or a number, never a list;
    at most `max_bytes` in UTF-8 when given."""
    if isinstance(value, (list, tuple, dict)) or value is NESTED:
        return refuse(
            f"gatebot-invalid-{column.replace('_', '-')}",
            column,
            f"The {column} must be text, not a list or object.",
        )
    text = cell_text(value)
    if max_bytes is not None and text and len(text) * 4 > max_bytes:
        size = len(text.encode("utf-8"))
        if size > max_bytes:
            return refuse(
                f"gatebot-{column.replace('_', '-')}-too-long",
                column,
                f"The {column} is {size} bytes long; the wiki keeps only the first "
                f"{max_bytes} and drops the rest, so shorten it.",
            )
    return Parsed(text)


@lru_cache(maxsize=_CACHE, typed=True)
def _participation(value: Any) -> Parsed:
    text = cell_text(value)
    if text is None:
        return refuse(
            NO_PARTICIPATION,
            "participation",
            f"The participation cell is empty; write {_accepted(PARTICIPATIONS)}.",
        )
    word = "-".join(text.lower().replace("_", " ").split(" ")) if text.isascii() else text
    if word not in PARTICIPATIONS:
        return refuse(
            INVALID_PARTICIPATION,
            "participation",
            f"{text!r} is not a participation option; write {_accepted(PARTICIPATIONS)}.",
        )
    return Parsed(word)


def parse_participation(value: Any) -> Parsed:
    """`online`, `in-person` (also `in person`) or `hybrid`, any letter case; nothing else."""
    return _participation(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _setting(value: Any) -> Parsed:
    if isinstance(value, bool):
        return Parsed(ON if value else OFF)
    text = cell_text(value)
    if text is None:
        return Parsed(AUTO)
    if text.lower() not in SETTINGS:
        return refuse(
            INVALID_SETTING,
            "contribution_statistics",
            f"{text!r} is not a setting; write on, off or auto (the default).",
            OFF,
        )
    return Parsed(text.lower())


def parse_requested(value: Any) -> Parsed:
    """`on`, `off`, `auto` (any letter case; empty = auto) or a real boolean; not yes/no/1/0."""
    return _setting(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _flag(column: str, value: Any) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value)
    text = cell_text(value)
    if text is None:
        return Parsed(False)
    if isinstance(value, str) and text.lower() in ("true", "false"):
        return Parsed(text.lower() == "true")
    return refuse(
        f"gatebot-invalid-{column.replace('_', '-')}",
        column,
        f"{text!r} is not a boolean; write true or false.",
        False,
    )


def parse_flag(column: str, value: Any) -> Parsed:
    """A yes/no column: `true`/`false` (any letter case) or a real boolean; empty = false."""
    return _flag(column, cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _status(value: Any) -> Parsed:
    text = cell_text(value)
    if text is None:
        return Parsed(None)
    if text.lower() not in STATUSES:
        return refuse(
            "campaignevents-error-invalid-status",
            "status",
            f"{text!r} is not a status; write open or closed.",
        )
    return Parsed(text.lower())


def parse_status(value: Any) -> Parsed:
    """`open` or `closed`, any letter case; empty = not given."""
    return _status(cell_key(value))


def _integer(value: Any) -> int | None:
    """A whole number written with ASCII digits 0-9 (or a JSON integer), within PHP's range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_INTEGER else None
    text = cell_text(value)
    if text is None:
        return None
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if not _ASCII_INTEGER.fullmatch(digits) or int(digits) > MAX_INTEGER:
        return None
    return sign * int(digits)


@lru_cache(maxsize=_CACHE, typed=True)
def _event_id(value: Any) -> Parsed:
    if cell_text(value) is None and not isinstance(value, bool):
        return Parsed(None)
    number = _integer(value)
    if number is None or number <= 0:
        return refuse(
            "campaignevents-error-invalid-id",
            "event_id",
            f"The event ID must be a positive whole number written with the digits "
            f"0-9, not {value!r}.",
        )
    return Parsed(number)


def parse_event_id(value: Any) -> Parsed:
    """A positive integer (digits 0-9 only: `²`, `١٢` and fullwidth digits are refused)."""
    return _event_id(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _goal_target(value: Any) -> Parsed:
    text = cell_text(value)
    if text is None:
        return Parsed(None)
    number = _integer(value)
    if number is None:
        return refuse(
            "campaignevents-error-goal-target-invalid",
            "goal_target",
            f"The goal target {text!r} is not a whole number written with the digits "
            "0-9; write a number such as 200.",
        )
    return Parsed(number)


def parse_goal_target(value: Any) -> Parsed:
    """A whole number (digits 0-9); whether it is at least 1 is the wiki's own check."""
    return _goal_target(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _country(value: Any) -> Parsed:
    if value is None or value == "":
        return Parsed(None)
    if type(value) is not str:
        return refuse(
            INVALID_COUNTRY,
            "country",
            f"The country {value!r} is not text; write a code such as 'DE' (quoted in YAML).",
        )
    if not value.strip():
        return Parsed(None)
    try:
        return Parsed(normalize_country(value))
    except CountryError as error:
        return refuse(INVALID_COUNTRY, "country", str(error))


def parse_country(value: Any) -> Parsed:
    """The code for a code (any case) or an English name; empty = none given."""
    return _country(cell_key(value))


def meeting_problems(
    participation: str, country_code: str | None, has_address: bool
) -> tuple[Problem, ...]:
    """The wiki's rules tying country and address to participation (contract §3.5), by column:
    an online event with a country or an address is refused (the wiki refuses it too), and an
    in-person or hybrid one needs a country."""
    if participation == "online":
        found = []
        why = "the wiki refuses a meeting {0} for an event that is not in-person: remove it, " \
              "or make participation in-person or hybrid."  # fmt: skip
        if country_code is not None:
            found.append(
                Problem(
                    NOT_IN_PERSON, f"This is an online event; {why.format('country')}", "country"
                )
            )
        if has_address:
            found.append(
                Problem(
                    NOT_IN_PERSON, f"This is an online event; {why.format('address')}", "address"
                )
            )
        return tuple(found)
    if country_code is None:
        article = "A" if participation == "hybrid" else "An"
        return (
            Problem(
                INVALID_COUNTRY,
                f"{article} {participation} event needs a country; "
                "write a code such as PT or an English name.",
                "country",
            ),
        )
    return ()
