"""CampaignEvents' EventFactory checks, offline: the same keys, texts and order as the server.

`check_registration` returns every problem in the order of contract campaignevents §5 (the server
returns only the first). What only a wiki knows (does the page exist? its namespace?) comes in
`PageFacts`; without it, the title is checked by form and its prefix through the rules' namespace
names. Python's zoneinfo stands in for PHP's DateTimeZone: PHP also accepts abbreviations such as
`CEST`, which are refused here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from policies import contribution_stats
from policies import event_types as vocabulary
from policies.problems import Problem
from policies.registration_forms import is_valid_url, local_datetime, zone_for
from policies.registration_messages import MESSAGES, problem
from policies.titles import (
    DEFAULT_NAMESPACE_NAMES,
    NS_EVENT,
    NS_PROJECT,
    Title,
    TitleError,
    parse_title,
    same_title,
)

__all__ = [
    "GOAL_TYPES", "MESSAGES", "PageFacts", "RegistrationDraft", "RegistrationRules",
    "body_problems", "check_registration", "is_valid_url", "local_datetime", "page_problem",
    "problem", "zone_for",
]  # fmt: skip

GOAL_TYPES = (
    "total_articles_created", "total_articles_edited", "total_edits", "total_bytes_added",
    "total_bytes_removed", "total_links_added", "total_links_removed",
)  # fmt: skip
STATUSES = ("open", "closed")
MAX_WIKIS = 100
# The policy layer names problems by file column; here they carry the API field.
_API_FIELD = {"country": "meeting_country_code"}


@dataclass(frozen=True)
class RegistrationDraft:
    """A create/update body in API form (contract campaignevents §1.1); None = field omitted."""

    event_page: str
    timezone: str
    start_time: str
    end_time: str
    types: tuple[str, ...]
    wikis: tuple[str, ...]
    tracks_contributions: bool
    topics: tuple[str, ...] = ()
    online_meeting: bool | None = None
    inperson_meeting: bool | None = None
    meeting_url: str | None = None
    meeting_country_code: str | None = None
    meeting_address: str | None = None
    chat_url: str | None = None
    is_test_event: bool = False
    goal_type: str | None = None
    goal_target: int | None = None
    tracking_tool_id: str | None = None
    tracking_tool_event_id: str | None = None
    status: str | None = None

    @property
    def all_wikis(self) -> bool:
        return self.wikis == (vocabulary.ALL_WIKIS,)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> RegistrationDraft:
        """Build from a mapping of every field, without the per-field `__setattr__` of a frozen
        dataclass's `__init__` (this runs once per row of very large files)."""
        if fields.keys() != _DRAFT_FIELDS:
            raise TypeError(f"fields missing or unknown: {set(fields) ^ _DRAFT_FIELDS}")
        draft = object.__new__(cls)
        draft.__dict__.update(fields)
        return draft


_DRAFT_FIELDS = frozenset(RegistrationDraft.__dataclass_fields__)


@dataclass(frozen=True, eq=False)
class RegistrationRules:
    """The wiki's configuration the checks depend on; None = not checkable offline.

    Compared and hashed by identity, so the section checks can be memoised per rule set.
    """

    disallowed_countries: frozenset[str] = frozenset()
    contribution_types: tuple[str, ...] = vocabulary.CONTRIBUTION_TYPE_IDS
    event_types: tuple[str, ...] = vocabulary.EVENT_TYPE_IDS
    country_codes: frozenset[str] | None = None
    event_namespaces: tuple[int, ...] = (NS_EVENT, NS_PROJECT)
    namespace_names: Mapping[str, int] = field(
        default_factory=lambda: DEFAULT_NAMESPACE_NAMES, hash=False
    )
    wikis: frozenset[str] | None = None
    topics: frozenset[str] | None = frozenset(vocabulary.TOPIC_IDS)
    tracking_tools: frozenset[str] | None = frozenset({"wikimedia-pe-dashboard"})
    goal_types: tuple[str, ...] = GOAL_TYPES
    max_types: int = vocabulary.MAX_TYPES
    max_topics: int = vocabulary.MAX_TOPICS
    max_wikis: int = MAX_WIKIS


@dataclass(frozen=True)
class PageFacts:
    """What the wiki says about the event page: does it exist, its namespace, is it interwiki."""

    exists: bool
    namespace: int | None = None
    interwiki: bool = False


def check_registration(
    draft: RegistrationDraft,
    rules: RegistrationRules,
    *,
    now: datetime | None,
    creating: bool,
    page: PageFacts | None = None,
    previous_event_page: str | None = None,
) -> list[Problem]:
    """Every EventFactory problem with `draft`, in the server's order (contract §5, rows 2–42).

    `now=None` skips the start-in-the-past check (as updates do); `previous_event_page` equal to
    the draft's page skips the namespace check, as the server does on update.
    """
    body = body_problems(draft, rules, now=now, creating=creating)
    first = page_problem(
        draft.event_page, rules, page=page, previous_event_page=previous_event_page
    )
    return [first, *body] if first else body


def body_problems(
    draft: RegistrationDraft, rules: RegistrationRules, *, now: datetime | None, creating: bool
) -> list[Problem]:
    """Rows 9–42: everything but the event page, in the server's order."""
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    found: list[Problem] = []
    if (draft.status is None and not creating) or (
        draft.status is not None and draft.status not in STATUSES
    ):
        found.append(problem("campaignevents-error-invalid-status", "status"))
    found += _time_problems(
        draft.timezone, draft.start_time, draft.end_time, now if creating else None
    )
    found += _type_problems(draft.types, rules)
    if not draft.all_wikis:
        found += _wiki_problems(draft.wikis, rules)
    found += _topic_problems(draft.topics, rules)
    found += _meeting_problems(draft, rules)
    if draft.chat_url is not None and not is_valid_url(draft.chat_url):
        found.append(problem("campaignevents-error-invalid-chat-url", "chat_url"))
    if draft.tracks_contributions:
        found += _tracking_problems(draft.types, draft.meeting_country_code, draft.wikis, rules)
    found += _goal_problems(draft, rules)
    tool_problem = _tracking_tool_problem(draft, rules)
    if tool_problem:
        found.append(tool_problem)
    return found


def page_problem(
    title: str,
    rules: RegistrationRules,
    *,
    page: PageFacts | None = None,
    previous_event_page: str | None = None,
    parsed: Title | None = None,
) -> Problem | None:
    """Rows 2–8: the first problem with the event page (the server stops at the first);
    `parsed` is `title` already split by `parse_title` with the rules' names, if at hand."""
    skip_namespace = previous_event_page is not None and same_title(previous_event_page, title)
    title = title.strip()
    if not title:
        return problem("campaignevents-error-empty-title", "event_page")
    try:
        parsed = parsed or parse_title(title, rules.namespace_names)
    except TitleError as error:
        return problem("campaignevents-error-invalid-title", "event_page", error)
    if page is not None and page.interwiki:
        return problem("campaignevents-error-invalid-title-interwiki", "event_page")
    namespace = (
        page.namespace if page is not None and page.namespace is not None else (parsed.namespace)
    )
    if namespace < 0:
        return problem("campaignevents-error-page-namespace-not-allowed", "event_page")
    if parsed.fragment or "#" in title:
        return problem("campaignevents-error-page-with-section", "event_page")
    if page is not None and not page.exists:
        return problem("campaignevents-error-page-not-found", "event_page")
    if not skip_namespace and namespace not in rules.event_namespaces:
        return problem("campaignevents-error-page-namespace-not-allowed", "event_page")
    return None


@lru_cache(maxsize=4096)
def _time_problems(
    zone_name: str, start_time: str, end_time: str, now: datetime | None
) -> tuple[Problem, ...]:
    """Rows 10–16; the dates are checked only when the time zone is valid (as on the server)."""
    zone = zone_for(zone_name)
    if zone is None:
        return (problem("campaignevents-error-invalid-timezone", "timezone"),)
    found: list[Problem] = []
    start = end = None
    if start_time == "":
        found.append(problem("campaignevents-error-empty-start", "start_time"))
    elif (start := local_datetime(start_time)) is None:
        found.append(problem("campaignevents-error-invalid-start", "start_time"))
    elif now is not None and start.replace(tzinfo=zone) < now:
        found.append(problem("campaignevents-error-start-past", "start_time"))
    if end_time == "":
        found.append(problem("campaignevents-error-empty-end", "end_time"))
    elif (end := local_datetime(end_time)) is None:
        found.append(problem("campaignevents-error-invalid-end", "end_time"))
    if start and end and start.replace(tzinfo=zone) > end.replace(tzinfo=zone):
        found.append(problem("campaignevents-error-start-after-end", "end_time"))
    return tuple(found)


@lru_cache(maxsize=4096)
def _type_problems(types: tuple[str, ...], rules: RegistrationRules) -> tuple[Problem, ...]:
    """Rows 17–20; duplicates are collapsed first, as EventFactory does."""
    unique = list(dict.fromkeys(types))
    found: list[Problem] = []
    if not unique:
        found.append(problem("campaignevents-error-no-types", "types"))
    if len(unique) > rules.max_types:
        found.append(
            problem(
                "campaignevents-error-too-many-types",
                "types",
                rules.max_types,
                "type" if rules.max_types == 1 else "types",
            )
        )
    unknown = [t for t in unique if t not in rules.event_types]
    if unknown:
        found.append(problem("campaignevents-error-invalid-types", "types", ", ".join(unknown)))
    if len(unique) > 1 and vocabulary.OTHER_TYPE_ID in unique:
        found.append(problem("campaignevents-error-invalid-other-selection", "types"))
    return tuple(found)


def _wiki_problems(wikis: tuple[str, ...], rules: RegistrationRules) -> tuple[Problem, ...]:
    """Rows 21–22 (`["*"]`, all wikis, is not checked here)."""
    return _list_problems(wikis, "wikis", rules.max_wikis, rules.wikis, ("wiki", "wikis"))


def _topic_problems(topics: tuple[str, ...], rules: RegistrationRules) -> tuple[Problem, ...]:
    """Rows 23–24."""
    return _list_problems(topics, "topics", rules.max_topics, rules.topics, ("topic", "topics"))


@lru_cache(maxsize=4096)
def _list_problems(
    values: tuple[str, ...],
    field_name: str,
    limit: int,
    known: frozenset[str] | None,
    nouns: tuple[str, str],
) -> tuple[Problem, ...]:
    """Too many values, then unknown ones (`known=None`: not checkable offline)."""
    unique = list(dict.fromkeys(values))
    key = f"campaignevents-error-{{}}-{field_name}"
    found: list[Problem] = []
    if len(unique) > limit:
        found.append(problem(key.format("too-many"), field_name, _plural(limit, *nouns)))
    if known is not None:
        unknown = [value for value in unique if value not in known]
        if unknown:
            found.append(problem(key.format("invalid"), field_name, ", ".join(unknown)))
    return tuple(found)


def _meeting_problems(draft: RegistrationDraft, rules: RegistrationRules) -> list[Problem]:
    """Rows 25–30; without any participation option the rest is not checked."""
    online, in_person = bool(draft.online_meeting), bool(draft.inperson_meeting)
    if not online and not in_person:
        return [problem("campaignevents-error-no-participation-options", "online_meeting")]
    found: list[Problem] = []
    if online:
        if draft.meeting_url is not None and not is_valid_url(draft.meeting_url):
            found.append(problem("campaignevents-error-invalid-meeting-url", "meeting_url"))
    elif draft.meeting_url is not None:
        found.append(problem("campaignevents-error-meeting-url-not-online", "meeting_url"))
    if in_person:
        code = draft.meeting_country_code
        if code is None or not _known_country(code, rules):
            found.append(
                problem("campaignevents-error-invalid-country-code", "meeting_country_code")
            )
        if draft.meeting_address is not None and not draft.meeting_address.strip():
            found.append(problem("campaignevents-error-invalid-address", "meeting_address"))
    elif draft.meeting_country_code is not None or draft.meeting_address is not None:
        found.append(
            problem("campaignevents-error-countryoraddress-not-in-person", "meeting_country_code")
        )
    return found


@lru_cache(maxsize=4096)
def _tracking_problems(
    types: tuple[str, ...],
    country_code: str | None,
    wikis: tuple[str, ...],
    rules: RegistrationRules,
) -> tuple[Problem, ...]:
    """Rows 32–34, only when statistics are on: the first of country, type, wikis."""
    found = contribution_stats.tracking_problems(
        types,
        country_code,
        wikis,
        participation=None,
        disallowed=rules.disallowed_countries,
        contribution_types=rules.contribution_types,
    )
    return tuple(replace(p, field=_API_FIELD.get(p.field or "", p.field)) for p in found)


def _goal_problems(draft: RegistrationDraft, rules: RegistrationRules) -> list[Problem]:
    """Rows 35–39: a goal needs both a valid metric and a positive target, and statistics."""
    goal_type, target = draft.goal_type, draft.goal_target
    if goal_type is None:
        if target is not None:
            return [problem("campaignevents-error-goal-type-required", "goal_type")]
        return []
    found: list[Problem] = []
    if goal_type not in rules.goal_types:
        found.append(problem("campaignevents-error-goal-type-invalid", "goal_type"))
    if target is None:
        found.append(problem("campaignevents-error-goal-target-required", "goal_target"))
    elif target < 1:
        found.append(problem("campaignevents-error-goal-target-invalid", "goal_target"))
    if not found and not draft.tracks_contributions:
        found.append(contribution_stats.goal_requires_tracking_problem())
    return found


def _tracking_tool_problem(draft: RegistrationDraft, rules: RegistrationRules) -> Problem | None:
    """Rows 40–42."""
    tool, event_id = draft.tracking_tool_id, draft.tracking_tool_event_id
    if tool is not None and event_id is None:
        return problem(
            "campaignevents-error-trackingtool-without-eventid", "tracking_tool_event_id"
        )
    if tool is None and event_id is not None:
        return problem(
            "campaignevents-error-trackingtool-eventid-without-toolid", "tracking_tool_id"
        )
    if tool is not None and rules.tracking_tools is not None and tool not in rules.tracking_tools:
        return problem("campaignevents-error-invalid-trackingtool", "tracking_tool_id")
    return None


def _known_country(code: str, rules: RegistrationRules) -> bool:
    if rules.country_codes is None:
        return len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
    return code in rules.country_codes


def _plural(count: int, one: str, many: str) -> str:
    return f"one {one}" if count == 1 else f"{count} {many}"
