"""The daily gate around a suggestion source and a submitter, as GrowthExperiments'
QualityGateDecorator wraps its suggester: the session loop asks the gate and never counts.

    gate = Gate(ledger, policy, account, source, submitter, task_types=["image-recommendation"])
    while not isinstance(task := gate.next_suggestion(), Stop):
        ... show the task, ask the user ...
        result = gate.answer(task, answer)     # reserve -> submit -> commit / release
        if not result.sent: ... result.verdict.message() ...

The gate is checked before a task is offered and again, atomically with the reservation, right
before its answer is sent: another session of the same user (another tab, another process) may
have used the last slot in between. When the limit is reached only if the wiki's count already
holds answers of this machine still coming back, the gate waits for them and reads the count
again rather than stop one short (bounded by `settle_wait`; after that it stops).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import attrgetter
from typing import Generic, Protocol, TypeVar

from bot.ledger.records import Window
from bot.ledger.store import Account, Ledger, Tally, new_session_id
from bot.ledger.verdict import (
    IMAGE_TASK_TYPES,
    NO_WIKI_COUNT,
    Days,
    Verdict,
    WikiCount,
    gate_state,
    quota_summary,
    undecided,
    window,
)
from bot.wiki.errors import OutcomeUnknown
from policies.daily_limits import SKIPPED, GateState, outcome_name
from policies.errors import GatebotError
from policies.policy import Policy

DAILY_LIMIT, NO_MORE_SUGGESTIONS = "daily-limit", "no-more-suggestions"
SETTLE_POLL = 0.01  # seconds between looks at the answers still coming back


class Task(Protocol):
    """A suggested task as listed by the wiki: enough to gate it, before any suggestion data."""

    @property
    def task_type(self) -> str: ...

    @property
    def title(self) -> str: ...


TaskT = TypeVar("TaskT", bound=Task)
AnswerT = TypeVar("AnswerT")
TaskT_co = TypeVar("TaskT_co", bound=Task, covariant=True)
TaskT_contra = TypeVar("TaskT_contra", bound=Task, contravariant=True)
AnswerT_contra = TypeVar("AnswerT_contra", contravariant=True)


class SuggestionSource(Protocol[TaskT_co]):
    """Where tasks come from (`list=growthtasks`), and the wiki's count of each task type."""

    def next_task(self, task_types: Sequence[str]) -> TaskT_co | None:
        """The next task of one of these types not offered yet; None when there is none left."""
        ...

    def wiki_count(self, task_type: str, *, fresh: bool = False) -> WikiCount:
        """The wiki's `qualityGateConfig` count for the type, or NO_WIKI_COUNT when it has none.

        Called at every check, so by default the last one known; `fresh` (right before an answer
        is sent) asks the wiki again, since another machine may have answered meanwhile.
        """
        ...


class Submitted(Protocol):
    """What the wiki said to a sent answer; the flag is its "…dailytasksexceeded" warning."""

    @property
    def daily_limit_reached(self) -> bool: ...


class Submitter(Protocol[TaskT_contra, AnswerT_contra]):
    """Sends one answer. Raises OutcomeUnknown when it may have reached the wiki without an
    answer coming back, any other GatebotError when it definitely did not count."""

    def submit(self, task: TaskT_contra, answer: AnswerT_contra) -> Submitted: ...


@dataclass(frozen=True)
class Stop:
    """No task to offer: `reason` is "daily-limit" (with the closed verdicts) or
    "no-more-suggestions"."""

    reason: str
    closed: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class Answered(Generic[TaskT]):
    """One answer handled by the gate: sent or not, the wiki's result, the gate after it."""

    task: TaskT
    outcome: str
    sent: bool
    result: Submitted | None
    verdict: Verdict


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Gate(Generic[TaskT, AnswerT]):
    """Offers tasks and sends answers only while the user's daily quota allows them.

    `task_types` are the types this session offers; `offerable` those a closed verdict may
    suggest instead; `wiki_limits` the wiki's `maxTasksPerDay` by type; `outcome_of` tells an
    answer's outcome (yes/no/skip or accepted/rejected/skipped; by default its `outcome`
    attribute); `clock` gives "now"; `settle_wait` is how long a check may wait for this
    machine's answers in flight to come back when they alone decide it.
    """

    def __init__(
        self,
        ledger: Ledger,
        policy: Policy,
        account: Account,
        source: SuggestionSource[TaskT],
        submitter: Submitter[TaskT, AnswerT],
        *,
        task_types: Sequence[str] = IMAGE_TASK_TYPES,
        offerable: Sequence[str] = IMAGE_TASK_TYPES,
        wiki_limits: Mapping[str, int] | None = None,
        outcome_of: Callable[[AnswerT], str] = attrgetter("outcome"),
        clock: Callable[[], datetime] = utc_now,
        session: str | None = None,
        settle_wait: float = 30.0,
    ):
        self.ledger = ledger
        self.policy = policy
        self.account = account
        self.source = source
        self.submitter = submitter
        self.task_types = tuple(task_types)
        self.offerable = tuple(dict.fromkeys((*offerable, *task_types)))
        self.wiki_limits = dict(wiki_limits or {})
        self.outcome_of = outcome_of
        self.clock = clock
        self.session = session or new_session_id()
        self.settle_wait = settle_wait

    def verdict(self, task_type: str) -> Verdict:
        """The gate of one task type now (the wiki's count as the source last saw it); when
        answers in flight alone close it, once they are back and the count is read again."""
        deadline = time.monotonic() + self.settle_wait
        verdict, wiki = self._summary(task_type), self.source.wiki_count(task_type)
        while verdict.undecided:
            read = self._read_again(task_type, wiki, deadline)
            if read is None:
                break
            verdict, wiki = self._summary(task_type), read
        return verdict

    def _summary(self, task_type: str) -> Verdict:
        return quota_summary(
            self.ledger, self.policy, self.account, task_type, now=self.clock(),
            wiki_count=self.source.wiki_count, wiki_limits=self.wiki_limits,
            offerable=self.offerable,
        )  # fmt: skip

    def _read_again(self, task_type: str, wiki: WikiCount, deadline: float) -> WikiCount | None:
        """Wait until this machine's answers that were in flight when `wiki` was read are back,
        then read the count again; None when that cannot decide more (an answer's process is
        gone, the time is up, or the source has no newer count)."""
        days = Days.of(self.policy, self.account, self.clock())
        where = window(self.policy, self.account, task_type, days, wiki.for_day(days.wiki))
        if not self._settled(where, deadline):
            return None
        fresh = self.source.wiki_count(task_type, fresh=True)
        if fresh.as_of is None or wiki.as_of is None or fresh.as_of <= wiki.as_of:
            return None
        return fresh

    def _settled(self, where: Window, deadline: float) -> bool:
        """True once no answer of `where` sent before the count was read is still in flight;
        False if one's process is gone (it never settles) or at the deadline."""
        while pids := self.ledger.in_flight(where):
            if not all(map(_running, pids)) or time.monotonic() >= deadline:
                return False
            time.sleep(SETTLE_POLL)
        return True

    def next_suggestion(self) -> TaskT | Stop:
        """The next task whose type is open now; a Stop when the limit or the tasks ran out.

        Only open types are asked of the source; a task of another type (the wiki may ignore
        the filter) is passed over, and the task's own type is checked again before it is given.
        """
        while True:
            verdicts = [self.verdict(kind) for kind in self.task_types]
            open_types = [verdict.task_type for verdict in verdicts if verdict.open]
            if not open_types:
                return Stop(DAILY_LIMIT, tuple(verdicts))
            task = self.source.next_task(open_types)
            if task is None:
                return Stop(NO_MORE_SUGGESTIONS)
            if task.task_type in open_types and self.verdict(task.task_type).open:
                return task

    def answer(self, task: TaskT, answer: AnswerT) -> Answered[TaskT]:
        """Send one answer if the gate still allows it: reserve, submit, then commit or release.

        A skip is recorded and nothing is sent. A definite failure frees the slot and is raised;
        an unknown outcome keeps the slot counted and is raised. A "daily tasks exceeded"
        warning is recorded, which closes the gate for the task type at once.
        """
        outcome = outcome_name(self.outcome_of(answer))
        if outcome == SKIPPED:
            now = self.clock()
            days = Days.of(self.policy, self.account, now)
            where = window(self.policy, self.account, task.task_type, days, NO_WIKI_COUNT)
            self.ledger.record_skip(where, task.title, now=now, session=self.session)
            return Answered(task, outcome, False, None, self.verdict(task.task_type))
        entry = self._reserve(task, outcome)
        if entry is None:
            return Answered(task, outcome, False, None, self.verdict(task.task_type))
        result = self._send(entry, task, answer)
        self.ledger.commit(entry, now=self.clock(), wiki_warning=result.daily_limit_reached)
        return Answered(task, outcome, True, result, self.verdict(task.task_type))

    def _reserve(self, task: TaskT, outcome: str) -> int | None:
        """Reserve a slot against a fresh count of the wiki; None when the gate is closed.

        The reservation's time is taken after the count came back, so every other session
        knows that count cannot hold this answer.
        """
        kind, deadline = task.task_type, time.monotonic() + self.settle_wait
        read: WikiCount | None = self.source.wiki_count(kind, fresh=True)
        while read is not None:
            entry, wait = self._try_reserve(task, outcome, read)
            if entry is not None or not wait:
                return entry
            read = self._read_again(kind, read, deadline)
        return None

    def _try_reserve(self, task: TaskT, outcome: str, read: WikiCount) -> tuple[int | None, bool]:
        """One reservation against the count `read`: the entry, or None and whether only
        answers still coming back closed the gate."""
        kind, now = task.task_type, self.clock()
        days = Days.of(self.policy, self.account, now)
        wiki, maximum = read.for_day(days.wiki), self.wiki_limits.get(kind)
        waits: list[bool] = []

        def decide(tally: Tally) -> GateState:
            waits.append(undecided(self.policy, kind, tally, wiki, days, maximum))
            return gate_state(self.policy, kind, tally, wiki, days, maximum)

        where = window(self.policy, self.account, kind, days, wiki)
        entry = self.ledger.reserve(
            where, task.title, outcome, now=now, session=self.session, decide=decide
        )
        return entry, any(waits)

    def _send(self, entry: int, task: TaskT, answer: AnswerT) -> Submitted:
        """Submit, settling the reservation on failure: released only when surely not sent."""
        try:
            return self.submitter.submit(task, answer)
        except OutcomeUnknown as error:
            self.ledger.mark_unknown(entry, now=self.clock(), note=f"outcome unknown: {error}")
            raise
        except GatebotError as error:
            self.ledger.release(entry, now=self.clock(), note=f"not sent: {error}")
            raise
        except BaseException as error:
            self.ledger.mark_unknown(
                entry, now=self.clock(), note=f"interrupted while sending: {type(error).__name__}"
            )
            raise


def _running(pid: int) -> bool:
    """Whether process `pid` of this machine still runs (and so may still settle an answer)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another account's process: it runs
    return True
