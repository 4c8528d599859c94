"""The test events a checklist works on: their pages (created by the caller, as CampaignEvents
requires), their registrations (`is_test_event: true`), every write counted, and their removal.

CampaignEvents never lets a page whose registration was deleted be registered again, so a run
uses fresh pages under its own prefix, and each page is removed too when the user may delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.campaignevents import CampaignEventsClient, Registration
from bot.events.pages import create_page, page_states
from bot.qa.checklist import Checklist
from bot.wiki import WikiClient, WikiError
from policies.errors import InputError

PAGE_TEXT = (
    "A test event of `gatebot qa`, created by [[User:{user}|{user}]] to check contribution "
    "statistics; it is removed at the end of the run unless --keep was given."
)
DELETE_REASON = "Test event page of gatebot qa, no longer needed"
DELETE_RIGHT = "delete"
LEAD_TIME = timedelta(days=30)  # a new registration must start in the future


def default_prefix(now: datetime) -> str:
    """`Event:Gatebot QA 20261202T164500Z/`: a run's own pages, never an earlier run's."""
    return f"Event:Gatebot QA {now:%Y%m%dT%H%M%SZ}/"


def check_prefix(prefix: str) -> str:
    """The prefix as given, if it names a namespace (event pages must live in one)."""
    namespace, colon, rest = prefix.partition(":")
    if not colon or not namespace.strip() or not rest.strip():
        raise InputError(
            f"--prefix {prefix!r} names no namespace; event pages must be in an event "
            "namespace, e.g. --prefix 'Event:Gatebot QA/'."
        )
    return prefix


def qa_registration(page: str, event_type: str, tracks: bool | None, now: datetime) -> Registration:
    """An online test event of one type, a month ahead, on every wiki."""
    day = (now + LEAD_TIME).strftime("%Y%m%d")
    return Registration(
        event_page=page,
        timezone="UTC",
        start_time=f"{day}100000",
        end_time=f"{day}120000",
        types=(event_type,),
        wikis=("*",),
        tracks_contributions=tracks,
        online_meeting=True,
        is_test_event=True,
    )


@dataclass
class QaEvents:
    """The pages and registrations one run made on the wiki; `checklist.writes` counts each
    write the wiki accepted."""

    wiki: WikiClient
    checklist: Checklist
    client: CampaignEventsClient = field(init=False)
    pages: list[str] = field(default_factory=list)
    events: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = CampaignEventsClient(self.wiki)

    def require_free(self, titles: Iterable[str]) -> None:
        """Refuse to start (before any write) when a page of the run exists already: its
        author may be someone else, and its registration could be a real event's."""
        taken = [title for title, state in page_states(self.wiki, titles).items() if state.exists]
        if taken:
            raise InputError(
                f"{', '.join(taken)} exists already; give a --prefix of your own (the default "
                "holds the time, so a new run gets fresh pages)."
            )

    def create_page(self, title: str) -> None:
        user = self.wiki.userinfo().name
        if create_page(self.wiki, title, PAGE_TEXT.format(user=user)):
            self.pages.append(title)
            self.checklist.writes += 1

    def register(self, registration: Registration) -> int:
        event_id = self.client.create(registration).id
        self.events[event_id] = registration.event_page
        self.checklist.writes += 1
        return event_id

    def update(self, event_id: int, registration: Registration) -> None:
        """PUT every field; counted only when the wiki accepts it (a refusal writes nothing)."""
        self.client.update(event_id, registration)
        self.checklist.writes += 1

    def remove(self, *, keep: bool) -> None:
        """Delete the registrations, then the pages where the user may; record what is left."""
        left_events = [f"{event_id} ({page})" for event_id, page in self.events.items()]
        left_pages = list(self.pages)
        if keep:
            self.checklist.notes.append("--keep: the test events and their pages stay.")
            self._left(left_events, left_pages)
            return
        left_events = []
        for event_id, page in self.events.items():
            try:
                self.client.delete(event_id)
                self.checklist.writes += 1
            except WikiError as error:
                left_events.append(f"{event_id} ({page}): {error}")
        left_pages = self._delete_pages()
        self._left(left_events, left_pages)

    def _delete_pages(self) -> list[str]:
        if not self.pages:
            return []
        if DELETE_RIGHT not in self.wiki.userinfo().rights:
            self.checklist.notes.append(
                f"{self.wiki.userinfo().name} may not delete pages here, so the "
                f"{len(self.pages)} event pages stay (their registrations are deleted); ask a "
                "wiki administrator to delete them, or keep them for the next test."
            )
            return list(self.pages)
        left = []
        for title in self.pages:
            try:
                self.wiki.api_post({"action": "delete", "title": title, "reason": DELETE_REASON})
                self.checklist.writes += 1
            except WikiError as error:
                left.append(f"{title}: {error}")
        return left

    def _left(self, events: list[str], pages: list[str]) -> None:
        if events:
            self.checklist.left["test events"] = events
        if pages:
            self.checklist.left["pages"] = pages
