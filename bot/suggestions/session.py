"""The session loop: suggestions from the gate, decisions from a person or a file, answers
through the gate, and a report of what was done and why the session stopped.

The loop asks the gate and never counts by itself (the gate wraps the source and the
submitter, as GrowthExperiments' QualityGateDecorator wraps its suggester). While a suggestion
is being decided, the next one is opened in the background, but only when the gate's verdicts
leave room to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.growth import Answer, GrowthError, InvalidAnswer, PlacementError, Submission
from bot.growth.answers import outcome as outcome_of
from bot.ledger import DAILY_LIMIT, NO_MORE_SUGGESTIONS, Gate, Stop, Verdict
from bot.suggestions.answers_file import RowProblem
from bot.suggestions.source import PrefetchingSource, Suggestion
from bot.wiki import OutcomeUnknown
from policies.daily_limits import ACCEPTED, REJECTED, SKIPPED
from policies.errors import GatebotError

MAX, ANSWERS_EXHAUSTED, INTERRUPTED, FAILED = "max", "answers-exhausted", "interrupted", "error"
STOP_REASONS = (DAILY_LIMIT, NO_MORE_SUGGESTIONS, MAX, ANSWERS_EXHAUSTED, INTERRUPTED, FAILED)

# What became of one suggestion.
DONE = "done"  # the wiki took the answer (or, for a skip, nothing needed sending)
NOT_SENT = "not-sent"  # refused before sending: the answer, or the gate (another session)
UNKNOWN = "unknown"  # may have reached the wiki: kept as counted
REFUSED = "refused"  # the wiki refused it: nothing counted

Check = Callable[[Suggestion, Answer], None]
SessionGate = Gate[Suggestion, Answer]


class Decider(Protocol):
    """Who answers: the person at the terminal or an answers file."""

    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        """The answer to `suggestion` (`verdict`: the quota now); None to end the session."""
        ...

    def handled(self, result: Handled) -> None:
        """Hear what became of the answer (to say so at once)."""
        ...


@dataclass(frozen=True)
class Handled:
    """One suggestion's fate: `outcome` accepted/rejected/skipped, `status` (DONE, NOT_SENT,
    UNKNOWN, REFUSED), the error and its field if any, and the quota after it."""

    title: str
    task_type: str
    outcome: str
    status: str
    verdict: Verdict
    row: int | None = None
    error: str | None = None
    field: str | None = None
    submission: Submission | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "title": self.title,
            "task_type": self.task_type,
            "outcome": self.outcome,
            "status": self.status,
            "error": self.error,
            "field": self.field,
            "rev_id": self.submission.rev_id if self.submission else None,
            "log_id": self.submission.log_id if self.submission else None,
        }


def counted_by(verdict: Verdict) -> list[str]:
    """Which counts the gate held: the ledger always, the wiki's when it reports one."""
    return ["ledger"] if verdict.wiki_count is None else ["ledger", "wiki"]


@dataclass
class SessionReport:
    """What a session did: every suggestion handled, why it stopped, the quota at the end
    (one verdict per task type of the session), and for an answers file the rows not answered."""

    stopped: str
    handled: list[Handled] = field(default_factory=list)
    verdicts: tuple[Verdict, ...] = ()
    problems: list[RowProblem] = field(default_factory=list)
    failure: GatebotError | None = None
    keyboard_interrupt: bool = False

    @property
    def error(self) -> str | None:
        return str(self.failure) if self.failure is not None else None

    def _count(self, outcome: str) -> int:
        return sum(1 for h in self.handled if h.outcome == outcome and h.status == DONE)

    @property
    def accepted(self) -> int:
        return self._count(ACCEPTED)

    @property
    def rejected(self) -> int:
        return self._count(REJECTED)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def answered(self) -> int:
        """Yes and no answers the wiki took (skips are not answers to the wiki)."""
        return self.accepted + self.rejected

    @property
    def failed(self) -> int:
        failed_rows = sum(1 for p in self.problems if not p.done)
        return sum(1 for h in self.handled if h.status != DONE) + failed_rows

    def as_json(self) -> dict[str, Any]:
        return {
            "stopped": self.stopped,
            "answered": self.answered,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "failed": self.failed,
            "error": self.error,
            "quota": [
                {**v.as_json(), "counted_by": counted_by(v), "count_source": v.source_text()}
                for v in self.verdicts
            ],
            "suggestions": [h.as_json() for h in self.handled],
            "rows_not_answered": [
                {"row": p.number, "title": p.title, "field": p.field, "message": p.message}
                for p in sorted(self.problems, key=lambda p: p.number)
            ],
        }


def _prefetch_types(gate: SessionGate, shown: Suggestion, room: bool) -> list[str]:
    """The task types a suggestion opened now could still be shown for: the gate's verdicts
    must leave a slot beyond the one `shown` may take."""
    if not room:
        return []
    types = []
    for kind in gate.task_types:
        verdict = gate.verdict(kind)
        needed = 2 if kind == shown.task_type else 1
        if verdict.open and (verdict.remaining is None or verdict.remaining >= needed):
            types.append(kind)
    return types


def _answer(gate: SessionGate, suggestion: Suggestion, answer: Answer, check: Check) -> Handled:
    """Send one answer through the gate; what went wrong with it is its row's, not the session's."""
    row = suggestion.row.number if suggestion.row else None
    title, kind, outcome = suggestion.title, suggestion.task_type, outcome_of(answer)
    try:
        check(suggestion, answer)
        result = gate.answer(suggestion, answer)
    except (OutcomeUnknown, GrowthError) as error:
        status = UNKNOWN if isinstance(error, OutcomeUnknown) else REFUSED
        if isinstance(error, (InvalidAnswer, PlacementError)):
            status = NOT_SENT
        field = getattr(error, "field", None)
        return Handled(title, kind, outcome, status, gate.verdict(kind), row, str(error), field)
    if not result.sent and result.outcome != SKIPPED:
        why = f"not sent: the daily limit was reached first. {result.verdict.message()}"
        return Handled(title, kind, outcome, NOT_SENT, result.verdict, row, why)
    submission = result.result if isinstance(result.result, Submission) else None
    return Handled(title, kind, outcome, DONE, result.verdict, row, submission=submission)


def run_session(
    gate: SessionGate,
    source: PrefetchingSource,
    decider: Decider,
    *,
    max_answers: int | None = None,
    check: Check = lambda suggestion, answer: None,
    exhausted: str = NO_MORE_SUGGESTIONS,
) -> SessionReport:
    """Offer suggestions until the gate, the wiki, `max_answers` (yes/no answers) or the
    decider ends the session; `check` refuses an answer before the gate reserves a slot;
    `exhausted` is the stop reason when the source runs dry (`answers-exhausted` for a file)."""
    report = SessionReport(NO_MORE_SUGGESTIONS)
    stopped: str | None = None
    try:
        while stopped is None:
            if max_answers is not None and report.answered >= max_answers:
                stopped = MAX
                break
            item = gate.next_suggestion()
            if isinstance(item, Stop):
                stopped = DAILY_LIMIT if item.reason == DAILY_LIMIT else exhausted
                break
            room = max_answers is None or report.answered + 1 < max_answers
            source.prefetch(_prefetch_types(gate, item, room))
            answer = decider.decide(item, gate.verdict(item.task_type))
            if answer is None:
                stopped = INTERRUPTED
                break
            done = _answer(gate, item, answer, check)
            report.handled.append(done)
            decider.handled(done)
    except KeyboardInterrupt:
        stopped, report.keyboard_interrupt = INTERRUPTED, True
    except GatebotError as error:
        stopped, report.failure = FAILED, error
    finally:
        source.close()
    report.stopped = stopped or NO_MORE_SUGGESTIONS
    report.verdicts = tuple(gate.verdict(kind) for kind in gate.task_types)
    return report
