"""Putting a session together on a logged-in wiki: the GrowthExperiments client, the user's
account and ledger, the gate around the source and the submitter; and today's quota for
`images quota` (and the demo's quota step), from the same pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.growth import IMAGE_TASK_TYPES, Answer, GrowthClient, TaskFeed, TaskQuery
from bot.growth.answers import check_answer, outcome
from bot.growth.errors import TaskTypeUnavailable
from bot.ledger import Account, Gate, Ledger, Verdict, quota_summary
from bot.suggestions.answers_file import AnswerRow, RowProblem
from bot.suggestions.reconcile import AnswerLog
from bot.suggestions.session import Check, Handled, SessionReport, counted_by
from bot.suggestions.source import (
    GrowthSubmitter,
    PrefetchingSource,
    RowOpener,
    Suggestion,
    WikiCounts,
    feed_opener,
    utc_now,
)
from bot.wiki import WikiClient
from policies.policy import Policy


@dataclass(frozen=True)
class Session:
    """The parts of one session: run it with `run_session(gate, source, decider, check=...)`.
    `rows` is the answers file's opener (None in an interactive session)."""

    gate: Gate[Suggestion, Answer]
    source: PrefetchingSource
    check: Check
    caption_minimum: Callable[[str], int]
    article_url: Callable[[str], str]
    rows: RowOpener | None


def _wiki_limits(growth: GrowthClient, task_types: Sequence[str]) -> dict[str, int]:
    limits = growth.limits()
    unavailable = [kind for kind in task_types if kind in limits.disabled]
    if unavailable:
        raise TaskTypeUnavailable(
            f"The wiki has switched off {', '.join(unavailable)} (in {limits.source}); "
            "choose another --task-type."
        )
    return {kind: limits.max_per_day(kind) for kind in IMAGE_TASK_TYPES}


def article_url(wiki: WikiClient) -> Callable[[str], str]:
    """The link to an article on the wiki (`index.php?title=`, which every wiki answers)."""
    site = wiki.siteinfo()
    base = f"{site.server}{site.script_path}/index.php?title="

    def url(title: str) -> str:
        return base + title.replace(" ", "_").replace("&", "%26").replace("?", "%3F")

    return url


def build_session(
    wiki: WikiClient,
    policy: Policy,
    ledger: Ledger,
    *,
    task_types: Sequence[str] = IMAGE_TASK_TYPES,
    topics: Sequence[str] = (),
    topics_mode: str = "OR",
    rows: Sequence[AnswerRow] | None = None,
    prefetch: bool = True,
    clock: Callable[[], datetime] = utc_now,
) -> Session:
    """A gated session of the logged-in user: suggestions from the wiki (or the answers file's
    titles, in its order); the wiki's counts are read once now, before anything is shown."""
    growth = GrowthClient(wiki)
    query = TaskQuery(tuple(task_types), tuple(topics), topics_mode)
    wiki_limits = _wiki_limits(growth, query.task_types)
    account = Account.from_wiki(wiki.userinfo(), wiki.siteinfo())
    answer_log = AnswerLog(ledger, growth, account)
    answer_log.settle_unknowns(clock())
    counts = WikiCounts(growth, clock)
    counts.refresh(query.task_types)
    row_opener = None
    if rows is not None:
        row_opener = RowOpener(growth, rows, lambda title: ledger.answered(account, title))
    opener = row_opener or feed_opener(TaskFeed(growth, query), counts)
    source = PrefetchingSource(opener, counts, background=prefetch)
    gate: Gate[Suggestion, Answer] = Gate(
        ledger, policy, account, source, GrowthSubmitter(growth, answer_log, clock),
        task_types=query.task_types, wiki_limits=wiki_limits, outcome_of=outcome, clock=clock,
    )  # fmt: skip
    limits = growth.limits()

    def check(suggestion: Suggestion, answer: Answer) -> None:
        check_answer(suggestion.offer, answer, limits.caption_minimum(suggestion.task_type))

    return Session(gate, source, check, limits.caption_minimum, article_url(wiki), row_opener)


@dataclass(frozen=True)
class Quota:
    """Today's quota of one task type for the logged-in user: the gate's verdict, with the
    ledger's and the wiki's counts and which one decides."""

    wiki: str
    user: str
    verdict: Verdict
    limits_source: str

    def as_json(self) -> dict[str, Any]:
        return {
            "wiki": self.wiki,
            "user": self.user,
            **self.verdict.as_json(),
            "counted_by": counted_by(self.verdict),
            "count_source": self.verdict.source_text(),
            "limits_from": self.limits_source,
        }


def read_quota(
    wiki: WikiClient,
    policy: Policy,
    ledger: Ledger,
    task_type: str,
    *,
    clock: Callable[[], datetime] = utc_now,
) -> Quota:
    """The quota as the gate would judge it now: a fresh count from the wiki, the ledger's."""
    growth = GrowthClient(wiki)
    wiki_limits = _wiki_limits(growth, [task_type])
    account = Account.from_wiki(wiki.userinfo(), wiki.siteinfo())
    AnswerLog(ledger, growth, account).settle_unknowns(clock())
    counts = WikiCounts(growth, clock)
    counts.refresh([task_type])
    verdict = quota_summary(
        ledger, policy, account, task_type, now=clock(), wiki_count=counts.get,
        wiki_limits=wiki_limits,
    )  # fmt: skip
    return Quota(account.wiki, account.user_name, verdict, growth.limits().source)


class RowAnswers:
    """The decider of an answers-file session: each suggestion gets its row's answer (a
    suggestion without a row ends the session); `handled` shows nothing, the report has all."""

    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        return suggestion.row.answer if suggestion.row is not None else None

    def handled(self, result: Handled) -> None:
        return None


def settle_rows(
    report: SessionReport,
    rows: Sequence[AnswerRow],
    problems: Sequence[RowProblem],
    opener: RowOpener,
) -> None:
    """Give every row of the answers file its fate in `report`: answered, unreadable, not
    offered by the wiki, or not reached before the session stopped. Call it after the session
    (the opener's thread has stopped)."""
    answered = {handled.row for handled in report.handled}
    not_offered = {row.number for row in opener.not_offered}
    report.problems = list(problems)
    for row in rows:
        if row.number in answered:
            continue
        if (earlier := opener.already_answered.get(row.number)) is not None:
            why = (
                f"already answered {earlier.outcome} on {earlier.day} (the wiki took it); "
                "not sent again"
            )
            report.problems.append(RowProblem(row.number, row.title, None, why, done=True))
            continue
        if row.number in not_offered:
            why = "not offered: the wiki has no image suggestion for this article now"
        else:
            why = f"not reached: the session stopped first ({report.stopped})"
        report.problems.append(RowProblem(row.number, row.title, None, why))
