"""Fixtures for the transport's contract tests: a scripted wiki, a fake clock, both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from bot.wiki import BotPassword, RetryPolicy, WikiClient, connect
from tests.wiki.fakewiki import API, LOGIN, SECRET, FakeWiki


class FakeClock:
    """Monotonic time that only moves when gatebot sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(params=["mwclient", "pywikibot"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def wiki() -> Iterator[FakeWiki]:
    fake = FakeWiki()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_client(backend: str, wiki: FakeWiki, clock: FakeClock, tmp_path: Path):
    """`open_client(**overrides)` connects to the fake wiki as Tester with a bot password."""
    clients: list[WikiClient] = []

    def make(**overrides) -> WikiClient:
        options = {
            "backend": backend,
            "credentials": BotPassword(LOGIN, SECRET),
            "state_dir": tmp_path / "state",
            "sleep": clock.sleep,
            "clock": clock,
            "retry_policy": RetryPolicy(attempts=4, total_wait=120.0),
            "environ": {},
        } | overrides
        client = connect(overrides.pop("target", API), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
