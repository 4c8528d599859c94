"""Answers whose reply was lost, settled by the wiki's public log (bot.growth.answerlog). The
log holding more rows of the answer (article, yes or no, since it was sent) than the ledger has
answers the wiki took means it arrived: done, never sent again. No such row right after settles
nothing: the answer stays of unknown outcome and counted (README "The daily limit"). None long
after (`SETTLE_AFTER`, far past any request's lifetime on the wiki) means it never arrived."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.growth import GrowthClient, Task
from bot.growth.answerlog import CLOCK_MARGIN, logged_answers
from bot.ledger import Account, Ledger
from bot.ledger.records import unstamp
from policies.daily_limits import ACCEPTED
from policies.errors import GatebotError

log = logging.getLogger(__name__)
# MediaWiki ends a request within minutes (PHP's time limit, the proxies' timeouts), and its
# replicas lag seconds: an answer not in the log this long after it was sent never arrived.
SETTLE_AFTER = timedelta(minutes=10)
LOOK_BACK = timedelta(days=2)  # covers the user's day in any zone


class AnswerLog:
    """The wiki's log, read against the ledger of `account`."""

    def __init__(self, ledger: Ledger, growth: GrowthClient, account: Account):
        self.ledger, self.growth, self.account = ledger, growth, account

    def arrived(self, task: Task, outcome: str, sent_at: datetime) -> int | None:
        """The log id showing that the answer sent at `sent_at` arrived, or None. Raises
        GatebotError when the log cannot be read now."""
        ids = logged_answers(self.growth.wiki, task, outcome == ACCEPTED, sent_at=sent_at)
        taken = self.ledger.taken(self.account, task.title, outcome, since=sent_at - CLOCK_MARGIN)
        return ids[-1] if len(ids) > taken else None

    def shows(self, task: Task, outcome: str, sent_at: datetime) -> int | None:
        """`arrived`, None also when the log cannot be read now."""
        try:
            return self.arrived(task, outcome, sent_at)
        except GatebotError as error:
            log.info("could not read the wiki's log for %s: %s", task.title, error)
            return None

    def settle_unknowns(self, now: datetime) -> None:
        """Before a session or a quota is judged: each recent answer of unknown outcome that
        the log shows is committed; one it still does not show `SETTLE_AFTER` after it was
        sent is released. One request per such answer; none when there is none."""
        for entry in self.ledger.unknowns(self.account, since=now - LOOK_BACK):
            sent_at = unstamp(entry.at)
            try:
                log_id = self.arrived(Task(entry.title, entry.task_type, 0), entry.outcome, sent_at)
            except GatebotError as error:
                log.info("could not read the wiki's log for %s: %s", entry.title, error)
                continue
            if log_id is not None:
                self.ledger.confirm(entry.id, now=now, note=f"in the wiki's log (log id {log_id})")
            elif now - sent_at >= SETTLE_AFTER:
                minutes = int(SETTLE_AFTER.total_seconds() // 60)
                self.ledger.dismiss(entry.id, now=now, note=(
                    f"not in the wiki's log {minutes} minutes after it was sent: it never arrived"
                ))  # fmt: skip
