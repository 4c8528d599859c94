"""May an event turn on contribution statistics? The server's rules, checked before sending.

Mirrors CampaignEvents' EventFactory (contract campaignevents §2): the checks run only when
statistics are on, in the order country -> type -> wikis, and the first failure is the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from policies.countries import CountryError, country_name, normalize_country
from policies.event_types import (
    ALL_WIKIS,
    IN_PERSON_PARTICIPATION,
    PARTICIPATION_OPTIONS,
    english_list,
    id_for,
    label_for,
)
from policies.problems import Problem

DISALLOWED_COUNTRY = "campaignevents-error-contribs-tracking-disallowed-country"
INVALID_TYPE = "campaignevents-error-contribs-tracking-invalid-type"
NO_WIKIS = "campaignevents-error-contribs-tracking-no-wikis"
GOAL_REQUIRES_TRACKING = "campaignevents-error-goal-requires-contribution-tracking"
INVALID_COUNTRY = "campaignevents-error-invalid-country-code"
INVALID_TYPES = "campaignevents-error-invalid-types"
INVALID_PARTICIPATION = "gatebot-invalid-participation"
INVALID_REQUEST = "gatebot-invalid-contribution-statistics"

MESSAGES: dict[str, str] = {
    DISALLOWED_COUNTRY: "Contribution statistics cannot be enabled for the selected country.",
    INVALID_TYPE: "Contribution statistics can only be enabled for events with the following "
    "types: {types}",
    NO_WIKIS: "Contribution statistics can only be enabled for events with at least one target "
    "wiki.",
    GOAL_REQUIRES_TRACKING: "You must turn on Contribution statistics in order to add an event "
    "goal.",
}

ON, OFF, AUTO = "on", "off", "auto"
_REQUEST_WORDS = {
    ON: ON, "yes": ON, "true": ON, "1": ON,
    OFF: OFF, "no": OFF, "false": OFF, "0": OFF,
    AUTO: AUTO, "": AUTO,
}  # fmt: skip
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


def parse_requested(value: str | bool | None) -> str | None:
    """`on`, `off` or `auto` from the words people use (yes/no/true/false, empty = auto)."""
    if value is None:
        return AUTO
    if isinstance(value, bool):
        return ON if value else OFF
    return _REQUEST_WORDS.get(str(value).strip().casefold())


def parse_participation(value: str | None) -> str | None:
    """`online`, `in-person` or `hybrid` in any case and spacing; None when unrecognised."""
    if value is None:
        return None
    word = "-".join(str(value).strip().casefold().replace("_", " ").replace("-", " ").split())
    word = {"inperson": "in-person", "online-and-in-person": "hybrid"}.get(word, word)
    return word if word in PARTICIPATION_OPTIONS else None


def _type_ids(types: Iterable[str]) -> tuple[list[str], list[str]]:
    known, unknown = [], []
    for written in types:
        try:
            known.append(id_for(written))
        except KeyError:
            unknown.append(written)
    return known, unknown


def _input_problems(
    types: Iterable[str], participation: str | None, country: str | None
) -> tuple[list[str], str | None, str | None, list[Problem]]:
    """Normalise types, participation and country; problems for what cannot be understood."""
    problems = []
    type_ids, unknown = _type_ids(types)
    if unknown:
        message = f"The following event types are not recognized: {', '.join(unknown)}."
        problems.append(Problem(INVALID_TYPES, message, "types"))
    participation_id = parse_participation(participation)
    if participation is not None and participation_id is None:
        message = f"Participation {participation!r} is not one of online, in-person or hybrid."
        problems.append(Problem(INVALID_PARTICIPATION, message, "participation"))
    code = None
    if country is not None and str(country).strip():
        try:
            code = normalize_country(country)
        except CountryError as error:
            problems.append(Problem(INVALID_COUNTRY, str(error), "country"))
    return type_ids, participation_id, code, problems


def _note(problem: Problem, country_code: str | None) -> str:
    detail = (
        f" ({country_code}, {country_name(country_code)})" if problem.field == "country" else ""
    )
    return f"Contribution statistics left off: {problem.message}{detail}"


def decide(
    requested: str | bool | None,
    *,
    types: Iterable[str],
    participation: str | None,
    country: str | None,
    wikis: str | Sequence[str] | None,
    disallowed: Collection[str],
    contribution_types: Collection[str],
    has_goal: bool = False,
) -> StatsVerdict:
    """The verdict for one event (DESIGN §2.1).

    `off` -> False. `auto` -> True when the server would accept it, else False with a note giving
    the reason. `on` -> True, or False with the server's error: the event is refused, not sent.
    Input that cannot be understood (unknown type, country, participation or setting) -> None with
    errors. A goal with statistics off is an error in every mode.
    """
    mode = parse_requested(requested)
    type_ids, participation_id, code, problems = _input_problems(types, participation, country)
    if mode is None:
        message = f"Contribution statistics {requested!r} must be on, off or auto."
        problems.append(Problem(INVALID_REQUEST, message, "contribution_statistics"))
    if problems:
        return StatsVerdict(None, problems)
    if mode == OFF:
        return StatsVerdict(False, goal_problems(has_goal, False))
    refusal = tracking_problems(
        type_ids,
        code,
        wikis,
        participation=participation_id,
        disallowed=disallowed,
        contribution_types=contribution_types,
    )
    if not refusal:
        return StatsVerdict(True)
    if mode == ON:
        return StatsVerdict(False, refusal)
    return StatsVerdict(False, goal_problems(has_goal, False), [_note(refusal[0], code)])
