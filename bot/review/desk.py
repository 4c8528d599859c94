"""The page's side of a session: a `Decider` for `run_session` that waits for the answer the
page posts, and the state the page shows (the suggestion, the quota, why it stopped).

The session loop runs in its own thread and calls `decide()`, which publishes the suggestion
and blocks until the page answers it (or the session is stopped). A POST hands the answer over
and waits until the loop has sent it and offers the next suggestion (opened meanwhile by the
prefetch) or ends, so its reply tells the page both what happened and what comes next.
"""

from __future__ import annotations

import queue
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

from bot.growth import Accept, Answer, InvalidAnswer, Reject, Skip
from bot.ledger import DAILY_LIMIT, Verdict
from bot.review.view import quota_view, stop_view, suggestion_view
from bot.suggestions import DONE, Handled, SessionReport, Suggestion
from bot.suggestions.session import Check, SessionGate

ANSWER_WAIT = 300.0  # seconds a POST waits for the answer to be sent and the next suggestion
DONE_TEXT = {"accepted": "Added the image to {}.", "rejected": "Sent “no” for {}."}


def parse_answer(payload: Mapping[str, Any]) -> Answer:
    """The page's JSON answer; `InvalidAnswer` naming the field when it is not one."""
    kind = payload.get("answer")
    if kind == "skip":
        return Skip()
    if kind == "yes":
        caption = payload.get("caption")
        if not isinstance(caption, str):
            raise InvalidAnswer("A yes needs a caption.", field="caption")
        return Accept(caption)
    if kind == "no":
        reasons = payload.get("reasons")
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise InvalidAnswer("A no needs its reasons as a list of codes.", field="reasons")
        return Reject(tuple(reasons))
    raise InvalidAnswer("The answer must be yes, no or skip.", field="answer")


def handled_text(result: Handled) -> tuple[str, str | None]:
    """What the page says about an answer: a status line, and an error when it failed."""
    if result.status != DONE:
        return "", f"{result.title}: {result.error or result.status}"
    if result.outcome == "skipped":
        return f"Skipped {result.title}; nothing was sent.", None
    return DONE_TEXT[result.outcome].format(result.title), None


class Desk:
    """Where the page and the session loop meet; safe to call from the server's threads."""

    def __init__(
        self,
        gate: SessionGate,
        *,
        check: Check,
        caption_minimum: Callable[[str], int],
        article_url: Callable[[str], str],
        images: tuple[str, ...],
    ):
        self.gate = gate
        self.check = check
        self.caption_minimum = caption_minimum
        self.article_url = article_url
        self.images = images
        self.ended = threading.Event()
        self.end_shown = threading.Event()  # the page has been told the session ended
        self.closed_by_gate = False
        self._changed = threading.Condition(threading.RLock())
        self._inbox: queue.Queue[Answer | None] = queue.Queue()
        self._current: tuple[str, Suggestion, dict[str, Any]] | None = None
        self._stopping = False
        self._last: tuple[str, str | None] | None = None
        self._report: SessionReport | None = None

    # The session loop's side (a Decider).
    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        """Show `suggestion` and wait for the page's answer; None ends the session."""
        offer_id = secrets.token_urlsafe(9)
        view = suggestion_view(
            suggestion.offer,
            offer_id,
            caption_minimum=self.caption_minimum(suggestion.task_type),
            url=self.article_url(suggestion.title),
            images=self.images,
        )
        with self._changed:
            if self._stopping:
                return None
            self._current = (offer_id, suggestion, view)
            self._changed.notify_all()
        return self._inbox.get()

    def handled(self, result: Handled) -> None:
        with self._changed:
            self._last = handled_text(result)
            self._changed.notify_all()

    def finish(self, report: SessionReport) -> None:
        """The loop has returned: the page shows why, and nothing more can be answered."""
        if self.closed_by_gate:
            report.stopped = DAILY_LIMIT
        with self._changed:
            self._report, self._current = report, None
            self._changed.notify_all()
        self.ended.set()

    def stop(self) -> None:
        """End the session (Ctrl-C, or the gate closed): the waiting `decide` returns None."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._inbox.put(None)

    @property
    def report(self) -> SessionReport:
        """The session's report, once it has ended."""
        if self._report is None:
            raise RuntimeError("the session has not ended yet")
        return self._report

    # The page's side.
    def _verdicts(self) -> tuple[Verdict, ...]:
        if self._report is not None:
            return self._report.verdicts
        return tuple(self.gate.verdict(kind) for kind in self.gate.task_types)

    def state(self) -> dict[str, Any]:
        """What the page shows now. When every task type of the session has closed while a
        suggestion waits for the page (another session used the quota), the session ends here:
        nothing more can be sent. While the loop works (sending, opening) it finds out itself."""
        with self._changed:
            verdicts = self._verdicts()
            waiting = self._current is not None and not self._stopping
            if waiting and not any(v.open for v in verdicts):
                self.closed_by_gate = True
                self.stop()
            stop = None
            if self._report is not None:
                stop = stop_view(
                    self._report.stopped, verdicts, self._report.error,
                    elsewhere=self.closed_by_gate,
                )  # fmt: skip
            elif self.closed_by_gate:
                stop = stop_view(DAILY_LIMIT, verdicts, elsewhere=True)
            current = self._current[2] if self._current and stop is None else None
            if self._report is not None:
                self.end_shown.set()
            return {
                "quota": [quota_view(v) for v in verdicts],
                "suggestion": current,
                "stop": stop,
                "ended": self._report is not None,
            }

    def answer(self, payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Hand the page's answer to the loop; the reply says what became of it and what
        comes next. 409 for a suggestion that is not the one on offer, 422 for a bad answer."""
        with self._changed:
            current = self._current
            if current is None or payload.get("id") != current[0] or self._stopping:
                return 409, {
                    "error": "That suggestion is no longer on offer; the page now shows what is.",
                    "state": self.state(),
                }
            offer_id, suggestion, _ = current
            try:
                answer = parse_answer(payload)
                self.check(suggestion, answer)
            except InvalidAnswer as error:
                return 422, {"error": str(error), "field": error.field}
            self._current, self._last = None, None
            self._inbox.put(answer)
            self._changed.wait_for(
                lambda: (
                    self._report is not None
                    or (self._current is not None and self._current[0] != offer_id)
                ),
                timeout=ANSWER_WAIT,
            )
            message, problem = self._last or ("", None)
            return 200, {"message": message, "error": problem, "state": self.state()}
