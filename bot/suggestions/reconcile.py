"""Answers whose reply was lost, settled by the wiki's public log (bot.growth.answerlog): a log
row found means the wiki took the answer, so it is done and never sent again. Nothing found
settles nothing; the answer stays of unknown outcome and counted (README "The daily limit")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from bot.growth import GrowthClient, Task
from bot.growth.answerlog import logged_answer
from bot.ledger import Account, Entry, Ledger
from policies.daily_limits import ACCEPTED
from policies.errors import GatebotError

log = logging.getLogger(__name__)
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # the ledger's `at` (bot.ledger.records.stamp)


def log_shows(growth: GrowthClient, task: Task, accepted: bool, sent_at: datetime) -> int | None:
    """The log id of the answer, or None: not in the log, or the log cannot be read now."""
    try:
        return logged_answer(growth.wiki, task, accepted, sent_at=sent_at)
    except GatebotError as error:
        log.info("could not read the wiki's log for %s: %s", task.title, error)
        return None


def answered_before(
    ledger: Ledger, growth: GrowthClient, account: Account, clock: Callable[[], datetime]
) -> Callable[[str], Entry | None]:
    """For an answers file's re-run: the earlier answer on a title the wiki took, from the
    ledger, or, for one of unknown outcome, from the wiki's log (then committed in the ledger)."""

    def answered(title: str) -> Entry | None:
        if (taken := ledger.answered(account, title)) is not None:
            return taken
        unknown = ledger.unknown(account, title)
        if unknown is None:
            return None
        sent_at = datetime.strptime(unknown.at, STAMP).replace(tzinfo=timezone.utc)
        task = Task(title, unknown.task_type, order=0)
        log_id = log_shows(growth, task, unknown.outcome == ACCEPTED, sent_at)
        if log_id is None:
            return None
        return ledger.confirm(unknown.id, now=clock(), note=f"in the wiki's log (log id {log_id})")

    return answered
