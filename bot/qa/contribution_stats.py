"""`qa contribution-stats`: the acceptance criteria of contribution statistics, checked on the
wiki itself with test events (contract campaignevents §2, §4.3, §5; DESIGN §2.1).

Few writes: one page and one registration per contribution type, one edit, one PUT per allowed
sample country, the removal; every other probe is a PUT the wiki should refuse, and a refusal
writes nothing. Each expected answer comes from the local policy, so a difference is drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from bot.campaignevents import CampaignEventsError, Registration
from bot.campaignevents.errors import ENABLE_RIGHT
from bot.qa.checklist import Check, Checklist, check, exchange, not_run, request_text
from bot.qa.drift import Answers, drift_checks
from bot.qa.qa_events import QaEvents, qa_registration
from bot.qa.testwiki import require_test_wiki
from bot.wiki import WikiClient
from bot.wiki.errors import RestError
from policies.contribution_stats import DISALLOWED_COUNTRY
from policies.countries import country_name, normalize_country
from policies.event_types import label_for
from policies.policy import Policy

NAME = "contribution-stats"
ROUTE = "/campaignevents/v0/event_registration"
SAMPLE = ("DE", "PT", "IN", "BR", "US")  # allowed countries asked by default
ADDRESS = "Gatebot QA test address"
NON_CONTRIBUTION_TYPE = "meetup"
OLD_WIKI = (
    "The wiki's GET has no tracks_contributions: CampaignEvents before REL1_45, or the feature "
    "flag off (contract campaignevents §2.1); check on a wiki with the current extension."
)


@dataclass(frozen=True)
class Plan:
    """What a run will do, so it can say how many writes it makes before making any."""

    types: tuple[str, ...]
    disallowed: tuple[str, ...]
    sample: tuple[str, ...]
    keep: bool
    delete_pages: bool

    @property
    def writes(self) -> int:
        removal = 0 if self.keep else len(self.types) * (2 if self.delete_pages else 1)
        return 2 * len(self.types) + 1 + len(self.sample) + removal

    @property
    def refusals(self) -> int:
        country = 2 if self.disallowed else 0
        return 1 + country + len(self.disallowed)

    def sentence(self, api_url: str, user: str) -> str:
        removal = (
            "kept, --keep"
            if self.keep
            else ("then deleted" if self.delete_pages else "registrations then deleted, pages left")
        )
        return (
            f"will make {self.writes} writes on {api_url} as {user}: {len(self.types)} test "
            f"pages and events ({removal}), 1 edit, {len(self.sample)} allowed sample "
            f"countries; {self.refusals} more requests should be refused and write nothing "
            "(each one the wiki accepts is a write more, and a failed criterion)."
        )


def sample_countries(codes: Sequence[str], policy: Policy) -> tuple[str, ...]:
    """The allowed countries to ask about: codes or names, read as events files read them;
    those on the local disallowed list are asked anyway as part of that list."""
    normalised = dict.fromkeys(normalize_country(code) for code in codes)
    return tuple(code for code in normalised if code not in policy.disallowed_countries)


def run(
    wiki: WikiClient,
    policy: Policy,
    *,
    prefix: str,
    keep: bool,
    now: datetime,
    sample: Sequence[str] = SAMPLE,
    yes: bool = False,
    announce: Callable[[str], None] = lambda line: None,
) -> Checklist:
    """Run every criterion on `wiki` (logged in) and remove the test events unless `keep`.
    A wiki that is not a test wiki is refused before any write unless `yes`; errors that make
    the wiki unusable (exit status 3) stop the run after the removal."""
    info = wiki.userinfo()
    wiki.require_rights(ENABLE_RIGHT, "edit", "createpage")
    checklist = Checklist(NAME, wiki.target.api_url, info.name)
    plan = Plan(
        types=policy.contribution_types,
        disallowed=tuple(sorted(policy.disallowed_countries)),
        sample=sample_countries(sample, policy),
        keep=keep,
        delete_pages="delete" in info.rights,
    )
    require_test_wiki(checklist.wiki, f"makes {plan.writes} writes", yes=yes)
    events = QaEvents(wiki, checklist)
    pages = {kind: f"{prefix}{kind}" for kind in plan.types}
    events.require_free(pages.values())
    announce(plan.sentence(checklist.wiki, info.name))
    try:
        _Run(events, policy, plan, now).all(pages)
    finally:
        events.remove(keep=keep)
    return checklist


def _refusal(error: RestError) -> str:
    text = error.messages.get("en") or next(iter(error.messages.values()), "")
    return f'{error.http_code} {error.error_key or "error"}: "{text}"'


def _json(value: Any) -> str:
    return json.dumps(value)


def _put(event_id: int, fields: dict[str, Any]) -> str:
    return request_text("PUT", f"{ROUTE}/{event_id}", fields)


def _in_person(registration: Registration, country: str, *, hybrid: bool) -> Registration:
    return registration.with_changes(
        online_meeting=hybrid,
        inperson_meeting=True,
        meeting_country_code=country,
        meeting_address=ADDRESS,
        tracks_contributions=True,
    )


class _Run:
    """The criteria in order, on the events the first ones create."""

    def __init__(self, events: QaEvents, policy: Policy, plan: Plan, now: datetime):
        self.events, self.policy, self.plan, self.now = events, policy, plan, now
        self.checklist = events.checklist
        self.created: dict[str, tuple[int, Registration, list[str]]] = {}

    def add(self, item: Check) -> None:
        self.checklist.add(item)

    def all(self, pages: dict[str, str]) -> None:
        for kind, page in pages.items():
            self.defaults_on(kind, page)
        if not self.created:
            for criterion in self.later_criteria():
                self.add(not_run(criterion, "No test event could be created (see above)."))
            return
        probe_type = next(iter(self.created))
        self.type_refused(probe_type)
        self.country_refused(probe_type)
        self.drift(probe_type)
        self.enable_edit_get(next(reversed(self.created)))

    def later_criteria(self) -> list[str]:
        return [
            "A non-contribution type is refused with the local policy's message",
            "In-person and hybrid events in a disallowed country are refused",
            "The wiki agrees with the local disallowed list",
            "Enable, edit and get all carry tracks_contributions",
        ]

    def verdict(self, kind: str, participation: str, country: str | None, requested: str):
        return self.policy.contribution_stats(
            types=[kind],
            participation=participation,
            country=country,
            wikis="*",
            requested=requested,
        )

    def attempt(self, call: Callable[[], Any]) -> CampaignEventsError | None:
        """None when the wiki accepted the write, else its refusal; exit-3 errors go on up."""
        try:
            call()
        except CampaignEventsError as error:
            if error.exit_status == 3:
                raise
            return error
        return None

    def defaults_on(self, kind: str, page: str) -> None:
        """Created with gatebot's auto, read back on."""
        criterion = (
            f"Type {label_for(kind)}: contribution statistics on by default (gatebot's auto "
            "sends on; read back tracks_contributions: true)"
        )
        verdict = self.verdict(kind, "online", None, "auto")
        registration = qa_registration(page, kind, verdict.enabled, self.now)
        request = request_text(
            "POST",
            ROUTE,
            {
                "event_page": page,
                "types": [kind],
                "online_meeting": True,
                "is_test_event": True,
                "tracks_contributions": verdict.enabled,
            },
        )
        self.events.create_page(page)
        event_id: list[int] = []
        error = self.attempt(lambda: event_id.append(self.events.register(registration)))
        if error is not None:
            self.add(
                check(
                    criterion,
                    False,
                    [exchange(request, _refusal(error))],
                    todo="The wiki refused a test event gatebot finds valid: read its "
                    "answer; if the rule is new, the local policy must learn it.",
                )
            )
            return
        got = self.events.client.get(event_id[0])
        evidence = [
            exchange(request, f"201 id {event_id[0]}"),
            exchange(
                f"GET {ROUTE}/{event_id[0]}",
                f"tracks_contributions: {_json(got.tracks_contributions)}",
            ),
        ]
        self.created[kind] = (event_id[0], got, evidence)
        if verdict.enabled is not True:
            todo = f"The local policy leaves statistics off for {kind}: {'; '.join(verdict.notes)}"
        elif got.tracks_contributions is None:
            todo = OLD_WIKI
        else:
            todo = "The wiki stored statistics off although on was sent: report it on the task."
        self.add(
            check(
                criterion,
                verdict.enabled is True and got.tracks_contributions is True,
                evidence,
                todo=todo,
            )
        )

    def expect_refusal(
        self,
        criterion: str,
        event_id: int,
        wanted: Registration,
        fields: dict[str, Any],
        expected_code: str,
        expected_text: str,
        *,
        todo_text: str,
    ) -> Check:
        """PUT `wanted`; it passes when the wiki refuses with exactly the expected key and text."""
        request = _put(event_id, fields)
        error = self.attempt(lambda: self.events.update(event_id, wanted))
        if error is None:
            return check(
                criterion,
                False,
                [exchange(request, "accepted")],
                todo="The wiki accepted statistics that it must refuse: report it on "
                "the task (the event was changed; it is removed with the others).",
            )
        got_text = error.messages.get("en", "")
        ok = error.error_key == expected_code and got_text == expected_text
        if error.error_key != expected_code:
            todo = f"The wiki refused with {error.error_key}, not {expected_code}: read its answer."
        else:
            todo = f'{todo_text} The wiki says "{got_text}"; gatebot expects "{expected_text}".'
        return check(criterion, ok, [exchange(request, _refusal(error))], todo=todo)

    def type_refused(self, kind: str) -> None:
        """A Meetup with statistics on is refused with the policy's list."""
        event_id, got, _ = self.created[kind]
        problem = self.verdict(NON_CONTRIBUTION_TYPE, "online", None, "on").errors[0]
        self.add(
            self.expect_refusal(
                f"A non-contribution type ({label_for(NON_CONTRIBUTION_TYPE)}) is refused with "
                f'exactly "{problem.message}" (the list of the local policy)',
                event_id,
                got.with_changes(types=(NON_CONTRIBUTION_TYPE,), tracks_contributions=True),
                {"types": [NON_CONTRIBUTION_TYPE], "tracks_contributions": True},
                problem.code,
                problem.message,
                todo_text="The wiki's list of contribution types differs from the local policy's "
                "contribution_types: update the policy (or report the wiki's change).",
            )
        )

    def country_refused(self, kind: str) -> None:
        """In-person and hybrid in a disallowed country refused; online allowed."""
        event_id, got, created_evidence = self.created[kind]
        if not self.plan.disallowed:
            self.add(
                not_run(
                    "In-person and hybrid events in a disallowed country are refused",
                    "The local policy disallows no country, so there is none to try.",
                )
            )
            return
        country = self.plan.disallowed[0]
        where = f"{country} ({country_name(country)})"
        for participation in ("in-person", "hybrid"):
            problem = self.verdict(kind, participation, country, "on").errors[0]
            self.add(
                self.expect_refusal(
                    f"{participation.capitalize()} event in {where}, locally disallowed: "
                    f'refused with exactly "{problem.message}"',
                    event_id,
                    _in_person(got, country, hybrid=participation == "hybrid"),
                    {
                        "inperson_meeting": True,
                        "online_meeting": participation == "hybrid",
                        "meeting_country_code": country,
                        "tracks_contributions": True,
                    },
                    problem.code,
                    problem.message,
                    todo_text="The wiki's text for a disallowed country changed: update "
                    "policies/contribution_stats.py's message.",
                )
            )
        online = self.verdict(kind, "online", None, "on")
        self.add(
            check(
                f"The same event online is allowed statistics (an online event carries no country, "
                f"so {country} cannot refuse it)",
                online.enabled is True and got.tracks_contributions is True,
                created_evidence,
                todo="An online event did not keep statistics on: see the first criterion.",
            )
        )

    def drift(self, kind: str) -> None:
        """Every locally disallowed country and a sample of allowed ones, each a PUT of the
        test event in person with statistics on: the wiki's answer against the policy's."""
        event_id, got, _ = self.created[kind]
        answers = Answers()
        for country in (*self.plan.disallowed, *self.plan.sample):
            wanted = _in_person(got, country, hybrid=False)
            error = self.attempt(partial(self.events.update, event_id, wanted))
            local_refuses = bool(self.verdict(kind, "in-person", country, "on").errors)
            if error is not None and error.error_key != DISALLOWED_COUNTRY:
                answers.other[country] = _refusal(error)
            elif local_refuses and error is None:
                answers.wiki_allows.append(country)
            elif not local_refuses and error is not None:
                answers.wiki_forbids.append(country)
        fields = {
            "inperson_meeting": True,
            "meeting_country_code": "…",
            "tracks_contributions": True,
        }
        self.checklist.details["drift"] = answers.as_json()
        for item in drift_checks(
            self.plan.disallowed, self.plan.sample, answers, _put(event_id, fields)
        ):
            self.add(item)
            if item.todo.startswith("DRIFT"):
                self.checklist.notes.append(item.todo)

    def enable_edit_get(self, kind: str) -> None:
        """Enable on, edit to off, read back, each carrying tracks_contributions."""
        event_id, got, created_evidence = self.created[kind]
        criterion = (
            "Enable, edit and get all carry tracks_contributions (enabled on, edited "
            "to off, read back off)"
        )
        request = _put(event_id, {"tracks_contributions": False})
        error = self.attempt(
            lambda: self.events.update(event_id, got.with_changes(tracks_contributions=False))
        )
        if error is not None:
            self.add(
                check(
                    criterion,
                    False,
                    [*created_evidence, exchange(request, _refusal(error))],
                    todo="The wiki refused to switch statistics off: read its answer.",
                )
            )
            return
        after = self.events.client.get(event_id)
        evidence = [
            *created_evidence,
            exchange(request, "accepted"),
            exchange(
                f"GET {ROUTE}/{event_id}",
                f"tracks_contributions: {_json(after.tracks_contributions)}",
            ),
        ]
        ok = got.tracks_contributions is True and after.tracks_contributions is False
        todo = (
            OLD_WIKI
            if after.tracks_contributions is None
            else (
                "The wiki did not store the change of tracks_contributions: report it on the task."
            )
        )
        self.add(check(criterion, ok, evidence, todo=todo))
