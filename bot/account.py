"""`gatebot whoami`: who the bot is on a wiki, and whether it may do gatebot's jobs there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.wiki import WikiClient
from policies.timecorrection import user_zone

NEEDED_RIGHTS: dict[str, str] = {
    "campaignevents-enable-registration": "events: create event registrations",
    "campaignevents-organize-events": "events: be an event's organizer and edit its registration",
    "edit": "images: save an accepted suggestion, which is an edit to the article",
    "createpage": "events: create an event page that does not exist yet",
    "editmyoptions": "images: set suggested-edits preferences (task types, topics), which are "
    "user options",
    "writeapi": "all: the wiki refuses REST and Action API writes without it",
}
"""The rights gatebot's jobs need, each with the reason it is needed (shown by whoami)."""


@dataclass(frozen=True)
class WhoamiReport:
    """The logged-in user on a wiki: identity, rights gatebot needs, time zone, rate limits."""

    wiki: str
    backend: str
    user: str
    central_id: int | None
    groups: tuple[str, ...]
    rights_present: tuple[str, ...]
    rights_missing: tuple[str, ...]
    timecorrection: str | None
    zone: str
    ratelimits: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The `--json` object, with exactly the documented keys."""
        return {
            "wiki": self.wiki,
            "backend": self.backend,
            "user": self.user,
            "central_id": self.central_id,
            "groups": list(self.groups),
            "rights_missing": list(self.rights_missing),
            "timecorrection": self.timecorrection,
            "zone": self.zone,
            "ratelimits": self.ratelimits,
        }


def whoami(client: WikiClient) -> WhoamiReport:
    """Build the report from userinfo and siteinfo (the zone as the daily gate resolves it)."""
    info = client.userinfo()
    site = client.siteinfo()
    _, zone = user_zone(info.timecorrection, site.timezone)
    return WhoamiReport(
        wiki=client.target.api_url,
        backend=client.backend_name,
        user=info.name,
        central_id=info.central_id,
        groups=tuple(g for g in info.groups if g not in ("*", "user", "autoconfirmed")),
        rights_present=tuple(r for r in NEEDED_RIGHTS if r in info.rights),
        rights_missing=tuple(r for r in NEEDED_RIGHTS if r not in info.rights),
        timecorrection=info.timecorrection,
        zone=zone,
        ratelimits={action: dict(limits) for action, limits in info.ratelimits.items()},
    )


def ratelimit_lines(ratelimits: dict[str, Any]) -> list[str]:
    """`edit: 5 per 60 s (user)` for each advertised limit; empty when there are none."""
    return [
        f"{action}: {limit.get('hits')} per {limit.get('seconds')} s ({group})"
        for action, groups in sorted(ratelimits.items())
        for group, limit in sorted(groups.items())
    ]
