"""`events apply`: carry out a plan, one write at a time, with the journal before and after each.

Killed at any moment, the next apply of the same file finishes the work: a write the journal
holds as open (`sending`, `unknown`) is first read back and settled, then every row is planned
again against the wiki as it is, so a create that landed is found (no second registration), one
that did not is sent, and an update that landed shows as unchanged. A create is safe to send
again in any case: the wiki refuses a second registration of a page (`PageAlreadyRegistered`),
and gatebot then looks the page up and updates that registration instead. When the
organizer's list is full (50 events), a create left open is looked for by event id, just above
the floor the journal recorded for it (`bot.campaignevents.probe`).
"""

from __future__ import annotations

from dataclasses import replace

from bot.campaignevents import (
    CampaignEventsClient,
    CampaignEventsError,
    EventNotFound,
    PageAlreadyRegistered,
    PageRegistrationDeleted,
    RegistrationNotWritable,
)
from bot.campaignevents.probe import GAP, probe_created
from bot.events.pages import PageTemplate, create_page
from bot.events.plan import CREATE, DONE, FAILED, PLANNED, UNCHANGED, PlannedRow, Planner
from bot.events.row import COLUMN_OF_FIELD
from bot.journal import Run, Write, fingerprint
from bot.wiki import OutcomeUnknown, RestError, WikiClient
from policies.errors import GatebotError
from policies.problems import Problem

ENABLE_RIGHT = "campaignevents-enable-registration"
PAGE_RIGHTS = ("edit", "createpage")
UNKNOWN_KEY = "gatebot-outcome-unknown"
RESENDS = 3  # a write read back as not done is sent again at most this often in one run


def required_rights(create_pages: bool) -> tuple[str, ...]:
    """The rights a plan or apply needs before it reads anything (else exit status 3)."""
    return (ENABLE_RIGHT, "writeapi", *(PAGE_RIGHTS if create_pages else ()))


class Applier:
    """Writes planned rows through the journal's `Run`; every outcome ends on the row."""

    def __init__(
        self,
        client: CampaignEventsClient,
        wiki: WikiClient,
        run: Run,
        planner: Planner,
        template: PageTemplate,
        user: str,
    ):
        self.client, self.wiki, self.run, self.planner = client, wiki, run, planner
        self.template, self.user = template, user

    def settle_pending(self) -> list[Write]:
        """Read back every write a killed or cut-off run left open, and settle it."""
        return [self.settle(write) for write in self.run.pending()]

    def settle(self, write: Write) -> Write:
        """A create landed if the page now has a registration; an update if the event holds
        exactly what it sent. Not found: recorded as not applied, and the row is planned again
        (an update that landed but reads back differently then shows as unchanged)."""
        if write.action == CREATE:
            return self._settle_create(write)
        assert write.event_id is not None  # the journal requires it for updates
        try:
            current = self.client.get(write.event_id)
            landed = fingerprint(current.to_body(update=True)) == write.fingerprint
        except (EventNotFound, RegistrationNotWritable):
            landed = False
        return self.run.reconcile(write, write.event_id if landed else None)

    def _settle_create(self, write: Write) -> Write:
        """Found in the organizer's list, or, when that list is full, by probing the ids above
        the write's floor; if the probe gives up, the create is sent again and a registration
        that landed makes the wiki refuse it (the row then asks for its event_id)."""
        found = self.planner.find(write.page, None, fresh=True)
        if found.current is not None or not found.capped or write.floor is None:
            return self.run.reconcile(write, found.current.id if found.current else None)
        probed = probe_created(self.client, write.page, write.floor)
        if probed.found is not None:
            return self.run.reconcile(write, probed.found.id)
        if probed.gave_up:
            why = (
                f"read back: not in the organizer's full list, nor among the {probed.reads} "
                f"events above {write.floor}; sent again, the wiki refuses it if it landed"
            )
        else:
            why = (
                f"read back: not in the organizer's full list, and {GAP} ids in a row above "
                f"event {write.floor} do not exist; the create did not reach the wiki"
            )
        return self.run.reconcile(write, None, why)

    def execute(self, row: PlannedRow) -> PlannedRow:
        """Carry out one row: page first if asked, then its write; the row says what happened."""
        if row.action == UNCHANGED and row.status == PLANNED:
            row.status = DONE
        if not row.writes:
            return row
        if row.create_page and not self._create_page(row):
            return row
        return self._write(row)

    def _create_page(self, row: PlannedRow) -> bool:
        page = row.page or ""
        draft = replace(row.checked.draft, event_page=page)
        try:
            created = create_page(self.wiki, page, self.template.render(draft, self.user))
        except GatebotError as error:
            if error.exit_status == 3:
                raise
            self._failed(row, Problem("gatebot-page-not-created",
                                      f"{page} could not be created: {error}", "event_page"))
            return False  # fmt: skip
        row.notes = [n for n in row.notes if not n.startswith(f"{page} does not exist")]
        row.notes.append(
            f"created {page} as {self.user}" if created
            else f"{page} exists already (created meanwhile); gatebot left it as it is"
        )  # fmt: skip
        return True

    def _write(self, row: PlannedRow, resends: int = 0) -> PlannedRow:
        assert row.page and row.wanted is not None and row.body is not None
        floor = self.planner.highest_seen if row.action == CREATE else None
        write = self.run.begin(row.page, row.action, row.body, event_id=row.event_id,
                               row=row.number, floor=floor)  # fmt: skip
        try:
            if row.action == CREATE:
                created = self.client.create(row.wanted)
                event_id, warnings = created.id, created.warnings
            else:
                assert row.event_id is not None
                event_id, warnings = row.event_id, self.client.update(row.event_id, row.wanted)
        except PageAlreadyRegistered as error:
            self.run.fail(write, error.error_key or "", str(error))
            if row.action != CREATE or isinstance(error, PageRegistrationDeleted):
                return self._failed(row, _problem(error))  # an update moving onto a taken page
            return self._registered_meanwhile(row, error)
        except GatebotError as error:
            if _outcome_unknown(error):
                self.run.unknown(write, str(error))
                return self._read_back(row, write, resends)
            self.run.fail(write, getattr(error, "error_key", None) or "gatebot-write-failed",
                          str(error))  # fmt: skip
            if error.exit_status == 3:
                raise
            return self._failed(row, _problem(error))
        self.run.finish(write, event_id)
        row.event_id, row.status = event_id, DONE
        row.notes += [f"the wiki warns: {w.key} {list(w.params)}" for w in warnings]
        return row

    def _registered_meanwhile(self, row: PlannedRow, error: PageAlreadyRegistered) -> PlannedRow:
        """The wiki says the page has a registration the plan did not see: find it and bring
        it to the row's values, never a second one."""
        found = self.planner.find(row.page or "", None, fresh=True)
        if found.current is None:
            return self._failed(row, Problem(
                error.error_key or "campaignevents-error-page-already-registered",
                f"{row.page} has a registration already, which gatebot cannot find among the "
                "organizer's events (the wiki lists at most 50, or another organizer made it); "
                "give the row its event_id.", "event_page",
            ))  # fmt: skip
        again = self.planner.decide(PlannedRow(row.checked, CREATE, page=row.page), found)
        again.notes[:0] = [*row.notes, f"the page had a registration already (event "
                           f"{again.event_id}): gatebot used that one"]  # fmt: skip
        return self.execute(again)

    def _read_back(self, row: PlannedRow, write: Write, resends: int) -> PlannedRow:
        """No answer proved what happened: read it back now; if even that fails, the next
        apply does it (the write stays open in the journal and is never resent blindly). One
        read back as not done is sent again (a second create is refused by the wiki anyway)."""
        try:
            settled = self.settle(write)
        except GatebotError as error:
            if error.exit_status == 3:
                raise
            return self._failed(row, Problem(UNKNOWN_KEY, (
                "the wiki did not confirm the write, and reading it back failed too "
                f"({error}); run apply again: it reads the page back before sending anything."
            ), "event_page"))  # fmt: skip
        if settled.state == DONE:
            row.event_id, row.status = settled.event_id, DONE
            row.notes.append("the wiki's answer was lost; reading back shows the write was done")
            return row
        if resends < RESENDS:
            row.notes.append("the wiki's answer was lost; reading back shows the write was not "
                             "done, so it was sent again")  # fmt: skip
            return self._write(row, resends + 1)
        return self._failed(row, Problem(UNKNOWN_KEY, (
            f"the wiki's answer was lost {resends + 1} times and reading back shows the write "
            "was not done; run apply again to send it."
        ), "event_page"))  # fmt: skip

    @staticmethod
    def _failed(row: PlannedRow, problem: Problem) -> PlannedRow:
        row.status = FAILED
        row.errors.append(problem)
        return row


def _outcome_unknown(error: GatebotError) -> bool:
    """No answer, or a server error: the write may or may not have happened."""
    if isinstance(error, OutcomeUnknown):
        return True
    return isinstance(error, RestError) and not isinstance(error, CampaignEventsError) and (
        error.http_code >= 500
    )


def _problem(error: GatebotError) -> Problem:
    """The wiki's refusal as a report problem, in the file's column terms."""
    key = getattr(error, "error_key", None) or "gatebot-write-failed"
    api_field = getattr(error, "field", None)
    column = COLUMN_OF_FIELD.get(api_field, api_field) if api_field else None
    return Problem(key, str(error), column)
