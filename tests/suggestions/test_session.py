"""The session loop over the real gate and ledger: the wiki's side (opening suggestions, taking
answers) is a stand-in that records what was asked of it and from which thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pytest

import policies
from bot.growth import IMAGE, SECTION_IMAGE, Accept, Answer, EditConflict, QualityGate, Reject, Skip
from bot.growth.answers import outcome
from bot.growth.suggestions import BaseRevision, ImageSuggestion, Offer
from bot.growth.tasks import Task
from bot.ledger import Gate, Ledger, Verdict
from bot.suggestions import (
    DONE,
    INTERRUPTED,
    MAX,
    NOT_SENT,
    REFUSED,
    Handled,
    PrefetchingSource,
    Suggestion,
    run_session,
)
from bot.suggestions.source import WikiCounts
from tests.ledger.fakes import UTC, Clock, account

NOON_BERLIN = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
POLICY = policies.load()
YES, NO = Accept("A caption long enough"), Reject(("notrelevant",))


def offer(title: str, task_type: str = IMAGE) -> Offer:
    image = ImageSuggestion(
        task_type, title, f"{title}.jpg", f"{title}.jpg", "wikidata", (), None,
        "https://thumb.test/x.jpg", "https://commons.test/File:x.jpg", "", "a reason",
        *((1, "History") if task_type == SECTION_IMAGE else (None, None)),
    )  # fmt: skip
    return Offer(Task(title, task_type, 0), image, BaseRevision(1, "", "text"), "")


class NoCounts:
    """A wiki that reports no daily count (`qualityGateConfig: []`)."""

    def quality_gate(self, task_types: Sequence[str]) -> QualityGate:
        return QualityGate()


@dataclass
class Wiki:
    """Opens suggestions (titles Article 1, 2, ... of the first type asked, unless `types` says)
    and takes answers; records which thread opened each one."""

    types: list[str] = field(default_factory=list)
    opened: list[tuple[str, str]] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    received: list[str] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    left: int = 100

    def open(self, task_types: Sequence[str]) -> Suggestion | None:
        self.threads.add(threading.current_thread().name)
        if self.left == 0:
            return None
        self.left -= 1
        kind = self.types.pop(0) if self.types else task_types[0]
        title = f"Article {len(self.opened) + 1}"
        self.opened.append((kind, title))
        return Suggestion(offer(title, kind))

    def submit(self, task: Suggestion, answer: Answer):
        if task.title in self.refuse:
            raise EditConflict(f"{task.title} was edited meanwhile; nothing was saved.")
        self.received.append(task.title)
        return type("Result", (), {"daily_limit_reached": False})()


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / "state") as opened:
        yield opened


def session(ledger, wiki: Wiki, task_types=(IMAGE,), background=True):
    clock = Clock(NOON_BERLIN)
    source = PrefetchingSource(wiki.open, WikiCounts(NoCounts(), clock), background=background)  # type: ignore[arg-type]
    gate: Gate[Suggestion, Answer] = Gate(
        ledger, POLICY, account(), source, wiki, task_types=task_types, outcome_of=outcome,
        clock=clock,
    )  # fmt: skip
    return gate, source


@dataclass
class Person:
    """Answers from a list; `before(n, suggestion)` runs while the n-th suggestion is decided."""

    answers: list[Answer | None]
    before: Callable[[int, Suggestion], None] = lambda n, s: None
    shown: list[tuple[str, str, int]] = field(default_factory=list)
    told: list[Handled] = field(default_factory=list)

    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        self.shown.append((suggestion.task_type, suggestion.title, verdict.count))
        self.before(len(self.shown), suggestion)
        return self.answers.pop(0) if self.answers else None

    def handled(self, result: Handled) -> None:
        self.told.append(result)


def use_slots(ledger, n: int, task_type: str = IMAGE) -> None:
    """Another session of the same user answers `n` times."""
    other = Wiki(types=[task_type] * n)
    gate, _ = session(ledger, other, task_types=(task_type,), background=False)
    for _ in range(n):
        task = gate.next_suggestion()
        assert isinstance(task, Suggestion)
        assert gate.answer(task, YES).sent


def test_the_next_suggestion_is_opened_in_one_background_thread_while_the_person_decides(ledger):
    wiki = Wiki()

    def check_prefetch(n: int, suggestion: Suggestion) -> None:
        deadline = time.monotonic() + 5
        while len(wiki.opened) < n + 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(wiki.opened) == n + 1  # opened while this one is still being decided

    gate, source = session(ledger, wiki)
    report = run_session(gate, source, Person([YES, NO, Skip(), None], check_prefetch))
    assert report.stopped == INTERRUPTED  # the person ended it
    assert (report.accepted, report.rejected, report.skipped) == (1, 1, 1)
    assert wiki.threads == {"gatebot-prefetch_0"}
    assert not [t for t in threading.enumerate() if t.name.startswith("gatebot-prefetch")]


def test_a_prefetched_suggestion_of_a_type_closed_meanwhile_is_not_shown(ledger):
    use_slots(ledger, 23)
    wiki = Wiki(types=[IMAGE, IMAGE, SECTION_IMAGE])
    # While Article 1 is decided, Article 2 (an image task) is opened ahead; another session
    # then takes the 24th slot, and Article 1's yes the 25th: image tasks are closed.
    person = Person([YES, NO, None], lambda n, s: use_slots(ledger, 1) if n == 1 else None)
    gate, source = session(ledger, wiki, task_types=(IMAGE, SECTION_IMAGE))
    report = run_session(gate, source, person)
    assert [title for _, title, _ in person.shown][:2] == ["Article 1", "Article 3"]
    assert {kind for kind, _, _ in person.shown[1:]} == {SECTION_IMAGE}
    assert ("image-recommendation", "Article 2") in wiki.opened  # opened ahead, never shown
    assert wiki.received[-2:] == ["Article 1", "Article 3"]
    image = next(v for v in report.verdicts if v.task_type == IMAGE)
    assert (image.open, image.count) == (False, 25)


def test_nothing_is_opened_ahead_that_the_gate_would_not_let_be_shown(ledger):
    use_slots(ledger, 24)
    wiki = Wiki()
    gate, source = session(ledger, wiki)
    report = run_session(gate, source, Person([YES, YES]))
    assert report.stopped == "daily-limit" and report.answered == 1
    assert len(wiki.opened) == 1  # no suggestion data fetched for a 26th that cannot be shown


def test_max_counts_yes_and_no_answers_and_opens_nothing_beyond(ledger):
    wiki = Wiki()
    gate, source = session(ledger, wiki)
    report = run_session(gate, source, Person([Skip(), YES, NO, YES]), max_answers=2)
    assert (report.stopped, report.answered, report.skipped) == (MAX, 2, 1)
    assert len(wiki.opened) == 3


def test_the_last_slot_taken_by_another_session_before_sending_is_not_sent(ledger):
    use_slots(ledger, 24)
    wiki = Wiki()
    person = Person([YES], lambda n, s: use_slots(ledger, 1))
    gate, source = session(ledger, wiki)
    report = run_session(gate, source, person)
    (refused,) = person.told
    assert (refused.status, refused.outcome) == (NOT_SENT, "accepted")
    assert "the daily limit was reached first" in (refused.error or "")
    assert "Article 1" not in wiki.received
    assert report.stopped == "daily-limit"


def test_a_refused_answer_is_reported_and_frees_its_slot_and_the_session_goes_on(ledger):
    wiki = Wiki(refuse={"Article 1"}, left=2)
    gate, source = session(ledger, wiki)
    report = run_session(gate, source, Person([YES, NO]))
    assert [(h.title, h.status) for h in report.handled] == [
        ("Article 1", REFUSED), ("Article 2", DONE),
    ]  # fmt: skip
    assert "edited meanwhile" in (report.handled[0].error or "")
    assert report.stopped == "no-more-suggestions"
    assert report.verdicts[0].count == 1


def test_ctrl_c_while_deciding_ends_the_session_with_its_report(ledger):
    def interrupt(n: int, suggestion: Suggestion) -> None:
        if n == 2:
            raise KeyboardInterrupt

    wiki = Wiki()
    gate, source = session(ledger, wiki)
    report = run_session(gate, source, Person([YES, YES], interrupt))
    assert (report.stopped, report.keyboard_interrupt, report.answered) == (INTERRUPTED, True, 1)
    assert report.as_json()["stopped"] == "interrupted"
    assert not [t for t in threading.enumerate() if t.name.startswith("gatebot-prefetch")]


def test_without_prefetch_every_suggestion_is_opened_when_it_is_needed(ledger):
    wiki = Wiki()
    gate, source = session(ledger, wiki, background=False)
    run_session(gate, source, Person([YES, NO]))
    assert wiki.threads == {threading.current_thread().name}
    assert len(wiki.opened) == 3  # the third, asked for after the second answer, is not shown
