"""The `Policy` object: the loaded policy files behind the stable API of DESIGN §2.3."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from policies import contribution_stats, daily_limits
from policies.contribution_stats import StatisticsInput, StatsVerdict
from policies.daily_limits import GateState, UserDay
from policies.loading import read_policy
from policies.timecorrection import TimeCorrection


@dataclass(frozen=True)
class Policy:
    """What gatebot allows, read from policy files; every method is pure."""

    contribution_types: tuple[str, ...]
    disallowed_countries: dict[str, str]
    max_per_day: dict[str, int]
    counted_outcomes: frozenset[str]
    sources: tuple[str, ...]
    disallowed_source: str | None = None
    disallowed_reviewed: date | None = None

    def contribution_stats(
        self,
        types: str | Iterable[str] = (),
        participation: str | None = None,
        country: str | None = None,
        wikis: str | Sequence[str] | None = None,
        requested: str | bool | None = "auto",
        *,
        has_goal: bool = False,
    ) -> StatsVerdict:
        """May this event turn on statistics? Values are read as an events file's cells are
        (`policies.values`); see `contribution_stats.decide` for on/off/auto."""
        return contribution_stats.decide(
            requested,
            types=types,
            participation=participation,
            country=country,
            wikis=wikis,
            disallowed=self.disallowed_countries,
            contribution_types=self.contribution_types,
            has_goal=has_goal,
        )

    def statistics(self, inputs: StatisticsInput, *, has_goal: bool = False) -> StatsVerdict:
        """The verdict for inputs already normalised (an events row's), without reading again."""
        return contribution_stats.verdict(
            inputs,
            disallowed=self.disallowed_countries,
            contribution_types=self.contribution_types,
            has_goal=has_goal,
        )

    def daily_limit(self, task_type: str, wiki_max: int | None = None) -> int | None:
        """The smaller of the policy's and the wiki's daily limit; None for ungated types."""
        return daily_limits.effective_limit(self.max_per_day.get(task_type), wiki_max)

    def counts(self, outcome: str) -> bool:
        """Does this outcome (accepted/rejected/skipped or yes/no/skip) use up the quota?"""
        return daily_limits.outcome_name(outcome) in self.counted_outcomes

    def user_day(
        self, timecorrection: TimeCorrection | str | None, site_timezone: str, now: datetime
    ) -> UserDay:
        """Today in the user's zone preference; `now` must be timezone-aware."""
        return daily_limits.user_day(timecorrection, site_timezone, now)

    def server_day(
        self, timecorrection: TimeCorrection | str | None, site_timezone: str, now: datetime
    ) -> UserDay:
        """Today as the wiki counts it (its `dailyCount` resets at this day's end)."""
        return daily_limits.server_day(timecorrection, site_timezone, now)

    def gate(
        self,
        task_type: str,
        *,
        local_count: int,
        day: UserDay,
        server_count: int | None = None,
        server_limit_reached: bool | None = None,
        wiki_day: UserDay | None = None,
        wiki_max: int | None = None,
    ) -> GateState:
        """The daily gate for one task type now, with this policy's effective limit."""
        return daily_limits.quota(
            task_type,
            limit=self.daily_limit(task_type, wiki_max),
            local_count=local_count,
            day=day,
            server_count=server_count,
            server_limit_reached=server_limit_reached,
            wiki_day=wiki_day,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `gatebot policy show --json`."""
        reviewed = self.disallowed_reviewed
        return {
            "sources": list(self.sources),
            "contribution_statistics": {
                "contribution_types": list(self.contribution_types),
                "disallowed_countries": dict(self.disallowed_countries),
                "source": self.disallowed_source,
                "reviewed": reviewed.isoformat() if reviewed else None,
            },
            "daily_limits": {
                "max_per_day": dict(self.max_per_day),
                "counted_outcomes": sorted(self.counted_outcomes),
            },
        }


def load(path: str | Path | None = None) -> Policy:
    """The shipped policy, or the one in `path` (a folder or one file; the rest from defaults).

    Raises PolicyError naming the file and key when a file is missing or malformed.
    """
    stats, limits = read_policy(path)
    return Policy(
        contribution_types=stats.contribution_types,
        disallowed_countries=stats.disallowed_countries,
        max_per_day=limits.max_per_day,
        counted_outcomes=limits.counted_outcomes,
        sources=(stats.origin, limits.origin),
        disallowed_source=stats.source,
        disallowed_reviewed=stats.reviewed,
    )
