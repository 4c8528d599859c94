"""May an event turn on contribution statistics? The server's rules, checked before sending.

Mirrors CampaignEvents' EventFactory (contract campaignevents §2): the checks run only when
statistics are on, in the order country -> type -> wikis, and the first failure is the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from policies import lists, values
from policies.countries import country_name
from policies.event_types import ALL_WIKIS, IN_PERSON_PARTICIPATION, english_list, label_for
from policies.problems import Problem

DISALLOWED_COUNTRY = "campaignevents-error-contribs-tracking-disallowed-country"
INVALID_TYPE = "campaignevents-error-contribs-tracking-invalid-type"
NO_WIKIS = "campaignevents-error-contribs-tracking-no-wikis"
GOAL_REQUIRES_TRACKING = "campaignevents-error-goal-requires-contribution-tracking"
INVALID_COUNTRY = values.INVALID_COUNTRY

MESSAGES: dict[str, str] = {
    DISALLOWED_COUNTRY: "Contribution statistics cannot be enabled for the selected country.",
    INVALID_TYPE: "Contribution statistics can only be enabled for events with the following "
    "types: {types}",
    NO_WIKIS: "Contribution statistics can only be enabled for events with at least one target "
    "wiki.",
    GOAL_REQUIRES_TRACKING: "You must turn on Contribution statistics in order to add an event "
    "goal.",
}

ON, OFF = values.ON, values.OFF
_IN_PERSON = IN_PERSON_PARTICIPATION


@dataclass
class StatsVerdict:
    """What to send as `tracks_contributions`; `enabled` is None when the input is invalid."""

    enabled: bool | None
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def disallowed_country_problem() -> Problem:
    return Problem(DISALLOWED_COUNTRY, MESSAGES[DISALLOWED_COUNTRY], "country")


def invalid_type_problem(contribution_types: Iterable[str]) -> Problem:
    """The server's text, listing the contribution types' labels as MediaWiki's English list."""
    labels = english_list(label_for(type_id) for type_id in contribution_types)
    return Problem(INVALID_TYPE, MESSAGES[INVALID_TYPE].format(types=labels), "types")


def no_wikis_problem() -> Problem:
    return Problem(NO_WIKIS, MESSAGES[NO_WIKIS], "wikis")


def goal_requires_tracking_problem() -> Problem:
    return Problem(GOAL_REQUIRES_TRACKING, MESSAGES[GOAL_REQUIRES_TRACKING], "goal_type")


def goal_problems(has_goal: bool, tracking_enabled: bool | None) -> list[Problem]:
    """A goal needs statistics on; None (undecided) raises nothing, the other errors say why."""
    return [goal_requires_tracking_problem()] if has_goal and tracking_enabled is False else []


def _has_wikis(wikis: str | Sequence[str] | None) -> bool:
    return wikis == ALL_WIKIS or bool(wikis)


def tracking_problems(
    types: Iterable[str],
    country_code: str | None,
    wikis: str | Sequence[str] | None,
    *,
    participation: str | None,
    disallowed: Collection[str],
    contribution_types: Collection[str],
) -> list[Problem]:
    """The reason the server would refuse statistics for these values, or []; at most one.

    `types` are API ids, `country_code` a normalised code, `wikis` a list or "*"; `disallowed` is
    checked by membership, so pass the code->name map itself (its keys count) or a set of codes.
    A country counts for in-person and hybrid events (and when participation is unknown).
    """
    counts_country = participation in _IN_PERSON or participation is None
    if counts_country and country_code is not None and country_code in disallowed:
        return [disallowed_country_problem()]
    if not set(types) & set(contribution_types):
        return [invalid_type_problem(contribution_types)]
    if not _has_wikis(wikis):
        return [no_wikis_problem()]
    return []


def _note(problem: Problem, country_code: str | None) -> str:
    detail = (
        f" ({country_code}, {country_name(country_code)})"
        if problem.field == "country" and country_code
        else ""
    )
    return f"Contribution statistics left off: {problem.message}{detail}"


@dataclass(frozen=True)
class StatisticsInput:
    """The values the verdict depends on, read by the one normaliser (`policies.values`)."""

    mode: str
    types: tuple[str, ...]
    participation: str
    country_code: str | None
    wikis: tuple[str, ...]


def read_inputs(
    requested: Any, types: Any, participation: Any, country: Any, wikis: Any
) -> tuple[StatisticsInput | None, list[Problem], list[str]]:
    """Normalise the verdict's inputs exactly as an events row's cells are; None with errors
    when any cannot be understood or the event itself would be refused (an online event with
    a country, an in-person one without)."""
    parsed = {
        "types": lists.parse_types(types),
        "wikis": lists.parse_wikis(wikis),
        "participation": values.parse_participation(participation),
        "country": values.parse_country(country),
        "mode": values.parse_requested(requested),
    }
    errors = [problem for item in parsed.values() for problem in item.errors]
    notes = [note for item in parsed.values() for note in item.notes]
    if not errors:
        errors += values.meeting_problems(
            parsed["participation"].value, parsed["country"].value, has_address=False
        )
    if errors:
        return None, errors, notes
    inputs = StatisticsInput(
        parsed["mode"].value,
        tuple(parsed["types"].value),
        parsed["participation"].value,
        parsed["country"].value,
        parsed["wikis"].value,
    )
    return inputs, [], notes


def verdict(
    inputs: StatisticsInput,
    *,
    disallowed: Collection[str],
    contribution_types: Collection[str],
    has_goal: bool = False,
) -> StatsVerdict:
    """The verdict for normalised inputs (DESIGN §2.1).

    `off` -> False. `auto` -> True when the server would accept it, else False with a note giving
    the reason. `on` -> True, or False with the server's error: the event is refused, not sent.
    A goal with statistics off is an error in every mode.
    """
    if inputs.mode == OFF:
        return StatsVerdict(False, goal_problems(has_goal, False))
    refusal = tracking_problems(
        inputs.types,
        inputs.country_code,
        inputs.wikis,
        participation=inputs.participation,
        disallowed=disallowed,
        contribution_types=contribution_types,
    )
    if not refusal:
        return StatsVerdict(True)
    if inputs.mode == ON:
        return StatsVerdict(False, refusal)
    return StatsVerdict(
        False, goal_problems(has_goal, False), [_note(refusal[0], inputs.country_code)]
    )


def decide(
    requested: Any,
    *,
    types: Any,
    participation: Any,
    country: Any,
    wikis: Any,
    disallowed: Collection[str],
    contribution_types: Collection[str],
    has_goal: bool = False,
) -> StatsVerdict:
    """The verdict for values as people write them (see `verdict`); input that cannot be
    understood, or an event the wiki would refuse for its country, -> None with the errors an
    events row gets for the same values."""
    inputs, errors, notes = read_inputs(requested, types, participation, country, wikis)
    if inputs is None:
        return StatsVerdict(None, errors, notes)
    result = verdict(
        inputs, disallowed=disallowed, contribution_types=contribution_types, has_goal=has_goal
    )
    result.notes[:0] = notes
    return result
