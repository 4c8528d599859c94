"""`events stats on|off`: switch contribution statistics of existing registrations.

Per event: GET, let the local policy decide (DESIGN §2.1: a meetup or a disallowed country
cannot turn statistics on, a goal cannot do without them), then PUT every field with the one
changed, only when allowed and needed. A write whose answer was lost is read back, never sent
again blindly; a field the wiki hid from the caller is never wiped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.campaignevents import (
    CampaignEventsClient,
    CampaignEventsError,
    Registration,
    RegistrationNotWritable,
)
from bot.events.row import COLUMN_OF_FIELD
from bot.report import row_dict
from bot.wiki import OutcomeUnknown, WikiError
from policies import Policy, values
from policies.contribution_stats import StatisticsInput
from policies.errors import InputError
from policies.problems import Problem

NOT_APPLIED = "gatebot-not-applied"
NOT_WRITABLE = "gatebot-field-not-shown"
FAILED = "gatebot-request-failed"


@dataclass
class StatsOutcome:
    """What happened to one event: `action` update/unchanged/refused, `status` done/failed
    (None: nothing was sent and nothing failed on the wiki), statistics before and after."""

    event_id: int
    event_page: str | None = None
    action: str = "refused"
    status: str | None = None
    before: bool | None = None
    after: bool | None = None
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self, number: int) -> dict[str, Any]:
        """The report row (DESIGN §3.2), numbered by the event's place on the command line."""
        changes = (
            {"tracks_contributions": [self.before, self.after]} if self.action == "update" else {}
        )
        return row_dict(
            number, self.event_page, self.errors, self.notes, self.after,
            action=self.action, event_id=self.event_id, changes=changes, status=self.status,
        )  # fmt: skip


def parse_event_ids(texts: Iterable[str]) -> list[int]:
    """The event ids of the command line, each once, in order; anything but a positive whole
    number in ASCII digits is bad usage naming the value."""
    ids: list[int] = []
    for text in texts:
        number, errors, _ = values.parse_event_id(text)
        if errors or number is None:
            raise InputError(
                f"{text!r} is not an event ID; give positive whole numbers written with the "
                "digits 0-9, e.g. 1873 (the number in Special:EventDetails/1873)."
            )
        if number not in ids:
            ids.append(number)
    return ids


def policy_problems(policy: Policy, current: Registration, on: bool) -> list[Problem]:
    """Why the local policy refuses statistics `on`/off for this registration, or []."""
    inputs = StatisticsInput(
        values.ON if on else values.OFF,
        current.types,
        current.participation or "",
        current.meeting_country_code if isinstance(current.meeting_country_code, str) else None,
        current.wikis,
    )
    return policy.statistics(inputs, has_goal=current.goal_type is not None).errors


def switch_statistics(
    client: CampaignEventsClient, policy: Policy, event_id: int, *, on: bool
) -> StatsOutcome:
    """Switch one event's statistics; the wiki's refusals become the outcome's errors, and only
    errors that stop the whole run (the wiki unreachable, login or a right lost) propagate."""
    outcome = StatsOutcome(event_id)
    try:
        current = client.get(event_id)
    except WikiError as error:
        return _failed(outcome, error)
    outcome.event_page, outcome.before = current.event_page, current.tracks_contributions
    outcome.after = current.tracks_contributions
    if current.tracks_contributions is on:
        outcome.action, outcome.status = "unchanged", "done"
        return outcome
    refusal = policy_problems(policy, current, on)
    if refusal:
        outcome.errors += refusal
        outcome.after = None
        return outcome
    wanted = current.with_changes(tracks_contributions=on)
    try:
        wanted.to_body(update=True)
    except RegistrationNotWritable as error:
        outcome.errors.append(Problem(NOT_WRITABLE, str(error), error.field))
        return outcome
    outcome.action = "update"
    try:
        client.update(event_id, wanted)
    except OutcomeUnknown as error:
        return _read_back(client, outcome, on, error)
    except WikiError as error:
        return _failed(outcome, error)
    outcome.after, outcome.status = on, "done"
    return outcome


def _read_back(
    client: CampaignEventsClient, outcome: StatsOutcome, on: bool, lost: OutcomeUnknown
) -> StatsOutcome:
    """The PUT's answer was lost: the event as the wiki now has it says whether it happened."""
    try:
        now = client.get(outcome.event_id)
    except WikiError as error:
        if error.exit_status == 3:
            raise
        outcome.status, outcome.after = "failed", None
        outcome.errors.append(Problem(
            FAILED, f"The write's answer was lost ({lost}) and reading the event back failed "
            f"too ({error}); check the event on the wiki, or run the command again (switching "
            "statistics twice is harmless).", "contribution_statistics",
        ))  # fmt: skip
        return outcome
    if now.tracks_contributions is on:
        outcome.after, outcome.status = on, "done"
        outcome.notes.append("the wiki's answer was lost; reading the event back shows it done.")
        return outcome
    outcome.status, outcome.after = "failed", None
    outcome.errors.append(Problem(
        NOT_APPLIED, f"The write's answer was lost ({lost}), and reading the event back shows "
        "it was not applied; it is safe to run the command again.", "contribution_statistics",
    ))  # fmt: skip
    return outcome


def _failed(outcome: StatsOutcome, error: WikiError) -> StatsOutcome:
    """A refusal or failure from the wiki for this event; run-stopping errors propagate."""
    if error.exit_status == 3:
        raise error
    code = (error.error_key if isinstance(error, CampaignEventsError) else None) or FAILED
    api_field = getattr(error, "field", None)
    column = COLUMN_OF_FIELD.get(api_field, api_field) if api_field else None
    outcome.status, outcome.after = "failed", None
    outcome.errors.append(Problem(code, str(error), column))
    return outcome
