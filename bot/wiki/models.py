"""What the wiki tells gatebot about the user, the site, and a REST call's answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# userinfo properties gatebot asks for in one request.
USERINFO_PROPS = "groups|rights|options|ratelimits|centralids|blockinfo"


@dataclass(frozen=True)
class ApiWarning:
    """One warning the wiki attached to an answer: the module (or REST route) that gave
    it, its code or message key where the wiki sends one, and its text."""

    module: str
    text: str
    code: str | None = None


class ApiAnswer(dict[str, Any]):
    """An Action API answer: the decoded JSON, plus its `warnings` read into `ApiWarning`s."""

    def __init__(self, payload: Mapping[str, Any], warnings: tuple[ApiWarning, ...] = ()):
        super().__init__(payload)
        self.warnings = warnings


@dataclass(frozen=True)
class RestResponse:
    """A REST answer: HTTP status, headers, the decoded JSON body (None when empty) and the
    warnings the body carried (CampaignEvents: `{"warnings": [{"key", "params"}]}`)."""

    status: int
    headers: Mapping[str, str]
    data: Any
    warnings: tuple[ApiWarning, ...] = ()


@dataclass(frozen=True)
class BlockInfo:
    """A block on the account; `partial` blocks only some pages or namespaces."""

    by: str | None
    reason: str | None
    expiry: str | None
    partial: bool


# Categories MediaWiki's rate limiter enforces in addition to the account's own limit.
_LIMITS_ON_TOP = frozenset({"newbie", "ip", "subnet", "anon"})


def _spacing(limit: Mapping[str, int]) -> float:
    return limit["seconds"] / limit["hits"]


@dataclass(frozen=True)
class UserInfo:
    """`meta=userinfo` for the session's user. `central_id` is the CentralAuth id where the
    wiki has one, else the local id; `ratelimits` is `{action: {group: {hits, seconds}}}`."""

    name: str
    user_id: int
    central_id: int | None
    anonymous: bool
    groups: tuple[str, ...] = ()
    rights: frozenset[str] = frozenset()
    options: Mapping[str, Any] = field(default_factory=dict)
    ratelimits: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)
    block: BlockInfo | None = None

    @property
    def timecorrection(self) -> str | None:
        value = self.options.get("timecorrection")
        return None if value is None else str(value)

    @property
    def blocked_sitewide(self) -> bool:
        return self.block is not None and not self.block.partial

    def binding_ratelimit(self, action: str) -> dict[str, int] | None:
        """The advertised limit that actually holds this account back for `action`.

        MediaWiki's limiter lets the most generous of the `user` and group limits stand for
        the account, while `newbie`, `ip` and `subnet` limits apply on top of it; of those that
        apply, the one with the widest spacing binds.
        """
        limits = {
            category: limit
            for category, limit in self.ratelimits.get(action, {}).items()
            if limit.get("hits") and limit.get("seconds")
        }
        account = [dict(lim) for cat, lim in limits.items() if cat not in _LIMITS_ON_TOP]
        applying = [dict(lim) for cat, lim in limits.items() if cat in _LIMITS_ON_TOP]
        if account:
            applying.append(min(account, key=_spacing))
        return max(applying, key=_spacing) if applying else None

    def seconds_per_hit(self, action: str) -> float | None:
        """The spacing (seconds per hit) of the limit that binds for `action`, if any."""
        limit = self.binding_ratelimit(action)
        return _spacing(limit) if limit else None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> UserInfo:
        """Build from `query.userinfo` (formatversion=2)."""
        central = data.get("centralids") or {}
        central_id = central.get("CentralAuth") or central.get("local") or data.get("id")
        block = None
        if data.get("blockid"):
            block = BlockInfo(
                by=data.get("blockedby"),
                reason=data.get("blockreason"),
                expiry=data.get("blockexpiry"),
                partial=bool(data.get("blockpartial")),
            )
        return cls(
            name=data.get("name", ""),
            user_id=int(data.get("id") or 0),
            central_id=int(central_id) if central_id else None,
            anonymous=bool(data.get("anon")) or "temp" in data,
            groups=tuple(data.get("groups", ())),
            rights=frozenset(data.get("rights", ())),
            options=dict(data.get("options") or {}),
            ratelimits=dict(data.get("ratelimits") or {}),
            block=block,
        )


@dataclass(frozen=True)
class SiteInfo:
    """`meta=siteinfo` general facts and namespaces; `timeoffset` is minutes east of UTC."""

    wiki_id: str
    server: str
    script_path: str
    generator: str
    timezone: str
    timeoffset: int
    namespaces: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, query: Mapping[str, Any]) -> SiteInfo:
        general = query.get("general", {})
        namespaces = {
            int(ns["id"]): ns.get("name", "") for ns in (query.get("namespaces") or {}).values()
        }
        return cls(
            wiki_id=general.get("wikiid", ""),
            server=general.get("server", ""),
            script_path=general.get("scriptpath", ""),
            generator=general.get("generator", ""),
            timezone=general.get("timezone") or "UTC",
            timeoffset=int(general.get("timeoffset") or 0),
            namespaces=namespaces,
        )
