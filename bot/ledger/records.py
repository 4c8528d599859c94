"""What the answers ledger stores and reports: whose answers, which window, the counts, a row.

Instants are stored as fixed-width UTC ISO text, so SQLite compares them as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.wiki.models import SiteInfo, UserInfo
from policies.daily_limits import UserDay
from policies.timecorrection import require_aware

RESERVED, COMMITTED, RELEASED = "reserved", "committed", "released"


STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def stamp(moment: datetime) -> str:
    """A UTC instant as fixed-width ISO text (`2026-07-01T16:48:00.000000Z`), sortable as text."""
    require_aware(moment)
    return moment.astimezone(timezone.utc).strftime(STAMP_FORMAT)


def unstamp(text: str) -> datetime:
    """The aware UTC instant a `stamp` wrote."""
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Account:
    """Whose answers these are: the wiki, the user's id and name, and what fixes their day."""

    wiki: str
    user_id: int
    user_name: str
    timecorrection: str | None
    site_timezone: str

    @classmethod
    def from_wiki(cls, info: UserInfo, site: SiteInfo) -> Account:
        """The logged-in user of a wiki; the wiki is named by its server and script path."""
        return cls(
            wiki=f"{site.server}{site.script_path}" or site.wiki_id,
            user_id=info.user_id,
            user_name=info.name,
            timecorrection=info.timecorrection,
            site_timezone=site.timezone,
        )


@dataclass(frozen=True)
class Window:
    """One count: a user's task type over their day; `wiki_day` is the day the wiki counts in.

    `wiki_as_of` is when the request for the wiki's count left, `wiki_read_by` when its answer
    came back (None: not known). An answer settled before `wiki_as_of` is in that count; one
    reserved from `wiki_read_by` on cannot be; one in between may or may not be.
    """

    account: Account
    task_type: str
    day: UserDay
    wiki_day: UserDay
    counted: frozenset[str]
    wiki_as_of: datetime | None = None
    wiki_read_by: datetime | None = None


@dataclass(frozen=True)
class Tally:
    """What the ledger knows of one window.

    `local`: counted answers reserved or committed in the user's day. Of the wiki's day:
    `unseen_by_wiki`, the answers the wiki's count may not hold yet (the most it can lack);
    `unseen_for_sure`, those reserved after its answer came back (the least); `warned`: an
    answer came back with the "daily tasks exceeded" warning. `unsettled`:
    reservations of the user's day whose outcome is not known (in flight, outcome unknown, or
    their process died).
    """

    local: int
    unseen_by_wiki: int
    warned: bool
    unsettled: int
    unseen_for_sure: int = 0

    @property
    def uncertain(self) -> int:
        """How many answers the wiki's count may or may not hold."""
        return self.unseen_by_wiki - self.unseen_for_sure


@dataclass(frozen=True)
class Entry:
    """One row of the ledger as stored; instants are UTC ISO text."""

    id: int
    wiki: str
    user_id: int
    user_name: str
    task_type: str
    title: str
    outcome: str
    state: str
    day: str
    day_zone: str
    day_start: str
    day_end: str
    at: str
    settled_at: str | None
    outcome_unknown: bool
    wiki_warning: bool
    note: str | None
    session: str
    pid: int


def entry_of(row: tuple[Any, ...]) -> Entry:
    """An Entry from a row selected with the ledger's column list."""
    values = list(row)
    values[14], values[15] = bool(values[14]), bool(values[15])
    return Entry(*values)
