"""The daily gate's verdict for one task type: the ledger's count, the wiki's, and the limit.

The gate is closed when EITHER count reaches the limit (DESIGN §2.2). The wiki's count is the
truth shared across machines, but it is read from time to time and from a replica: the ledger's
answers the wiki cannot have counted yet are added to it. A wiki that reports no count at all
(`qualityGateConfig: []`) leaves the ledger alone to gate, and every verdict says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.ledger.store import Account, Ledger, Tally, Window
from policies.daily_limits import GateState, UserDay
from policies.policy import Policy
from policies.timecorrection import reset_text

IMAGE_TASK_TYPES = ("image-recommendation", "section-image-recommendation")
LEDGER, WIKI = "ledger", "wiki"


@dataclass(frozen=True)
class WikiCount:
    """The wiki's own count of one task type today (`qualityGateConfig`): asked for at `as_of`,
    its answer back by `read_by` (None when not known: no answer counts as surely after it).

    `count` None means the wiki reports no count (not zero): the ledger alone gates.
    """

    count: int | None = None
    limit_reached: bool | None = None
    as_of: datetime | None = None
    read_by: datetime | None = None

    @property
    def known(self) -> bool:
        return self.count is not None

    def for_day(self, wiki_day: UserDay) -> WikiCount:
        """This count in the wiki's day `wiki_day`: one read before that day began has been
        reset to 0 by the wiki since, so only the answers after its midnight are added."""
        if self.count is None or self.as_of is None or self.as_of >= wiki_day.start:
            return self
        return WikiCount(0, False, wiki_day.start, wiki_day.start)


NO_WIKI_COUNT = WikiCount()


def no_wiki_count(task_type: str) -> WikiCount:
    """For a wiki that reports no count of any task type."""
    return NO_WIKI_COUNT


@dataclass(frozen=True)
class Days:
    """The user's day (the ledger counts in it) and the wiki's counting day for them."""

    user: UserDay
    wiki: UserDay

    @classmethod
    def of(cls, policy: Policy, account: Account, now: datetime) -> Days:
        return cls(
            policy.user_day(account.timecorrection, account.site_timezone, now),
            policy.server_day(account.timecorrection, account.site_timezone, now),
        )


@dataclass(frozen=True)
class Verdict:
    """Whether one more answer of a task type may be sent now, and the facts behind it.

    `count` is the larger of `local_count` (this machine's ledger) and `wiki_count`, the wiki's
    count as it reported it (`wiki_reported`, None when it reports none) plus this machine's
    answers it may not hold yet; `source` says which one `count` is. When closed,
    `resets_at`/`reset_zone` are the reopening (the wiki's midnight when only its count closes
    the gate); when open, the user's next midnight. `unsettled` counts reservations of the day
    whose outcome is not known: they are in `local_count`. `undecided`: closed only because
    the wiki's count may or may not hold answers still coming back; read again once they have
    settled, it decides (the Gate does that before it stops anyone).
    """

    task_type: str
    open: bool
    count: int
    limit: int | None
    remaining: int | None
    local_count: int
    wiki_count: int | None
    wiki_reported: int | None
    source: str
    closed_by: str | None
    day_start: datetime
    zone: str
    resets_at: datetime
    reset_zone: str
    reset_text: str
    unsettled: int
    open_task_types: tuple[str, ...] = ()
    undecided: bool = False

    def source_text(self) -> str:
        """Where the count comes from, for a person."""
        if self.wiki_count is None:
            return "from this machine's ledger only: the wiki reports no count"
        if self.source == WIKI:
            return f"from the wiki's count (this machine's ledger has {self.local_count})"
        return f"from this machine's ledger (the wiki counts {self.wiki_count})"

    def message(self) -> str:
        """One line for a person: done, limit, and for a closed gate when it reopens and what is
        still open."""
        if self.limit is None:
            return f"{self.task_type}: {self.count} done today, no daily limit."
        if self.open:
            return f"{self.task_type}: {self.count} of {self.limit} today, {self.remaining} left."
        others = ", ".join(self.open_task_types) or "none"
        return (
            f"{self.task_type}: {self.count} of {self.limit} done today, the daily limit; "
            f"{self.reset_text}. Still open: {others}."
        )

    def as_json(self) -> dict[str, Any]:
        """The machine-readable form (`images quota --json`); instants ISO 8601 with offset."""
        return {
            "task_type": self.task_type,
            "open": self.open,
            "count": self.count,
            "limit": self.limit,
            "remaining": self.remaining,
            "local_count": self.local_count,
            "wiki_count": self.wiki_count,
            "wiki_reported": self.wiki_reported,
            "source": self.source,
            "closed_by": self.closed_by,
            "day_start": self.day_start.isoformat(),
            "zone": self.zone,
            "resets_at": self.resets_at.isoformat(),
            "reset_zone": self.reset_zone,
            "reset_text": self.reset_text,
            "unsettled": self.unsettled,
            "open_task_types": list(self.open_task_types),
        }


def window(policy: Policy, account: Account, task_type: str, days: Days, wiki: WikiCount) -> Window:
    """The ledger window this verdict is about."""
    return Window(
        account, task_type, days.user, days.wiki, frozenset(policy.counted_outcomes),
        wiki.as_of, wiki.read_by,
    )  # fmt: skip


def wiki_estimate(wiki: WikiCount, tally: Tally, *, least: bool = False) -> int | None:
    """The wiki's count now: as it reported it, plus the ledger's answers it may not hold yet
    (with `least`, only those it surely cannot hold)."""
    if wiki.count is None:
        return None
    return wiki.count + (tally.unseen_for_sure if least else tally.unseen_by_wiki)


def gate_state(
    policy: Policy,
    task_type: str,
    tally: Tally,
    wiki: WikiCount,
    days: Days,
    wiki_max: int | None = None,
    *,
    least: bool = False,
) -> GateState:
    """The policy's gate from the ledger's tally and the wiki's count (pure): closed when the
    wiki may count the limit already, or with `least`, only when it surely does."""
    return policy.gate(
        task_type,
        local_count=tally.local,
        day=days.user,
        server_count=wiki_estimate(wiki, tally, least=least),
        server_limit_reached=bool(wiki.limit_reached) or tally.warned,
        wiki_day=days.wiki,
        wiki_max=wiki_max,
    )


def undecided(
    policy: Policy,
    task_type: str,
    tally: Tally,
    wiki: WikiCount,
    days: Days,
    wiki_max: int | None = None,
) -> bool:
    """Closed only if answers the wiki's count may or may not hold are in it."""
    if not tally.uncertain:
        return False
    args = (policy, task_type, tally, wiki, days, wiki_max)
    return not gate_state(*args).open and gate_state(*args, least=True).open


def build_verdict(
    state: GateState, tally: Tally, wiki: WikiCount, days: Days, now: datetime
) -> Verdict:
    """The verdict for a person or a report, from the gate the policy computed."""
    estimate = wiki_estimate(wiki, tally)
    source = WIKI if estimate is not None and estimate > tally.local else LEDGER
    reopening = days.user
    if not state.open and state.resets_at != days.user.end:
        reopening = days.wiki
    resets_at = state.resets_at or days.user.end
    return Verdict(
        task_type=state.task_type,
        open=state.open,
        count=state.done,
        limit=state.limit,
        remaining=state.remaining,
        local_count=tally.local,
        wiki_count=estimate,
        wiki_reported=wiki.count,
        source=source,
        closed_by=state.closed_by,
        day_start=days.user.start.astimezone(days.user.tz),
        zone=days.user.zone,
        resets_at=resets_at.astimezone(reopening.tz),
        reset_zone=reopening.zone,
        reset_text=reset_text(resets_at, reopening.zone, now),
        unsettled=tally.unsettled,
    )


def quota_summary(
    ledger: Ledger,
    policy: Policy,
    account: Account,
    task_type: str,
    *,
    now: datetime,
    wiki_count: Callable[[str], WikiCount] = no_wiki_count,
    wiki_limits: Mapping[str, int] | None = None,
    offerable: Sequence[str] = IMAGE_TASK_TYPES,
) -> Verdict:
    """Today's quota of one task type for `images quota` and for the gate.

    `wiki_count(task_type)` gives the wiki's count (asked for other types only when closed);
    `wiki_limits` its `maxTasksPerDay`; a closed verdict lists which of `offerable` are open.
    """
    limits = wiki_limits or {}
    days = Days.of(policy, account, now)

    def assess(kind: str) -> Verdict:
        wiki = wiki_count(kind).for_day(days.wiki)
        tally = ledger.tally(window(policy, account, kind, days, wiki))
        state = gate_state(policy, kind, tally, wiki, days, limits.get(kind))
        pending = undecided(policy, kind, tally, wiki, days, limits.get(kind))
        return replace(build_verdict(state, tally, wiki, days, now), undecided=pending)

    verdict = assess(task_type)
    if verdict.open:
        return verdict
    still_open = tuple(kind for kind in offerable if kind != task_type and assess(kind).open)
    return replace(verdict, open_task_types=still_open)
