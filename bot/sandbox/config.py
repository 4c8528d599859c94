"""The sandbox wiki's configuration: the built-in `default.toml`, optionally overlaid by a file.

Everything a tester may want the sandbox to disagree with gatebot about lives here (disallowed
countries, daily limits, zones, accounts, rate limits, faults), so no code change is needed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from policies.errors import GatebotError, InputError
from policies.reading import read_toml

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
# "local": the wiki's own search suggester, which counts answers in qualityGateConfig; "remote":
# a remote or static suggester (Patch Demo wikis), whose qualityGateConfig is always [].
SUGGESTERS = ("local", "remote")
# What an overloaded or failing Wikimedia front end answers (Varnish, the app servers).
FAULT_STATUSES = (429, 500, 502, 503, 504)


class SandboxConfigError(GatebotError):
    """The sandbox configuration file is unreadable or malformed; names the file and key."""


@dataclass(frozen=True, kw_only=True)
class Account:
    """One wiki account; `user_id` is both its local and its central id."""

    user_id: int
    name: str
    groups: tuple[str, ...]
    rights: frozenset[str]
    appid: str
    password: str = field(repr=False)
    timecorrection: str
    options: dict[str, str]
    rate_limits: dict[str, tuple[int, int]]

    @property
    def login_name(self) -> str:
        return f"{self.name}@{self.appid}"

    def implicit_groups(self) -> list[str]:
        """Groups as `meta=userinfo` lists them: explicit first, then the implicit ones."""
        implicit = ["*", "user"]
        if "autoconfirmed" in self.rights:
            implicit.append("autoconfirmed")
        return [*[g for g in self.groups if g != "autoconfirmed"], *implicit]


@dataclass(frozen=True)
class Faults:
    """Fault injection: random 5xx/429 answers, maxlag refusals, dropped connections and
    HTTP 500s after writes."""

    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (503,)
    retry_after: int = 5
    drop_after_write_rate: float = 0.0
    error_after_write_rate: float = 0.0
    maxlag_rate: float = 0.0
    random_seed: int = 7


@dataclass(frozen=True)
class SandboxConfig:
    """The whole configuration of one sandbox wiki."""

    wiki_id: str
    sitename: str
    timezone: str
    content_language: str
    lag: int
    latency_ms: int
    farm_wikis: tuple[str, ...]
    event_namespaces: tuple[int, ...]
    contribution_types: tuple[str, ...]
    topics: tuple[str, ...]
    disallowed_countries: dict[str, str]
    task_types: tuple[str, ...]
    growth_config_version: str
    minimum_caption_length: int
    max_tasks_per_day: dict[str, int]
    faults: Faults
    group_rights: dict[str, tuple[str, ...]]
    accounts: tuple[Account, ...] = field(default_factory=tuple)
    suggester: str = "local"

    def account(self, name: str) -> Account | None:
        """The account called `name` (first letter case-insensitive, like MediaWiki)."""
        wanted = name[:1].upper() + name[1:]
        return next((a for a in self.accounts if a.name == wanted), None)

    def account_by_id(self, user_id: int) -> Account | None:
        return self.accounts[user_id - 1] if 0 < user_id <= len(self.accounts) else None

    def with_latency(self, latency_ms: int) -> SandboxConfig:
        return replace(self, latency_ms=latency_ms)


# Tables that a configuration file replaces as a whole instead of merging key by key.
REPLACED_TABLES = frozenset({("campaignevents", "disallowed_countries")})


def _merge(
    base: dict[str, Any], overlay: dict[str, Any], path: tuple[str, ...] = ()
) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        here = (*path, key)
        if (
            isinstance(value, dict)
            and isinstance(merged.get(key), dict)
            and here not in REPLACED_TABLES
        ):
            merged[key] = _merge(merged[key], value, here)
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except InputError as error:
        raise SandboxConfigError(f"{error}; check the file given to --config.") from None


# What a value must be: a check returning None, or where inside the value the fault is (".key",
# "[2]" or ""), the faulty part, and what it must be instead.
Fault = tuple[str, Any, str]
Rule = Callable[[Any], Fault | None]


def _text(value: Any) -> Fault | None:
    return None if isinstance(value, str) else ("", value, "must be text in quotes")


def _whole(least: int | None) -> Rule:
    def check(value: Any) -> Fault | None:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and (least is None or value >= least):
            return None
        return (
            "",
            value,
            "must be a whole number" + (f" of at least {least}" if least is not None else ""),
        )

    return check


def _share(value: Any) -> Fault | None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return None if number and 0 <= value <= 1 else ("", value, "must be a share from 0 to 1")


def _list_of(rule: Rule) -> Rule:
    def check(value: Any) -> Fault | None:
        if not isinstance(value, list):
            return "", value, "must be a list [...]"
        for position, item in enumerate(value, start=1):
            if fault := rule(item):
                return f"[{position}]{fault[0]}", fault[1], fault[2]
        return None

    return check


def _table_of(rule: Rule) -> Rule:
    def check(value: Any) -> Fault | None:
        if not isinstance(value, dict):
            return "", value, "must be a table"
        for key, item in value.items():
            if fault := rule(item):
                return f".{key}{fault[0]}", fault[1], fault[2]
        return None

    return check


def _rate(value: Any) -> Fault | None:
    pair = isinstance(value, list) and len(value) == 2
    if pair and not any(_whole(1)(part) for part in value):
        return None
    return "", value, "must be [hits, seconds], two whole numbers of at least 1, e.g. [5, 60]"


def _fault_statuses(value: Any) -> Fault | None:
    known = ", ".join(str(status) for status in FAULT_STATUSES)
    if value == []:
        return "", value, f"must name at least one of {known}"
    if not isinstance(value, list):
        return "", value, "must be a list [...]"
    for position, item in enumerate(value, start=1):
        if item not in FAULT_STATUSES or isinstance(item, bool):
            return f"[{position}]", item, f"must be one of {known}"
    return None


def _one_of(*choices: str) -> Rule:
    def check(value: Any) -> Fault | None:
        if value in choices:
            return None
        return "", value, "must be one of " + ", ".join(repr(choice) for choice in choices)

    return check


def _countries(value: Any) -> Fault | None:
    if not isinstance(value, dict):
        return (
            "",
            value,
            'must be a table of CODE = "Name" (only the codes count), e.g. BY = "Belarus"',
        )
    return _table_of(_text)(value)


_SCHEMA: dict[str, dict[str, Rule]] = {
    "wiki": {
        "id": _text, "sitename": _text, "timezone": _text, "content_language": _text,
        "lag": _whole(None), "latency_ms": _whole(0), "farm_wikis": _list_of(_text),
    },
    "campaignevents": {
        "event_namespaces": _list_of(_whole(0)), "contribution_types": _list_of(_text),
        "topics": _list_of(_text), "disallowed_countries": _countries,
    },
    "growth": {
        "task_types": _list_of(_text), "config_version": _text,
        "minimum_caption_length": _whole(0), "max_tasks_per_day": _table_of(_whole(1)),
        "suggester": _one_of(*SUGGESTERS),
    },
    "faults": {
        "error_rate": _share, "error_statuses": _fault_statuses,
        "retry_after": _whole(0), "drop_after_write_rate": _share, "maxlag_rate": _share,
        "error_after_write_rate": _share, "random_seed": _whole(None),
    },
}  # fmt: skip
_USER_SCHEMA: dict[str, Rule] = {
    "name": _text, "password": _text, "groups": _list_of(_text), "appid": _text,
    "timecorrection": _text, "options": _table_of(_text), "rate_limits": _table_of(_rate),
}  # fmt: skip


def _unknown(key: str, known: Iterable[str], where: str, source: str) -> SandboxConfigError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return SandboxConfigError(
        f"{source}: unknown key {where}{key!r}; {hint}known: {', '.join(known)}."
    )


def _check_table(table: Any, rules: dict[str, Rule], where: str, source: str) -> None:
    if not isinstance(table, dict):
        raise SandboxConfigError(f"{source}: {where.rstrip('.')} must be a table [...].")
    for key, value in table.items():
        if key not in rules:
            raise _unknown(key, rules, where, source)
        if fault := rules[key](value):
            inside, part, why = fault
            raise SandboxConfigError(f"{source}: {where}{key}{inside} = {part!r} {why}.")


def check_values(raw: dict[str, Any], source: str) -> None:
    """Refuse unknown tables and keys and values the sandbox cannot mean, naming the key."""
    for table, value in raw.items():
        if table in _SCHEMA:
            _check_table(value, _SCHEMA[table], f"{table}.", source)
        elif table == "groups":
            _check_table({"groups": value}, {"groups": _table_of(_list_of(_text))}, "", source)
        elif table != "users":
            raise _unknown(table, [*_SCHEMA, "groups", "users"], "", source)
    users = raw.get("users", [])
    if not isinstance(users, list) or not all(isinstance(u, dict) for u in users):
        raise SandboxConfigError(f"{source}: users must be [[users]] tables.")
    names: list[str] = []
    for position, user in enumerate(users, start=1):
        _check_table(user, _USER_SCHEMA, f"users[{position}].", source)
        name = str(user.get("name", ""))
        if name[:1].upper() + name[1:] in names:
            raise SandboxConfigError(
                f"{source}: users[{position}].name {name!r} is taken by an earlier user."
            )
        names.append(name[:1].upper() + name[1:])


def _accounts(
    raw: list[dict[str, Any]], groups: dict[str, tuple[str, ...]], source: str
) -> tuple[Account, ...]:
    accounts = []
    for position, entry in enumerate(raw, start=1):
        try:
            user_groups = tuple(entry.get("groups", []))
            rights = set(groups.get("*", ())) | set(groups.get("user", ()))
            for group in user_groups:
                rights |= set(groups.get(group, ()))
            limits = {
                action: (int(pair[0]), int(pair[1]))
                for action, pair in entry.get("rate_limits", {}).items()
            }
            accounts.append(
                Account(
                    user_id=position,
                    name=str(entry["name"]),
                    groups=user_groups,
                    rights=frozenset(rights),
                    appid=str(entry.get("appid", "gatebot")),
                    password=str(entry["password"]),
                    timecorrection=str(entry.get("timecorrection", "System|0")),
                    options={k: str(v) for k, v in entry.get("options", {}).items()},
                    rate_limits=limits,
                )
            )
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise SandboxConfigError(
                f"{source}: users entry {position} is malformed ({error!r}); each needs "
                "name, password and optional groups, appid, timecorrection, rate_limits."
            ) from error
    return tuple(accounts)


def _faults(table: dict[str, Any]) -> Faults:
    statuses = table.get("error_statuses", Faults.error_statuses)
    return Faults(**{**table, "error_statuses": tuple(statuses)})


def load_config(path: Path | str | None = None) -> SandboxConfig:
    """Read `default.toml`, overlay `path` if given, and check the values that can go wrong."""
    raw = _read(DEFAULT_CONFIG)
    source = str(DEFAULT_CONFIG)
    if path is not None:
        overlay = _read(Path(path))
        raw = _merge(raw, overlay)
        source = str(path)
    check_values(raw, source)
    try:
        wiki, ce, growth = raw["wiki"], raw["campaignevents"], raw["growth"]
        groups = {name: tuple(rights) for name, rights in raw["groups"].items()}
        countries = ce["disallowed_countries"]
        try:
            ZoneInfo(wiki["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise SandboxConfigError(
                f"{source}: wiki.timezone {wiki['timezone']!r} is not an IANA zone name; "
                "use e.g. 'UTC' or 'Europe/Berlin'."
            ) from error
        return SandboxConfig(
            wiki_id=wiki["id"],
            sitename=wiki["sitename"],
            timezone=wiki["timezone"],
            content_language=wiki["content_language"],
            lag=int(wiki["lag"]),
            latency_ms=int(wiki["latency_ms"]),
            farm_wikis=tuple(wiki["farm_wikis"]),
            event_namespaces=tuple(int(n) for n in ce["event_namespaces"]),
            contribution_types=tuple(ce["contribution_types"]),
            topics=tuple(ce["topics"]),
            disallowed_countries={str(k).upper(): str(v) for k, v in countries.items()},
            task_types=tuple(growth["task_types"]),
            growth_config_version=str(growth["config_version"]),
            minimum_caption_length=int(growth["minimum_caption_length"]),
            max_tasks_per_day={k: int(v) for k, v in growth["max_tasks_per_day"].items()},
            suggester=str(growth["suggester"]),
            faults=_faults(raw.get("faults", {})),
            group_rights=groups,
            accounts=_accounts(raw["users"], groups, source),
        )
    except KeyError as error:
        raise SandboxConfigError(f"{source}: missing key {error.args[0]!r}.") from error
    except TypeError as error:
        raise SandboxConfigError(f"{source}: a value has the wrong type ({error}).") from error
