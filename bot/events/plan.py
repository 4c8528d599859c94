"""`events plan`: what applying each checked row would do on the wiki, found by reading it.

A row resolves to `create`, `update` (with the changed fields), `unchanged` or `refused`. Its
registration is found, in this order, by the row's own `event_id`, by the journal (the id an
earlier apply wrote for the page), then by the organizer's event list (read once per run). The
list shows at most 50 events: when it is full, a page missing from it is not taken as "not
registered"; the create goes ahead, because the wiki itself refuses a second registration of a
page (`PageAlreadyRegistered`), and apply then looks the page up instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.campaignevents import (
    EventDeleted,
    EventNotFound,
    FieldChange,
    OrganizedEvent,
    OrganizerEvents,
    Registration,
    RegistrationNotWritable,
    changed_fields,
)
from bot.campaignevents.model import NOT_SHOWN, name_key, title_key
from bot.events.check import CheckedRow
from bot.events.mapping import registration_from_draft
from bot.events.pages import BATCH, PageState
from bot.journal import Known
from bot.report import row_dict
from policies.problems import Problem
from policies.registration import PageFacts, RegistrationRules, page_problem

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
PLANNED, DONE, FAILED = "planned", "done", "failed"
PAGE_NOT_FOUND = "campaignevents-error-page-not-found"
START_PAST = "campaignevents-error-start-past"  # a create's rule only: an update may start earlier


@dataclass
class PlannedRow:
    """One row's plan, and after apply its outcome. `body` is what the write sends (without the
    token), `changes` what an update changes; `create_page` asks for the event page first."""

    checked: CheckedRow
    action: str
    page: str | None = None  # the event page as the wiki names it
    event_id: int | None = None
    changes: tuple[FieldChange, ...] = ()
    wanted: Registration | None = None
    body: dict[str, Any] | None = None
    create_page: bool = False
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    status: str = PLANNED

    @property
    def number(self) -> int:
        return self.checked.number

    @property
    def writes(self) -> bool:
        return self.action in (CREATE, UPDATE) and self.status == PLANNED

    def refuse(self, problem: Problem) -> PlannedRow:
        """The row cannot be carried out: `refused`, with the reason."""
        self.action, self.status = REFUSED, FAILED
        self.errors.append(problem)
        return self

    def report(self) -> dict[str, Any]:
        """The row as DESIGN §3.2 reports it for plan and apply."""
        errors = [*self.checked.errors, *self.errors]
        statistics = self.wanted.tracks_contributions if self.wanted else None
        if statistics is None and not errors:
            statistics = self.checked.contribution_statistics
        return row_dict(
            self.number, self.page or self.checked.event_page, errors,
            [*self.checked.notes, *self.notes], statistics, action=self.action,
            event_id=self.event_id, changes=changes_dict(self.changes), status=self.status,
        )  # fmt: skip


def changes_dict(changes: Iterable[FieldChange]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` with lists for tuples; a value the wiki hid is shown so."""
    return {change.field: [_plain(change.before), _plain(change.after)] for change in changes}


def _plain(value: Any) -> Any:
    if value is NOT_SHOWN:
        return "(not shown to you)"
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class Found:
    """A page's registration (`current` None: it has none, as far as the wiki's lists show),
    whether the organizer's list was full (`capped`), and a deleted one the journal knew."""

    current: Registration | None
    capped: bool = False
    deleted_id: int | None = None


class EventsReader(Protocol):
    """What planning reads of CampaignEvents (`bot.campaignevents.CampaignEventsClient`)."""

    def get(self, event_id: int) -> Registration: ...

    def events_by_organizer(self, central_id: int) -> OrganizerEvents: ...


class Planner:
    """Plans rows a batch at a time, reading the wiki through a CampaignEvents client.

    `pages` answers page states for up to BATCH titles in one request; `known` is the journal's
    lookup for a page; `central_id` the session user's central id (asked only if the organizer's
    list is needed)."""

    def __init__(
        self,
        client: EventsReader,
        *,
        pages: Callable[[list[str]], Mapping[str, PageState]],
        known: Callable[[str], Known | None],
        central_id: Callable[[], int],
        rules: RegistrationRules,
        create_pages: bool = False,
        user: str = "the account gatebot logs in with",
    ):
        self.client, self.pages, self.known, self.central_id = client, pages, known, central_id
        self.rules, self.create_pages, self.user = rules, create_pages, user
        self._by_name: dict[str, list[OrganizedEvent]] | None = None
        self._capped = False
        self.highest_seen: int | None = None  # the highest event id read: a create's floor

    def plan(self, rows: Iterable[CheckedRow]) -> Iterator[PlannedRow]:
        """Plan every row, asking the wiki about BATCH pages at a time."""
        batch: list[CheckedRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                yield from self.plan_batch(batch)
                batch = []
        if batch:
            yield from self.plan_batch(batch)

    def plan_batch(self, rows: list[CheckedRow]) -> list[PlannedRow]:
        """Plan up to BATCH rows with one page-state request."""
        usable = [row for row in rows if _plannable(row)]
        titles = [row.event_page for row in usable if row.event_page]
        states = self.pages(titles) if titles else {}
        return [
            self.plan_row(row, states.get(row.event_page or "")) if _plannable(row)
            else PlannedRow(row, REFUSED, status=FAILED)
            for row in rows
        ]  # fmt: skip

    def plan_row(self, row: CheckedRow, state: PageState | None) -> PlannedRow:
        """One row whose offline checks passed (or failed only on a create's start date)."""
        planned = PlannedRow(row, CREATE, page=state.title if state else row.event_page)
        page = planned.page or ""
        if state is None:
            return planned.refuse(Problem("gatebot-page-state-missing",
                                          f"The wiki did not answer about {page}.",
                                          "event_page"))  # fmt: skip
        facts = PageFacts(exists=state.exists, namespace=state.namespace)
        problem = page_problem(page, self.rules, page=facts)
        if problem is not None and problem.code == PAGE_NOT_FOUND:
            if not self.create_pages:
                return planned.refuse(self._missing_page(page))
            planned.create_page = True
            planned.notes.append(f"{page} does not exist: gatebot creates it first, as "
                                 f"{self.user} (--create-pages).")  # fmt: skip
        elif problem is not None:
            return planned.refuse(Problem(problem.code, problem.message, "event_page"))
        if state.redirect:
            planned.notes.append(f"{page} is a redirect; the registration goes on the redirect "
                                 "page itself, not on its target.")  # fmt: skip
        try:
            found = self.find(page, row.event_id)
        except EventNotFound as error:  # the row's own event_id
            return planned.refuse(Problem(error.error_key or PAGE_NOT_FOUND, str(error),
                                          "event_id"))  # fmt: skip
        return self.decide(planned, found)

    def decide(self, planned: PlannedRow, found: Found) -> PlannedRow:
        """create, update or unchanged, from the registration found (if any)."""
        row = planned.checked
        draft = replace(row.draft, event_page=planned.page or row.draft.event_page)
        current = found.current
        if current is None:
            if not row.ok:  # only a create's start-date rule failed, and it is a create
                planned.action, planned.status = REFUSED, FAILED
                return planned
            if found.deleted_id is not None:
                return planned.refuse(Problem(
                    "campaignevents-error-page-already-registered-deleted",
                    f"The registration of {planned.page} (event {found.deleted_id}) was deleted, "
                    "and CampaignEvents never lets a page be registered again.", "event_page",
                ))  # fmt: skip
            if found.capped:
                planned.notes.append(
                    "The organizer has 50 or more events, the most the wiki lists, so gatebot "
                    "cannot see whether this page is registered already; if it is, the wiki "
                    "refuses the create, and gatebot updates that registration if it can find "
                    "it, else reports the row (give it its event_id)."
                )
            wanted = replace(registration_from_draft(draft), status="open")
            return self._with_body(planned, wanted, update=False)
        row.errors[:] = [e for e in row.errors if e.code != START_PAST]
        planned.event_id = current.id
        wanted = registration_from_draft(draft, current=current)
        planned.changes = changed_fields(current, wanted)
        planned.action = UPDATE if planned.changes else UNCHANGED
        if planned.action == UNCHANGED:
            planned.wanted = wanted
            return planned
        return self._with_body(planned, wanted, update=True)

    def find(self, page: str, event_id: int | None, *, fresh: bool = False) -> Found:
        """The page's registration: by the row's event_id, the journal, then the organizer's
        list (a GET only for events of the same name; read again if `fresh`)."""
        if event_id is not None:
            return Found(self._saw(self.client.get(event_id)))
        deleted = None
        known = self.known(page)
        if known is not None:
            try:
                current = self._same_page(known.event_id, page)
            except EventDeleted:
                deleted, current = known.event_id, None
            if current is not None:
                return Found(current)
        for event in self.listed(page, fresh=fresh):
            try:
                current = None if event.deleted else self._same_page(event.event_id, page)
            except EventDeleted:  # deleted since the list was read
                continue
            if current is not None:
                return Found(current)
        return Found(None, capped=self._capped, deleted_id=deleted)

    def _same_page(self, event_id: int, page: str) -> Registration | None:
        """Event `event_id` if it is `page`'s registration; None if it is another page's or
        does not exist. A deleted one raises EventDeleted: the page can never be registered."""
        try:
            current = self.client.get(event_id)
        except EventDeleted:
            raise
        except EventNotFound:
            return None
        self._saw(current)
        return current if title_key(current.event_page) == title_key(page) else None

    def _saw(self, current: Registration) -> Registration:
        """Keep the highest event id read so far, and hand the registration on."""
        self._saw_id(current.id)
        return current

    def _saw_id(self, event_id: int | None) -> None:
        if event_id is not None and (self.highest_seen is None or event_id > self.highest_seen):
            self.highest_seen = event_id

    def listed(self, page: str, *, fresh: bool = False) -> list[OrganizedEvent]:
        """The organizer's events named like `page` (title without namespace): the list is
        read once per run, or again with `fresh`."""
        if self._by_name is None or fresh:
            listing = self.client.events_by_organizer(self.central_id())
            self._by_name, self._capped = defaultdict(list), listing.capped
            for event in listing.events:
                self._by_name[name_key(event.event_name)].append(event)
                self._saw_id(event.event_id)
        _, colon, text = page.partition(":")
        return list(self._by_name.get(name_key(text if colon else page), ()))

    def _with_body(self, planned: PlannedRow, wanted: Registration, *, update: bool) -> PlannedRow:
        planned.wanted = wanted
        try:
            planned.body = wanted.to_body(update=update)
        except RegistrationNotWritable as error:
            return planned.refuse(Problem("gatebot-not-writable", str(error), error.field))
        return planned

    def _missing_page(self, page: str) -> Problem:
        return Problem(
            PAGE_NOT_FOUND,
            f"There is no event page with this name: {page} does not exist on the wiki. Create "
            f"it as {self.user} (only a page's creator may enable its registration), or run "
            "again with --create-pages.",
            "event_page",
        )


def _plannable(row: CheckedRow) -> bool:
    """Fine offline, or refused only for a start in the past, which an update may keep."""
    return bool(row.event_page) and all(e.code == START_PAST for e in row.errors)
