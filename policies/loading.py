"""Read and validate policy files; every error names the file and key and shows the right form.

A policy is two TOML files, `contribution_stats.toml` and `daily_limits.toml`. Keys a file leaves
out keep the shipped default values (`policies/default/`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from policies.countries import (
    CAMPAIGNEVENTS_COUNTRY_CODES,
    CountryError,
    country_name,
    normalize_country,
    suggestions_for,
)
from policies.daily_limits import ACCEPTED, REJECTED, TASK_TYPE_IDS, outcome_name
from policies.errors import InputError, PolicyError
from policies.event_types import (
    CONTRIBUTION_TYPE_IDS,
    EVENT_TYPE_IDS,
    canonical_order,
    id_for,
    is_event_type,
)
from policies.reading import read_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONTRIBUTION_STATS_FILE = "contribution_stats.toml"
DAILY_LIMITS_FILE = "daily_limits.toml"
_STATS_KEYS = ("source", "reviewed", "contribution_types", "disallowed_countries")
_LIMITS_KEYS = ("counted_outcomes", "max_per_day")
# Far above any day's answers, and within the 64-bit integers the ledger (SQLite) compares.
MAX_DAILY_LIMIT = 1_000_000
# Keys that describe the shipped list itself; a user's own list does not inherit them.
_PROVENANCE_KEYS = ("source", "reviewed")


@dataclass(frozen=True)
class ContributionStatsPolicy:
    """The validated contents of contribution_stats.toml; `origin` is where they came from."""

    contribution_types: tuple[str, ...]
    disallowed_countries: dict[str, str]
    source: str | None
    reviewed: date | None
    origin: str


@dataclass(frozen=True)
class DailyLimitsPolicy:
    """The validated contents of daily_limits.toml; `origin` is where they came from."""

    max_per_day: dict[str, int]
    counted_outcomes: frozenset[str]
    origin: str


def _default_text(name: str) -> tuple[dict[str, Any], str]:
    resource = resources.files("policies").joinpath("default").joinpath(name)
    return tomllib.loads(resource.read_text(encoding="utf-8")), f"built-in default {name}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except InputError as error:
        raise PolicyError(error.reason, path=str(path)) from None


def _check_keys(data: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in data:
        if key not in allowed:
            raise PolicyError(
                f"unknown key; this file may contain {', '.join(allowed)}.", path=path, key=key
            )


def _contribution_types(value: Any, path: str) -> tuple[str, ...]:
    example = 'contribution_types = ["editing-event", "contest"]'
    if not isinstance(value, list) or not value:
        raise PolicyError(
            f"must be a non-empty list of event type ids, e.g. {example}.",
            path=path,
            key="contribution_types",
        )
    for item in value:
        if isinstance(item, str) and item in EVENT_TYPE_IDS:
            continue
        hint = (
            f"write its id {id_for(item)!r}"
            if isinstance(item, str) and is_event_type(item)
            else f"use one of {', '.join(EVENT_TYPE_IDS)}"
        )
        raise PolicyError(
            f"{item!r} is not a CampaignEvents event type id; {hint}.",
            path=path,
            key="contribution_types",
        )
    looser = [item for item in value if item not in CONTRIBUTION_TYPE_IDS]
    if looser:
        raise PolicyError(
            f"{', '.join(map(repr, looser))} cannot have contribution statistics on the wiki, "
            "which allows them only for " + ", ".join(CONTRIBUTION_TYPE_IDS) + "; a policy may "
            "list fewer of these, never others.",
            path=path,
            key="contribution_types",
        )
    return tuple(canonical_order(value))


def _list_as_table_hint(items: list[Any]) -> str:
    """Show a list of countries rewritten as the table the file needs."""
    lines = []
    for item in items[:2]:
        try:
            code = normalize_country(str(item))
        except CountryError:
            continue
        name = country_name(code) if str(item).strip().upper() == code else item
        lines.append(f'{code} = "{name}"')
    example = "; ".join(lines) or 'BY = "Belarus"'
    return f'write a [disallowed_countries] table with one CODE = "Name" line each, e.g. {example}'


def _country_entry(key: str, name: Any, path: str) -> str:
    where = f"disallowed_countries.{key}"
    code = key.upper()
    if code in CAMPAIGNEVENTS_COUNTRY_CODES and key != code:
        raise PolicyError(
            f"country codes are written in capitals, as the wiki stores them; write {code} = "
            f'"{name if isinstance(name, str) else country_name(code)}".',
            path=path,
            key=where,
        )
    if code not in CAMPAIGNEVENTS_COUNTRY_CODES:
        try:
            real = normalize_country(key)
        except CountryError:
            close = ", ".join(suggestions_for(key)) or "BY"
            raise PolicyError(
                f"{key!r} is not a country code CampaignEvents knows; use a two-letter code "
                f"such as {close}.",
                path=path,
                key=where,
            ) from None
        kind = "a three-letter code" if len(key) == 3 else "a country name"
        shown = name if isinstance(name, str) else country_name(real)
        raise PolicyError(
            f'{key!r} is {kind}, not a two-letter code; write {real} = "{shown}".',
            path=path,
            key=where,
        )
    if not isinstance(name, str):
        raise PolicyError(
            f'the name must be text in quotes, e.g. {code} = "Belarus".', path=path, key=where
        )
    return code


def _disallowed_countries(value: Any, path: str) -> dict[str, str]:
    if isinstance(value, list):
        raise PolicyError(
            f"must be a table of codes, not a list (the server uses only the codes); "
            f"{_list_as_table_hint(value)}.",
            path=path,
            key="disallowed_countries",
        )
    if not isinstance(value, dict):
        raise PolicyError(
            'must be a table: a [disallowed_countries] line, then lines like BY = "Belarus".',
            path=path,
            key="disallowed_countries",
        )
    return {_country_entry(key, name, path): name for key, name in value.items()}


def _reviewed(value: Any, path: str) -> date | None:
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PolicyError(
            "must be a date such as reviewed = 2026-08-21.", path=path, key="reviewed"
        ) from None


def _source(value: Any, path: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise PolicyError(
            'must be text in quotes, e.g. source = "wmf-config".', path=path, key="source"
        )
    return value


def parse_contribution_stats(data: dict[str, Any], origin: str) -> ContributionStatsPolicy:
    """Validate contribution_stats.toml contents (already merged over the defaults)."""
    _check_keys(data, _STATS_KEYS, origin)
    return ContributionStatsPolicy(
        contribution_types=_contribution_types(data.get("contribution_types"), origin),
        disallowed_countries=_disallowed_countries(data.get("disallowed_countries", {}), origin),
        source=_source(data.get("source"), origin),
        reviewed=_reviewed(data.get("reviewed"), origin),
        origin=origin,
    )


def _limit_entry(task_type: Any, limit: Any, path: str) -> tuple[str, int]:
    where = f"max_per_day.{task_type}"
    hyphenated = str(task_type).replace("_", "-")
    if task_type not in TASK_TYPE_IDS:
        hint = (
            f"write it with hyphens, as the API does: {hyphenated}"
            if hyphenated in TASK_TYPE_IDS
            else f"use one of {', '.join(TASK_TYPE_IDS)}"
        )
        raise PolicyError(f"unknown task type; {hint}.", path=path, key=where)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_DAILY_LIMIT:
        shown = repr(limit) if len(repr(limit)) <= 30 else f"a {len(repr(limit))}-digit number"
        raise PolicyError(
            f"{shown} is not a limit; write a whole number from 1 to {MAX_DAILY_LIMIT:,}, e.g. "
            f"{task_type} = 25.",
            path=path,
            key=where,
        )
    return task_type, limit


def _counted_outcomes(value: Any, path: str) -> frozenset[str]:
    example = 'counted_outcomes = ["accepted", "rejected"]'
    if not isinstance(value, list):
        raise PolicyError(f"must be a list, e.g. {example}.", path=path, key="counted_outcomes")
    try:
        counted = frozenset(outcome_name(item) for item in value)
    except ValueError as error:
        raise PolicyError(f"{error} E.g. {example}.", path=path, key="counted_outcomes") from None
    missing = [name for name in (ACCEPTED, REJECTED) if name not in counted]
    if missing:
        raise PolicyError(
            f"must count {' and '.join(missing)}: the wiki counts accepted and rejected "
            f"answers toward the limit, and a policy may count more, never fewer; e.g. "
            f"{example}.",
            path=path,
            key="counted_outcomes",
        )
    return counted


def parse_daily_limits(data: dict[str, Any], origin: str) -> DailyLimitsPolicy:
    """Validate daily_limits.toml contents (already merged over the defaults)."""
    _check_keys(data, _LIMITS_KEYS, origin)
    table = data.get("max_per_day", {})
    if not isinstance(table, dict):
        raise PolicyError(
            "must be a table: a [max_per_day] line, then lines like image-recommendation = 25.",
            path=origin,
            key="max_per_day",
        )
    return DailyLimitsPolicy(
        max_per_day=dict(_limit_entry(key, value, origin) for key, value in table.items()),
        counted_outcomes=_counted_outcomes(data.get("counted_outcomes", []), origin),
        origin=origin,
    )


def _policy_file(path: Path) -> tuple[str, tuple[dict[str, Any], str]]:
    """One policy file, recognised by its name only (a guess from its keys could be wrong)."""
    if path.name not in (CONTRIBUTION_STATS_FILE, DAILY_LIMITS_FILE):
        raise PolicyError(
            f"unexpected policy file name; a policy file is called {CONTRIBUTION_STATS_FILE} or "
            f"{DAILY_LIMITS_FILE} (a policy folder holds one or both, and nothing else but "
            "hidden files).",
            path=str(path),
        )
    return path.name, (_read_toml(path), str(path))


def _user_files(path: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """The policy files the user gave: a folder's one or two files, or one file of either kind."""
    if not path.exists():
        raise PolicyError("no such file or folder; check the path.", path=str(path))
    if not path.is_dir():
        return dict([_policy_file(path)])
    found = dict(
        _policy_file(child) for child in sorted(path.iterdir()) if not child.name.startswith(".")
    )
    if not found:
        raise PolicyError(
            f"holds no {CONTRIBUTION_STATS_FILE} or {DAILY_LIMITS_FILE}.", path=str(path)
        )
    return found


def read_policy(
    path: str | Path | None = None,
) -> tuple[ContributionStatsPolicy, DailyLimitsPolicy]:
    """Both policies from a folder or file (the rest from the shipped defaults), validated."""
    user = _user_files(Path(path)) if path is not None else {}
    merged = {}
    for name in (CONTRIBUTION_STATS_FILE, DAILY_LIMITS_FILE):
        defaults, origin = _default_text(name)
        if name in user:
            data, origin = user[name]
            defaults = {k: v for k, v in defaults.items() if k not in _PROVENANCE_KEYS}
            defaults.update(data)
        merged[name] = (defaults, origin)
    return (
        parse_contribution_stats(*merged[CONTRIBUTION_STATS_FILE]),
        parse_daily_limits(*merged[DAILY_LIMITS_FILE]),
    )
