"""The sandbox wiki's configuration: the built-in `default.toml`, optionally overlaid by a file.

Everything a tester may want the sandbox to disagree with gatebot about lives here (disallowed
countries, daily limits, zones, accounts, rate limits, faults), so no code change is needed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from policies.errors import GatebotError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")


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
    """Fault injection: random 503s, dropped connections after writes."""

    error_rate: float = 0.0
    retry_after: int = 5
    drop_after_write_rate: float = 0.0
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
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise SandboxConfigError(
            f"{path}: cannot read the sandbox configuration ({error.strerror}); "
            "check the path given to --config."
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise SandboxConfigError(f"{path}: not valid TOML ({error}); fix the file.") from error


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


def load_config(path: Path | str | None = None) -> SandboxConfig:
    """Read `default.toml`, overlay `path` if given, and check the values that can go wrong."""
    raw = _read(DEFAULT_CONFIG)
    source = str(DEFAULT_CONFIG)
    if path is not None:
        overlay = _read(Path(path))
        raw = _merge(raw, overlay)
        source = str(path)
    try:
        wiki, ce, growth = raw["wiki"], raw["campaignevents"], raw["growth"]
        groups = {name: tuple(rights) for name, rights in raw["groups"].items()}
        countries = ce["disallowed_countries"]
        if not isinstance(countries, dict):
            raise SandboxConfigError(
                f"{source}: campaignevents.disallowed_countries must be a table of "
                'CODE = "Name" (only the codes count), e.g. BY = "Belarus".'
            )
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
            faults=Faults(**raw.get("faults", {})),
            group_rights=groups,
            accounts=_accounts(raw["users"], groups, source),
        )
    except KeyError as error:
        raise SandboxConfigError(f"{source}: missing key {error.args[0]!r}.") from error
    except TypeError as error:
        raise SandboxConfigError(f"{source}: a value has the wrong type ({error}).") from error
