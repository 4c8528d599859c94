"""Fixtures of the review page's HTTP tests: a small-limit sandbox and a page over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import SandboxServer
from tests.review.harness import Page, small_sandbox, start_page, stop_page


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = small_sandbox()
    yield server
    server.stop()


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def page(sandbox: SandboxServer, state: Path) -> Iterator[Page]:
    running = start_page(sandbox, state)
    yield running
    stop_page(running)
