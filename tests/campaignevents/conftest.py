"""Fixtures: the client on a scripted wiki (`responses`) and on a private sandbox wiki."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from bot.campaignevents import CampaignEventsClient
from bot.sandbox.server import SandboxServer
from bot.wiki import BotPassword, WikiClient, connect
from tests.sandbox.helpers import PASSWORD, fixture
from tests.wiki.fakewiki import API, LOGIN, SECRET, FakeWiki

CE = "/campaignevents/v0"


def contract_get(**changes: Any) -> dict[str, Any]:
    """The contract's GET example (§1.3) with some keys changed; a value of ... drops the key."""
    data = fixture("ce_get_registration.json")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def wiki(mocked: responses.RequestsMock) -> FakeWiki:
    """The scripted wiki (tests/wiki/fakewiki.py): session, token rules, canned replies."""
    fake = FakeWiki()
    fake.install(mocked)
    return fake


@pytest.fixture
def ce(wiki: FakeWiki, tmp_path: Path) -> Iterator[CampaignEventsClient]:
    """The client logged in to the scripted wiki as Tester; the log starts after the login."""
    client = connect(
        API,
        credentials=BotPassword(LOGIN, SECRET),
        state_dir=tmp_path / "state",
        sleep=lambda seconds: None,
        environ={},
        min_interval=0,
    )
    wiki.labels.clear()
    wiki.bodies.clear()
    wiki.headers.clear()
    yield CampaignEventsClient(client)
    client.close()


@pytest.fixture
def login(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Callable[..., WikiClient]]:
    """`login(user, backend="mwclient")`: a client of the sandbox logged in as a seeded
    account."""
    clients: list[WikiClient] = []

    def make(user: str, backend: str = "mwclient") -> WikiClient:
        client = connect(
            sandbox.api_url,
            backend=backend,
            credentials=BotPassword(f"{user}@gatebot", PASSWORD),
            state_dir=tmp_path / user,
            environ={},
            min_interval=0,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def organizer(login: Callable[..., WikiClient]) -> CampaignEventsClient:
    return CampaignEventsClient(login("Organizer"))
