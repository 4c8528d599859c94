"""Event pages on the wiki: which exist (50 titles per request) and creating the missing ones.

CampaignEvents enables a registration only on an existing page whose first revision the caller
wrote (contract campaignevents §4.2, §6, §10), so `--create-pages` creates a missing page as the
logged-in user, with `createonly` so that an existing page is never overwritten.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.wiki import ApiError, OutcomeUnknown, WikiClient
from policies import event_types
from policies.countries import country_name
from policies.errors import InputError
from policies.reading import read_text
from policies.registration import RegistrationDraft, local_datetime

BATCH = 50  # titles per `action=query` (the limit for accounts without apihighlimits)
TEMPLATE_LIMIT = 64 * 1024
SUMMARY = "Event page for the event registration (gatebot --create-pages)"
DEFAULT_TEMPLATE = """\
'''$name''' is an event from $start to $end ($timezone), $participation.

Event types: $types.

Registration for this event is enabled on this page.
Page created by [[User:$user|$user]] with gatebot.
"""
PLACEHOLDERS: Mapping[str, str] = {
    "page": "the event page, with its namespace",
    "name": "the page title without its namespace",
    "start": "start, local time (2027-03-06 10:00)",
    "end": "end, local time",
    "timezone": "the event's time zone",
    "participation": "online event, in-person event or hybrid event",
    "types": "the event types in English",
    "wikis": "the wikis, or 'all wikis'",
    "country": "the country's English name (empty for online events)",
    "address": "the meeting address (may be empty)",
    "user": "the account gatebot is logged in as",
}
_PARTICIPATION = {"online": "online event", "in-person": "in-person event",
                  "hybrid": "hybrid event (online and in person)"}  # fmt: skip


@dataclass(frozen=True)
class PageState:
    """What the wiki says about a title: the title as it stores it, does it exist, namespace,
    and whether it is a redirect."""

    title: str
    exists: bool
    namespace: int | None
    redirect: bool = False


def page_states(wiki: WikiClient, titles: Iterable[str]) -> dict[str, PageState]:
    """The state of every title, keyed by the title as given; one request per BATCH titles.
    A title the wiki normalises is found under its normalised form."""
    wanted = list(dict.fromkeys(titles))
    states: dict[str, PageState] = {}
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        answer = wiki.api_get(
            {"action": "query", "titles": "|".join(batch), "prop": "info"}
        ).get("query", {})
        renamed = {item["from"]: item["to"] for item in answer.get("normalized") or ()}
        by_title = {page.get("title"): page for page in answer.get("pages") or ()}
        for title in batch:
            page = by_title.get(renamed.get(title, title))
            if page is None or page.get("invalid"):
                states[title] = PageState(title, exists=False, namespace=None)
                continue
            states[title] = PageState(
                page["title"],
                exists=not page.get("missing"),
                namespace=page.get("ns"),
                redirect=bool(page.get("redirect")),
            )
    return states


class PageTemplate:
    """The wikitext of a page `--create-pages` creates: `$name`-style placeholders
    (PLACEHOLDERS) filled from the row, `$$` for a dollar sign."""

    def __init__(self, text: str, *, source: str = "the built-in page template"):
        self.template, self.source = string.Template(text), source
        names, bad = set(), False
        for match in self.template.pattern.finditer(text):
            bad = bad or match.group("invalid") is not None
            names.add(match.group("named") or match.group("braced"))
        if bad:
            raise InputError(
                "a '$' that starts no placeholder; write '$$' for a dollar sign, or one of "
                + _known(),
                path=source,
            )
        unknown = sorted(names - {None, *PLACEHOLDERS})
        if unknown:
            raise InputError(
                f"unknown placeholder {', '.join('$' + name for name in unknown)}; use "
                + _known(),
                path=source,
            )

    @classmethod
    def load(cls, path: Path | None) -> PageTemplate:
        """The template in `path` (UTF-8 wikitext), or the built-in one."""
        if path is None:
            return cls(DEFAULT_TEMPLATE)
        return cls(read_text(path, limit=TEMPLATE_LIMIT), source=str(path))

    def render(self, draft: RegistrationDraft, user: str) -> str:
        """The page text for one row's registration."""
        return self.template.substitute(template_values(draft, user))


def template_values(draft: RegistrationDraft, user: str) -> dict[str, str]:
    """Every placeholder's text for one row, as a person reads it."""
    prefix, colon, rest = draft.event_page.partition(":")
    participation = next(
        (name for name, bits in event_types.PARTICIPATION_OPTIONS.items()
         if bits == (bool(draft.online_meeting), bool(draft.inperson_meeting))),
        "",
    )  # fmt: skip
    country = draft.meeting_country_code
    return {
        "page": draft.event_page,
        "name": rest if colon else prefix,
        "start": _local(draft.start_time),
        "end": _local(draft.end_time),
        "timezone": draft.timezone,
        "participation": _PARTICIPATION.get(participation, participation),
        "types": event_types.english_list(event_types.label_for(t) for t in draft.types),
        "wikis": "all wikis" if draft.all_wikis else ", ".join(draft.wikis),
        "country": country_name(country) if country else "",
        "address": draft.meeting_address or "",
        "user": user,
    }


def create_page(wiki: WikiClient, title: str, text: str) -> bool:
    """Create `title` as the session's user; False when it exists already (never overwritten).
    An answer lost on the way is settled by asking whether the page now exists."""
    try:
        wiki.api_post(
            {"action": "edit", "title": title, "text": text, "summary": SUMMARY,
             "createonly": 1},
        )  # fmt: skip
    except ApiError as error:
        if error.code == "articleexists":
            return False
        raise
    except OutcomeUnknown:
        if not page_states(wiki, [title])[title].exists:
            raise
    return True


def _local(timestamp: str) -> str:
    moment = local_datetime(timestamp)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else timestamp


def _known() -> str:
    return "the placeholders " + ", ".join("$" + name for name in PLACEHOLDERS) + "."
