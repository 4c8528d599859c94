"""Fixtures `sandbox` (a fresh sandbox wiki for one test) and, for the session, `sandbox_wiki`:
the sandbox served in-process on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sandbox.server import SandboxServer, serve
from tests.wikis import WikiUnderTest

SANDBOX_PASSWORD = "sandbox"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A private sandbox wiki (fresh state) for one test."""
    server = serve()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One running sandbox (in-memory state) for the whole session, stopped at its end."""
    server = serve()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sandbox_wiki(sandbox_server: SandboxServer) -> WikiUnderTest:
    """The sandbox as a WikiUnderTest: Admin has no rate limits, Tester edits 5 per 60 s."""
    return WikiUnderTest(
        name="sandbox",
        api_url=sandbox_server.api_url,
        rest_url=sandbox_server.rest_url,
        admin=("Admin@gatebot", SANDBOX_PASSWORD),
        limited=("Tester@gatebot", SANDBOX_PASSWORD),
    )
