"""The gate around the suggestion source and the submitter: 25 answers a day, never a 26th."""

from __future__ import annotations

from datetime import datetime

import pytest

import policies
from bot.ledger import (
    DAILY_LIMIT,
    NO_MORE_SUGGESTIONS,
    RELEASED,
    RESERVED,
    Gate,
    Ledger,
    Stop,
    WikiCount,
)
from bot.ledger.verdict import Days
from bot.wiki.errors import ApiError, OutcomeUnknown
from tests.ledger.fakes import IMAGE, SECTION, UTC, Clock, Reply, Result, Tasks, Wiki, account

NOON_BERLIN = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 in Berlin, 12 h before midnight
POLICY = policies.load()


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / "state") as opened:
        yield opened


def make_gate(ledger, source=None, wiki=None, clock=None, **options):
    return Gate(
        ledger, POLICY, options.pop("who", account()), source or Tasks(), wiki or Wiki(),
        clock=clock or Clock(NOON_BERLIN), **options,
    )  # fmt: skip


def answer_all(gate, count, clock=None):
    """Answer `count` offered tasks yes/no alternately; returns how the last offer ended."""
    for number in range(count):
        task = gate.next_suggestion()
        assert not isinstance(task, Stop), f"stopped after {number} answers: {task}"
        assert gate.answer(task, Reply("yes" if number % 2 else "no")).sent
        if clock:
            clock.advance(minutes=1)
    return gate.next_suggestion()


def test_the_26th_answer_is_refused_before_anything_is_sent(ledger):
    wiki = Wiki()
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    task = gate.next_suggestion()
    stop = answer_all(gate, 25)
    assert isinstance(stop, Stop) and stop.reason == DAILY_LIMIT
    (closed,) = stop.closed
    assert (closed.count, closed.limit, closed.remaining, closed.open) == (25, 25, 0, False)
    assert closed.reset_text == "resets at 00:00 Europe/Berlin, in 12 h"
    assert closed.open_task_types == (SECTION,)
    assert "Still open: section-image-recommendation" in closed.message()
    late = gate.answer(task, Reply("yes"))  # a task fetched earlier, answered now
    assert not late.sent and not late.verdict.open
    assert wiki.calls == 25


def test_skips_are_recorded_but_never_counted(ledger):
    wiki = Wiki()
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    for _ in range(10):
        task = gate.next_suggestion()
        assert not gate.answer(task, Reply("skip")).sent
    assert isinstance(answer_all(gate, 25), Stop)
    assert wiki.calls == 25
    day = Days.of(POLICY, account(), NOON_BERLIN).user
    outcomes = [entry.outcome for entry in ledger.entries(account(), day)]
    assert outcomes.count("skipped") == 10 and len(outcomes) == 35


def test_each_task_type_has_its_own_count(ledger):
    gate = make_gate(ledger, task_types=[IMAGE, SECTION], source=Tasks())
    assert isinstance(answer_all(gate, 25), Stop) is False  # image full, section still open
    assert gate.verdict(IMAGE).open is False
    assert gate.verdict(SECTION).count == 0


def test_only_open_task_types_are_asked_of_the_source(ledger):
    source = Tasks()
    gate = make_gate(ledger, source=source, task_types=[IMAGE, SECTION])
    answer_all(gate, 25)
    source.asked.clear()
    gate.next_suggestion()
    assert source.asked == [(SECTION,)]


def test_a_task_of_a_closed_type_from_the_source_is_passed_over(ledger):
    source = Tasks(only=IMAGE, left=30)  # the wiki ignores the filter (contract §9.8)
    gate = make_gate(ledger, source=source, task_types=[IMAGE, SECTION])
    answer_all(gate, 25)
    stop = gate.next_suggestion()
    assert isinstance(stop, Stop) and stop.reason == NO_MORE_SUGGESTIONS
    assert source.left == 0


def test_a_wiki_count_ahead_of_the_ledger_closes_the_gate(ledger):
    source = Tasks(counts={IMAGE: WikiCount(25, True, NOON_BERLIN)})
    wiki = Wiki()
    gate = make_gate(ledger, source=source, wiki=wiki, task_types=[IMAGE])
    stop = gate.next_suggestion()
    assert isinstance(stop, Stop) and stop.reason == DAILY_LIMIT
    (closed,) = stop.closed
    assert (closed.count, closed.local_count, closed.source) == (25, 0, "wiki")
    assert closed.closed_by == "server"
    assert wiki.calls == 0


def test_a_stale_wiki_count_is_topped_up_with_the_answers_sent_since(ledger):
    """Another machine did 20 today; the count was read before this session's answers."""
    clock = Clock(NOON_BERLIN)
    source = Tasks(counts={IMAGE: WikiCount(20, False, NOON_BERLIN)})
    wiki = Wiki()
    clock.advance(seconds=1)
    gate = make_gate(ledger, source=source, wiki=wiki, clock=clock, task_types=[IMAGE])
    stop = answer_all(gate, 5, clock)
    assert isinstance(stop, Stop) and stop.reason == DAILY_LIMIT
    assert (stop.closed[0].count, stop.closed[0].local_count) == (25, 5)
    assert wiki.calls == 5


def test_a_fresh_wiki_count_already_holds_the_answers_settled_before_it(ledger):
    clock = Clock(NOON_BERLIN)
    source = Tasks()
    gate = make_gate(ledger, source=source, clock=clock, task_types=[IMAGE])
    answer_all(gate, 5, clock)
    source.counts[IMAGE] = WikiCount(5, False, clock.now)
    verdict = gate.verdict(IMAGE)
    assert (verdict.count, verdict.wiki_count, verdict.remaining) == (5, 5, 20)


def test_a_wiki_with_no_count_at_all_still_stops_at_25(ledger):
    wiki = Wiki()
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])  # qualityGateConfig: []
    stop = answer_all(gate, 25)
    assert isinstance(stop, Stop) and stop.reason == DAILY_LIMIT
    assert stop.closed[0].wiki_count is None and stop.closed[0].source == "ledger"
    assert "the wiki reports no count" in stop.closed[0].source_text()
    assert wiki.calls == 25


def test_the_wikis_lower_limit_applies(ledger):
    wiki = Wiki()
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE], wiki_limits={IMAGE: 10})
    assert isinstance(answer_all(gate, 10), Stop)
    assert wiki.calls == 10


def test_an_unknown_outcome_stays_counted(ledger):
    def timeout_on_third(call):
        if call == 3:
            raise OutcomeUnknown("POST https://wiki.test/w/api.php was sent but no answer came")
        return Result()

    wiki = Wiki(timeout_on_third)
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    answer_all(gate, 2)
    with pytest.raises(OutcomeUnknown):
        gate.answer(gate.next_suggestion(), Reply("yes"))
    stop = answer_all(gate, 22)
    assert isinstance(stop, Stop) and stop.closed[0].count == 25
    assert wiki.calls == 25
    day = Days.of(POLICY, account(), NOON_BERLIN).user
    (unsettled,) = ledger.unsettled(account(), day)
    assert unsettled.state == RESERVED and unsettled.outcome_unknown
    assert unsettled.note.startswith("outcome unknown: POST")
    assert stop.closed[0].unsettled == 1


def test_a_definite_failure_frees_its_slot(ledger):
    def refused_on_third(call):
        if call == 3:
            raise ApiError("hookaborted", "Captions must be 5 characters or longer.")
        return Result()

    wiki = Wiki(refused_on_third)
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    answer_all(gate, 2)
    with pytest.raises(ApiError):
        gate.answer(gate.next_suggestion(), Reply("yes"))
    assert isinstance(answer_all(gate, 23), Stop)
    assert wiki.calls == 26 and len(wiki.received) == 25
    day = Days.of(POLICY, account(), NOON_BERLIN).user
    released = [entry for entry in ledger.entries(account(), day) if entry.state == RELEASED]
    assert [entry.note for entry in released] == [
        "not sent: The wiki refused the request (hookaborted): "
        "Captions must be 5 characters or longer."
    ]


def test_an_interrupted_send_stays_counted(ledger):
    def interrupted(_call):
        raise KeyboardInterrupt

    gate = make_gate(ledger, wiki=Wiki(interrupted), task_types=[IMAGE])
    with pytest.raises(KeyboardInterrupt):
        gate.answer(gate.next_suggestion(), Reply("no"))
    verdict = gate.verdict(IMAGE)
    assert (verdict.count, verdict.unsettled) == (1, 1)


def test_the_wikis_warning_closes_the_gate_at_once(ledger):
    wiki = Wiki(lambda call: Result(daily_limit_reached=call == 10))
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    stop = answer_all(gate, 10)
    assert isinstance(stop, Stop) and stop.reason == DAILY_LIMIT
    assert stop.closed[0].count == 10 and stop.closed[0].closed_by == "server"
    assert wiki.calls == 10
    again = make_gate(ledger, task_types=[IMAGE, SECTION])  # another session, same ledger
    assert not again.verdict(IMAGE).open
    assert again.verdict(SECTION).open
    day = Days.of(POLICY, account(), NOON_BERLIN).user
    assert [entry.wiki_warning for entry in ledger.entries(account(), day)][-1] is True


def test_another_tab_uses_the_last_slot_between_check_and_send(ledger, tmp_path):
    first_wiki, second_wiki = Wiki(), Wiki()
    first = make_gate(ledger, wiki=first_wiki, task_types=[IMAGE])
    answer_all(first, 24)
    shown = first.next_suggestion()  # the first tab shows a task; the user thinks
    with Ledger.open(tmp_path / "state") as other_connection:
        second = make_gate(other_connection, wiki=second_wiki, task_types=[IMAGE])
        assert second.answer(second.next_suggestion(), Reply("yes")).sent
    result = first.answer(shown, Reply("yes"))
    assert not result.sent and result.verdict.count == 25
    assert (first_wiki.calls, second_wiki.calls) == (24, 1)


def test_the_answer_records_who_what_and_which_day(ledger):
    gate = make_gate(ledger, task_types=[IMAGE], session="s-1")
    task = gate.next_suggestion()
    gate.answer(task, Reply("yes"))
    day = Days.of(POLICY, account(), NOON_BERLIN).user
    (entry,) = ledger.entries(account(), day)
    assert (entry.wiki, entry.user_id, entry.user_name) == ("https://wiki.test/w", 7, "Volunteer")
    assert (entry.task_type, entry.title, entry.outcome) == (IMAGE, task.title, "accepted")
    assert (entry.state, entry.day, entry.day_zone) == ("committed", "2026-07-01", "Europe/Berlin")
    assert (entry.day_start, entry.day_end) == (
        "2026-06-30T22:00:00.000000Z",
        "2026-07-01T22:00:00.000000Z",
    )
    assert entry.at == "2026-07-01T10:00:00.000000Z" and entry.session == "s-1"


def test_answers_without_an_outcome_attribute_are_read_by_outcome_of(ledger):
    """bot.growth's answers are `Accept | Reject | Skip`; the session passes its classifier."""

    class Accept:
        pass

    class Skip:
        pass

    wiki = Wiki()
    gate = make_gate(
        ledger, wiki=wiki, task_types=[IMAGE],
        outcome_of=lambda answer: "accepted" if isinstance(answer, Accept) else "skipped",
    )  # fmt: skip
    assert not gate.answer(gate.next_suggestion(), Skip()).sent
    assert gate.answer(gate.next_suggestion(), Accept()).sent
    assert wiki.calls == 1 and gate.verdict(IMAGE).count == 1


class OtherMachine(Tasks):
    """A task list whose wiki count, when asked afresh, shows another machine's answers."""

    def __init__(self, later: WikiCount):
        super().__init__(counts={IMAGE: WikiCount(3, False, NOON_BERLIN)})
        self.later = later

    def wiki_count(self, task_type, *, fresh=False):
        if fresh:
            self.counts[task_type] = self.later
        return super().wiki_count(task_type, fresh=fresh)


def test_the_wikis_count_is_asked_afresh_right_before_each_answer_is_sent(ledger):
    source = Tasks()
    gate = make_gate(ledger, source=source, task_types=[IMAGE])
    answer_all(gate, 4)
    assert source.fresh_reads == 4


def test_answers_from_another_machine_seen_afresh_stop_the_send(ledger):
    source = OtherMachine(later=WikiCount(25, True, NOON_BERLIN))
    wiki = Wiki()
    gate = make_gate(ledger, source=source, wiki=wiki, task_types=[IMAGE])
    shown = gate.next_suggestion()
    assert not isinstance(shown, Stop)  # the last count seen was 3
    result = gate.answer(shown, Reply("yes"))
    assert not result.sent and result.verdict.source == "wiki"
    assert wiki.calls == 0


def test_a_prefetching_thread_may_check_while_the_answer_is_sent(ledger):
    """The session fetches the next suggestion while the user decides: one Ledger, two threads."""
    from concurrent.futures import ThreadPoolExecutor

    wiki = Wiki()
    gate = make_gate(ledger, wiki=wiki, task_types=[IMAGE])
    with ThreadPoolExecutor(max_workers=1) as prefetcher:
        upcoming = prefetcher.submit(gate.next_suggestion)
        for _ in range(25):
            task = upcoming.result()
            upcoming = prefetcher.submit(gate.next_suggestion)
            assert gate.answer(task, Reply("yes")).sent
        assert isinstance(prefetcher.submit(gate.next_suggestion).result(), Stop)
    assert wiki.calls == 25
