"""Daily limits per task type, what counts toward them, and whether the gate is open now.

GrowthExperiments counts but never refuses (contract growthexperiments §4), so the gate is
gatebot's: closed when the local ledger or the server says the limit is reached (DESIGN §2.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from policies.timecorrection import (
    TimeCorrection,
    day_window,
    reset_text,
    server_day_zone,
    user_zone,
)

# Every task type id GrowthExperiments knows (contract growthexperiments §1.2).
TASK_TYPE_IDS = (
    "copyedit", "references", "update", "expand", "links", "link-recommendation",
    "image-recommendation", "section-image-recommendation", "revise-tone",
)  # fmt: skip

ACCEPTED, REJECTED, SKIPPED = "accepted", "rejected", "skipped"
_OUTCOME_WORDS = {
    ACCEPTED: ACCEPTED, "yes": ACCEPTED, "accept": ACCEPTED,
    REJECTED: REJECTED, "no": REJECTED, "reject": REJECTED,
    SKIPPED: SKIPPED, "skip": SKIPPED,
}  # fmt: skip


def outcome_name(value: str) -> str:
    """`accepted`, `rejected` or `skipped` from those words or yes/no/skip; ValueError otherwise."""
    name = _OUTCOME_WORDS.get(str(value).strip().casefold())
    if name is None:
        raise ValueError(
            f"Outcome {value!r} is not one of yes/accepted, no/rejected, skip/skipped."
        )
    return name


def effective_limit(local: int | None, wiki_max: int | None = None) -> int | None:
    """The smaller of the policy's limit and the wiki's `maxTasksPerDay`; None when neither."""
    limits = [limit for limit in (local, wiki_max) if limit is not None]
    return min(limits) if limits else None


@dataclass(frozen=True)
class UserDay:
    """One calendar day: `start`/`end` are UTC instants [start, end); `zone` names the zone."""

    start: datetime
    end: datetime
    zone: str
    tz: tzinfo

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _day(zone_and_name: tuple[tzinfo, str], now: datetime) -> UserDay:
    zone, name = zone_and_name
    start, end = day_window(zone, now)
    return UserDay(start, end, name, zone)


def user_day(
    timecorrection: TimeCorrection | str | None, site_timezone: str, now: datetime
) -> UserDay:
    """Today in the user's own zone preference (manual offsets honoured)."""
    return _day(user_zone(timecorrection, site_timezone), now)


def server_day(
    timecorrection: TimeCorrection | str | None, site_timezone: str, now: datetime
) -> UserDay:
    """Today as GrowthExperiments counts it: the user's ZoneInfo zone, else the wiki's zone."""
    return _day(server_day_zone(timecorrection, site_timezone), now)


@dataclass(frozen=True)
class GateState:
    """Whether a user may do one more task of a type today, and when a closed gate reopens.

    `closed_by` is "local", "server" or "both"; `resets_at` (UTC) and `reset_zone` come from the
    day whose count keeps the gate closed (the wiki's day when only the server's count does).
    """

    task_type: str
    open: bool
    done: int
    limit: int | None
    remaining: int | None
    closed_by: str | None
    resets_at: datetime | None
    reset_zone: str | None

    def reset_text(self, now: datetime) -> str:
        """ "resets at 00:00 Europe/Berlin, in 5 h 12 min", or "" for an open gate."""
        if self.resets_at is None or self.reset_zone is None:
            return ""
        return reset_text(self.resets_at, self.reset_zone, now)

    def summary(self, now: datetime) -> str:
        """One line for a person: how many done, the limit, and when it reopens if closed."""
        if self.limit is None:
            return f"{self.task_type}: {self.done} done today, no daily limit."
        if self.open:
            return (
                f"{self.task_type}: {self.done} of {self.limit} done today, {self.remaining} left."
            )
        return f"{self.task_type}: {self.done} of {self.limit} done today; {self.reset_text(now)}."


def quota(
    task_type: str,
    *,
    limit: int | None,
    local_count: int,
    day: UserDay,
    server_count: int | None = None,
    server_limit_reached: bool | None = None,
    wiki_day: UserDay | None = None,
) -> GateState:
    """The gate for one task type now, from the ledger's count and the server's view.

    `day` is the user's day (the ledger counts in it); `wiki_day` the wiki's counting day
    (defaults to `day`). The server closes the gate when its count reaches the limit or its
    `dailyLimit` flag is set; the gate reopens when every closing count has reset.
    """
    done = max(local_count, server_count or 0)
    if limit is None:
        return GateState(task_type, True, done, None, None, None, None, None)
    local_closed = local_count >= limit
    server_closed = bool(server_limit_reached) or (server_count or 0) >= limit
    remaining = max(0, limit - done)
    if not (local_closed or server_closed):
        return GateState(task_type, True, done, limit, remaining, None, None, None)
    closing_days = ([day] if local_closed else []) + ([wiki_day or day] if server_closed else [])
    reopening = max(closing_days, key=lambda closing: closing.end)
    closed_by = "both" if local_closed and server_closed else "local" if local_closed else "server"
    return GateState(task_type, False, done, limit, 0, closed_by, reopening.end, reopening.zone)
