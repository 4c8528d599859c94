"""What the daily gate wraps in a session: the source of suggestions (with its prefetch) and the
submitter, over `bot.growth`.

The next suggestion is opened in ONE background thread while the person decides: `TaskFeed`
is not thread-safe, so with prefetching every call to the opener goes through that one thread.
What it returns is checked by the gate again before it is shown (`Gate.next_suggestion`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.growth import Answer, GrowthClient, Offer, QualityGate, Submission, Task, TaskFeed
from bot.growth.answers import outcome
from bot.ledger import NO_WIKI_COUNT, Entry, WikiCount
from bot.suggestions.answers_file import AnswerRow
from bot.suggestions.reconcile import AnswerLog
from bot.wiki import OutcomeUnknown
from policies.daily_limits import SKIPPED

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    """An opened task, ready to show: the gate sees its type and title. `row` is the answers
    file's row that answers it (None in an interactive session)."""

    offer: Offer
    row: AnswerRow | None = None

    @property
    def task_type(self) -> str:
        return self.offer.task.task_type

    @property
    def title(self) -> str:
        return self.offer.task.title


Opener = Callable[[Sequence[str]], Suggestion | None]
"""Opens the next suggestion of one of the given task types; None when there is none left."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class WikiCounts:
    """The wiki's daily counts (`qualityGateConfig`) as last read, each with WHEN it was read:
    the time before the request (answers settled after it may be missing) and the time its
    answer was back (answers reserved after it cannot be in it)."""

    def __init__(self, growth: GrowthClient, clock: Callable[[], datetime] = utc_now):
        self.growth = growth
        self.clock = clock
        self._lock = threading.Lock()
        self._gate: QualityGate | None = None
        self._as_of: datetime | None = None
        self._read_by: datetime | None = None

    def note(self, gate: QualityGate | None, as_of: datetime) -> None:
        """Keep `gate` (asked for no earlier than `as_of`, back by now) if it is newer than the
        one kept."""
        read_by = self.clock()
        with self._lock:
            newer = self._as_of is None or as_of >= self._as_of
            if gate is not None and gate is not self._gate and newer:
                self._gate, self._as_of, self._read_by = gate, as_of, read_by

    def refresh(self, task_types: Sequence[str]) -> None:
        """Read the counts afresh (one `list=growthtasks` request)."""
        as_of = self.clock()
        self.note(self.growth.quality_gate(task_types), as_of)

    def get(self, task_type: str) -> WikiCount:
        """The last known count of `task_type`; NO_WIKI_COUNT when the wiki reports none."""
        with self._lock:
            gate, as_of, read_by = self._gate, self._as_of, self._read_by
        count = gate.for_type(task_type) if gate is not None else None
        if count is None or count.count is None or as_of is None:
            return NO_WIKI_COUNT
        return WikiCount(count.count, count.limit_reached, as_of, read_by)


def feed_opener(feed: TaskFeed, counts: WikiCounts) -> Opener:
    """The wiki's suggestions in its order; tasks of other types are passed over unopened, and
    the counts that came with each task batch are kept."""

    def open_next(task_types: Sequence[str]) -> Suggestion | None:
        as_of = counts.clock()
        offer = feed.next_offer(lambda task: task.task_type in task_types)
        counts.note(feed.gate, as_of)
        return Suggestion(offer) if offer is not None else None

    return open_next


class RowOpener:
    """The answers file's titles in the file's order, each opened only when it is its turn:
    one suggestion-data request per row and task type, never one for a row not answered."""

    def __init__(
        self,
        growth: GrowthClient,
        rows: Sequence[AnswerRow],
        answered: Callable[[str], Entry | None] = lambda title: None,
    ):
        self.growth = growth
        self.rows = tuple(rows)
        self.answered = answered
        self.not_offered: list[AnswerRow] = []
        self.already_answered: dict[int, Entry] = {}
        self._next = 0

    def __call__(self, task_types: Sequence[str]) -> Suggestion | None:
        while self._next < len(self.rows):
            row = self.rows[self._next]
            self._next += 1
            if outcome(row.answer) != SKIPPED and (earlier := self.answered(row.title)):
                self.already_answered[row.number] = earlier
                continue
            for task_type in task_types:
                offer = self.growth.open(Task(row.title, task_type, order=0))
                if offer is not None:
                    return Suggestion(offer, row)
            self.not_offered.append(row)
        return None


class PrefetchingSource:
    """The gate's `SuggestionSource`: suggestions from `opener`, opened ahead on request.

    `prefetch(types)` starts opening the next suggestion in the background; `next_task` takes
    it (waiting if need be), or opens one now. With `background=False` nothing runs ahead and
    the opener runs in the caller's thread (the benchmark's baseline).
    """

    def __init__(self, opener: Opener, counts: WikiCounts, *, background: bool = True):
        self.opener = opener
        self.counts = counts
        self._pool = ThreadPoolExecutor(1, "gatebot-prefetch") if background else None
        self._ahead: Future[Suggestion | None] | None = None

    def prefetch(self, task_types: Sequence[str]) -> None:
        """Open the next suggestion of these types while the person decides."""
        if self._pool is not None and self._ahead is None and task_types:
            self._ahead = self._pool.submit(self.opener, tuple(task_types))

    def next_task(self, task_types: Sequence[str]) -> Suggestion | None:
        """The prefetched suggestion if one was asked for (the gate checks its type and the
        quota again), else the next one opened now."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            return ahead.result()
        if self._pool is not None:
            return self._pool.submit(self.opener, tuple(task_types)).result()
        return self.opener(task_types)

    def wiki_count(self, task_type: str, *, fresh: bool = False) -> WikiCount:
        """The wiki's count; `fresh` (right before an answer is sent) reads it again."""
        if fresh:
            self.counts.refresh([task_type])
        return self.counts.get(task_type)

    def close(self) -> None:
        """Stop the prefetch thread: a request under way finishes, nothing new starts."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class GrowthSubmitter:
    """The gate's `Submitter`: sends the answer as the web editor does (`GrowthClient.submit`).
    When no reply comes back, the wiki's log tells whether the answer arrived all the same."""

    def __init__(
        self, growth: GrowthClient, answer_log: AnswerLog, clock: Callable[[], datetime] = utc_now
    ):
        self.growth, self.answer_log, self.clock = growth, answer_log, clock

    def submit(self, task: Suggestion, answer: Answer) -> Submission:
        sent_at = self.clock()
        try:
            return self.growth.submit(task.offer, answer)
        except OutcomeUnknown as unknown:
            log_id = self.answer_log.shows(task.offer.task, outcome(answer), sent_at)
            if log_id is None:
                raise
            log.warning("%s: %s; the wiki's log shows the answer arrived (log id %s)",
                        task.title, unknown, log_id)  # fmt: skip
            return Submission(task.title, task.task_type, outcome(answer), sent=True,
                              log_id=log_id)  # fmt: skip
