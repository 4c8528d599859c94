"""`qa image-limit`: the "Add an image" daily limit, checked THROUGH gatebot's gate on the wiki
(contract growthexperiments §3.5, §4; DESIGN §2.2).

Only answers that change no article and leave the suggestion for others are sent: skips (which
send nothing) and "no" with the undecided reason `unfamiliar`, which the wiki counts but which
keeps the recommendation (§3.5). The session's own gate and source (`bot.suggestions`) do the
work; this module only answers and compares the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bot.growth import IMAGE_TASK_TYPES, Reject, Skip
from bot.ledger import Answered, Ledger, Stop, Verdict
from bot.qa.checklist import Check, Checklist, check, not_run
from bot.qa.testwiki import require_test_wiki
from bot.suggestions import Session, Suggestion, build_session
from bot.wiki import WikiClient
from policies.policy import Policy

NAME = "image-limit"
TASK_TYPES = IMAGE_TASK_TYPES
DEFAULT_MAX_WRITES = 25
UNDECIDED = Reject(("unfamiliar",))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class _Counts:
    """gatebot's count and the wiki's (None: it reports none) after each answer sent."""

    steps: list[tuple[str, int, int | None]] = field(default_factory=list)

    def add(self, label: str, verdict: Verdict) -> None:
        self.steps.append((label, verdict.count, verdict.wiki_reported))

    def evidence(self) -> list[str]:
        """The first and last reading, and every reading where the two counts moved apart."""
        first_count, first_wiki = self.steps[0][1], self.steps[0][2]
        shown = [
            step
            for number, step in enumerate(self.steps)
            if number in (0, len(self.steps) - 1)
            or step[2] is None
            or first_wiki is None
            or step[2] - first_wiki != step[1] - first_count
        ]
        return [
            f"{label}: gatebot {count}, wiki dailyCount {'none' if wiki is None else wiki}"
            for label, count, wiki in shown
        ] + ([f"{len(self.steps)} readings in all"] if len(self.steps) > len(shown) else [])


def run(
    wiki: WikiClient,
    policy: Policy,
    *,
    state_dir: Path,
    task_type: str = TASK_TYPES[0],
    max_writes: int = DEFAULT_MAX_WRITES,
    yes: bool = False,
    announce: Callable[[str], None] = lambda line: None,
    clock: Callable[[], datetime] = utc_now,
) -> Checklist:
    """Read the limit and the user's day, then answer through the gate until it closes or
    `max_writes` answers were sent; the answers are kept in the ledger under `state_dir`."""
    info = wiki.userinfo()
    checklist = Checklist(NAME, wiki.target.api_url, info.name)
    with Ledger.open(state_dir) as ledger:
        session = build_session(
            wiki, policy, ledger, task_types=[task_type], prefetch=False, clock=clock
        )
        try:
            _LimitRun(session, policy, checklist, task_type, max_writes, clock).all(
                wiki, yes, announce
            )
        finally:
            session.source.close()
    return checklist


class _LimitRun:
    def __init__(
        self,
        session: Session,
        policy: Policy,
        checklist: Checklist,
        task_type: str,
        max_writes: int,
        clock: Callable[[], datetime],
    ):
        self.gate, self.source = session.gate, session.source
        self.policy, self.checklist, self.task_type = policy, checklist, task_type
        self.max_writes, self.clock = max_writes, clock
        self.sent = 0
        self.counts = _Counts()

    def verdict(self, *, fresh: bool = False) -> Verdict:
        if fresh:
            self.source.wiki_count(self.task_type, fresh=True)
        return self.gate.verdict(self.task_type)

    def next_task(self) -> Suggestion | Stop:
        return self.gate.next_suggestion()

    def all(self, wiki: WikiClient, yes: bool, announce: Callable[[str], None]) -> None:
        start = self.verdict(fresh=True)
        self.counts.add("at the start", start)
        needed = start.remaining if start.remaining is not None else 0
        planned = min(needed, self.max_writes) if start.open else 0
        self.checklist.notes.append(self.reading(start))
        if planned:
            require_test_wiki(self.checklist.wiki, f"sends up to {planned} answers", yes=yes)
        announce(
            f"will send up to {planned} answers on {self.checklist.wiki} as "
            f"{self.checklist.user} ({self.task_type}: 'no' with the reason unfamiliar, which "
            "changes no article and keeps the suggestion; each counts for today) and skips, "
            "which send nothing."
        )
        skipped = self.skip_not_counted(start)
        counted = self.no_counted(skipped is not None)
        closing = self.closes_at_limit(skipped, counted)
        self.add(self.wiki_agrees())
        self.add(self.resets_at_midnight(wiki, closing))

    def add(self, item: Check) -> None:
        self.checklist.add(item)

    def reading(self, verdict: Verdict) -> str:
        wiki_max = self.gate.wiki_limits.get(self.task_type)
        return (
            f"Read at the start: limit {verdict.limit} a day for {self.task_type} (policy "
            f"{self.policy.daily_limit(self.task_type)}, wiki maxTasksPerDay {wiki_max}); "
            f"counted today {verdict.count}, {verdict.source_text()}; the user's day began "
            f"{verdict.day_start:%Y-%m-%d %H:%M} {verdict.zone}."
        )

    def answer(self, task: Suggestion, answer: Reject | Skip, label: str) -> Answered[Suggestion]:
        done = self.gate.answer(task, answer)
        if done.sent:
            self.sent += 1
            self.checklist.writes += 1
            self.counts.add(label, self.verdict(fresh=True))
        return done

    def skip_not_counted(self, start: Verdict) -> Suggestion | None:
        """A skip sends nothing and counts for neither gatebot nor the wiki."""
        criterion = "A skip is not counted (gatebot's count and the wiki's dailyCount stay)"
        task = self.next_task()
        if isinstance(task, Stop):
            self.add(not_run(criterion, self._stopped(task)))
            return None
        self.answer(task, Skip(), "after a skip")
        after = self.verdict(fresh=True)
        same_wiki = after.wiki_reported == start.wiki_reported
        evidence = [
            f"skip {task.title}: nothing sent",
            f"before: gatebot {start.count}, wiki {start.wiki_reported}; after: gatebot "
            f"{after.count}, wiki {after.wiki_reported}",
        ]
        self.add(
            check(
                criterion,
                after.count == start.count and same_wiki,
                evidence,
                todo="A skip changed a count: report it with the evidence.",
            )
        )
        return task

    def no_counted(self, can_run: bool) -> Verdict | None:
        """A "no" (unfamiliar) counts one for gatebot and one for the wiki."""
        criterion = "A no (reason unfamiliar) is counted once by gatebot and by the wiki"
        if not can_run or self.max_writes < 1:
            why = "--max-writes 0 allows no answer." if can_run else "No suggestion to answer."
            self.add(not_run(criterion, why))
            return None
        before = self.verdict(fresh=True)
        task = self.next_task()
        if isinstance(task, Stop):
            self.add(not_run(criterion, self._stopped(task)))
            return None
        done = self.answer(task, UNDECIDED, "after no 1")
        after = self.verdict()
        wiki_rose = before.wiki_reported is None or after.wiki_reported == before.wiki_reported + 1
        log_id = getattr(done.result, "log_id", None)
        evidence = [
            f"no (unfamiliar) {task.title}: {'sent' if done.sent else 'not sent'}, wiki log id "
            f"{log_id}",
            f"before: gatebot {before.count}, wiki {before.wiki_reported}; after: gatebot "
            f"{after.count}, wiki {after.wiki_reported}",
        ]
        ok = done.sent and after.count == before.count + 1 and wiki_rose
        self.add(
            check(
                criterion,
                ok,
                evidence,
                todo="The count did not rise by one: report it with the evidence.",
            )
        )
        return after

    def closes_at_limit(self, skipped: Suggestion | None, counted: Verdict | None) -> Verdict:
        """Answer until the gate closes, then offer one more answer: it must not be sent."""
        verdict = counted or self.verdict()
        criterion = "The gate closes at the limit and does not send the next answer"
        if counted is None or skipped is None:
            self.add(not_run(criterion, "The earlier criteria could not send an answer."))
            return verdict
        warned = False
        while verdict.open and self.sent < self.max_writes:
            task = self.next_task()
            if isinstance(task, Stop):
                self.add(not_run(criterion, self._stopped(task)))
                return verdict
            done = self.answer(task, UNDECIDED, f"after no {self.sent + 1}")
            warned = warned or bool(getattr(done.result, "daily_limit_reached", False))
            verdict = self.verdict()
        if verdict.open:
            self.add(
                not_run(
                    criterion,
                    f"The limit is {verdict.limit} and {verdict.count} are counted: "
                    f"{verdict.remaining} more answers are needed, beyond --max-writes "
                    f"{self.max_writes}; run again with --max-writes "
                    f"{self.sent + (verdict.remaining or 0)}.",
                )
            )
            return verdict
        before = self.verdict(fresh=True)
        extra = self.gate.answer(skipped, UNDECIDED)
        after = self.verdict(fresh=True)
        stop = self.next_task()
        evidence = [
            f"closed at gatebot {before.count} of {before.limit} (wiki {before.wiki_reported}); "
            f"the wiki {'warned' if warned else 'did not warn'} …dailytasksexceeded",
            f"one more no for {skipped.title}: {'SENT' if extra.sent else 'not sent'}; wiki "
            f"{before.wiki_reported} -> {after.wiki_reported}",
            f"next suggestion: {stop.reason if isinstance(stop, Stop) else stop.title}",
        ]
        ok = (
            before.limit is not None
            and before.count >= before.limit
            and not extra.sent
            and after.wiki_reported == before.wiki_reported
            and isinstance(stop, Stop)
            and stop.reason == "daily-limit"
        )
        self.add(
            check(
                criterion,
                ok,
                evidence,
                todo="The gate let an answer through at the limit: report it.",
            )
        )
        return after

    def wiki_agrees(self) -> Check:
        """After each answer sent, the wiki's dailyCount rose with gatebot's count."""
        criterion = "The wiki's dailyCount agrees with gatebot's count after each answer"
        steps = self.counts.steps
        if any(wiki is None for _, _, wiki in steps):
            return not_run(
                criterion,
                "The wiki reports no count (qualityGateConfig: []), as Patch Demo wikis with a "
                "remote suggester do: there gatebot's ledger alone gates.",
                self.counts.evidence(),
            )
        if len(steps) < 2:
            return not_run(criterion, "No answer was sent.", self.counts.evidence())
        base_local, base_wiki = steps[0][1], steps[0][2] or 0
        agree = all(
            wiki - base_wiki == count - base_local for _, count, wiki in steps if wiki is not None
        )
        return check(
            criterion,
            agree,
            self.counts.evidence(),
            todo="The wiki counted otherwise than gatebot: another device answering at "
            "the same time would explain it; otherwise report it.",
        )

    def resets_at_midnight(self, wiki: WikiClient, verdict: Verdict) -> Check:
        """The gate reopens at midnight in the user's zone (the wiki's, when only its count
        closes the gate for a manual offset, DESIGN §2.2)."""
        info, site, now = wiki.userinfo(), wiki.siteinfo(), self.clock()
        user_day = self.policy.user_day(info.timecorrection, site.timezone, now)
        expected, whose = user_day, "the user's"
        if verdict.reset_zone != user_day.zone:
            expected = self.policy.server_day(info.timecorrection, site.timezone, now)
            whose = "the wiki's (its count closed the gate; it counts this user from its midnight)"
        local = verdict.resets_at.astimezone(expected.tz)
        ok = verdict.resets_at == expected.end and (local.hour, local.minute) == (0, 0)
        evidence = [
            f"timecorrection {info.timecorrection or 'not set'}, wiki zone {site.timezone}: "
            f"{whose} day ends {expected.end.astimezone(expected.tz):%Y-%m-%d %H:%M} "
            f"{expected.zone}",
            f"gate: {verdict.reset_text} ({verdict.resets_at.isoformat()})",
        ]
        return check(
            f"The gate reopens at {whose.split(' (')[0]} midnight ({expected.zone})",
            ok,
            evidence,
            todo="The reset time is not midnight in the user's zone: report it.",
        )

    def _stopped(self, stop: Stop) -> str:
        if stop.reason == "daily-limit":
            return "The daily limit is already reached today; run again after the reset."
        return "The wiki has no more suggestions of this type for the user."
