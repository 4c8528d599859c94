"""One `events plan` or `events apply` of an events file on one logged-in wiki: the rows are
checked offline with the wiki's namespace names, planned against the wiki, and (apply) written
under the journal's run lock, after what a killed run left open has been settled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.campaignevents import CampaignEventsClient
from bot.events.apply import Applier, required_rights
from bot.events.check import CheckedRow, RowChecker, rules_for
from bot.events.pages import PageTemplate, page_states
from bot.events.plan import PlannedRow, Planner
from bot.eventsfile import read_events
from bot.journal import Journal
from bot.wiki import WikiClient
from policies import Policy
from policies.registration import RegistrationRules
from policies.titles import DEFAULT_NAMESPACE_NAMES


class Batch:
    """Plan and apply on `wiki` as its logged-in user, with the journal in `journal`."""

    def __init__(
        self,
        wiki: WikiClient,
        policy: Policy,
        journal: Journal,
        *,
        create_pages: bool = False,
        template: PageTemplate | None = None,
        now: datetime,
    ):
        wiki.require_rights(*required_rights(create_pages))
        self.wiki, self.policy, self.journal, self.now = wiki, policy, journal, now
        self.client = CampaignEventsClient(wiki)
        self.template = template or PageTemplate.load(None)
        self.user = wiki.userinfo().name
        self.identity = wiki.target.api_url  # the journal's name for the wiki
        self.rules = self._rules()
        self.planner = Planner(
            self.client,
            pages=lambda titles: page_states(wiki, titles),
            known=lambda page: journal.known(self.identity, page),
            central_id=self._central_id,
            rules=self.rules,
            create_pages=create_pages,
            user=self.user,
        )

    def checked(self, path: str | Path) -> Iterator[CheckedRow]:
        """The file's rows after `events check`'s checks (InputError if it cannot be read)."""
        checker = RowChecker(self.policy, self.rules, now=self.now)
        return (checker.check(row) for row in read_events(path))

    def plan(self, rows: Iterable[CheckedRow]) -> Iterator[PlannedRow]:
        return self.planner.plan(rows)

    @contextmanager
    def applying(self, source: str) -> Iterator[Applier]:
        """The wiki's run lock held, and every write a killed run left open settled first."""
        with self.journal.run(self.identity, source=source) as run:
            applier = Applier(self.client, self.wiki, run, self.planner, self.template, self.user)
            applier.settle_pending()
            yield applier

    def _rules(self) -> RegistrationRules:
        """The policy's rules, with the wiki's own namespace names (a localised `Project:`)."""
        names = dict(DEFAULT_NAMESPACE_NAMES)
        for number, name in self.wiki.siteinfo().namespaces.items():
            if name:
                names.setdefault(name.replace("_", " ").lower(), number)
        return rules_for(self.policy, namespace_names=names)

    def _central_id(self) -> int:
        """The session user's central id, from the login's userinfo when it has one."""
        return self.wiki.userinfo().central_id or self.client.own_central_id()
