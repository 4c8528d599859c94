"""Fixtures of the sandbox suite. `sandbox_server`/`sandbox_wiki` come from
tests/sandbox_fixtures.py, which the top-level conftest loads for every suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import pytest

from bot.sandbox.config import SandboxConfig, load_config
from bot.sandbox.server import SandboxServer, serve
from tests.sandbox.helpers import MovableClock

StartSandbox = Callable[..., SandboxServer]


@pytest.fixture
def clock() -> MovableClock:
    """Sunday 22 November 2026, 12:00 UTC (13:00 in Berlin), until a test moves it."""
    return MovableClock(datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc))


@pytest.fixture
def start_sandbox(clock: MovableClock) -> Iterator[StartSandbox]:
    """Start private sandboxes (fresh state, the test's clock); all are stopped afterwards."""
    started: list[SandboxServer] = []

    def start(config: SandboxConfig | None = None, **options: object) -> SandboxServer:
        server = serve(config or load_config(), clock=options.pop("clock", clock), **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
