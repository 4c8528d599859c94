"""Fixtures for driving gatebot's transport against the real local MediaWiki, both backends."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from bot.wiki import BACKEND_NAMES, BotPassword, WikiClient, connect
from tests.mediawiki import LocalMediaWiki


@dataclass
class RecordingSleep:
    """An injected `sleep` that records every wait; it really sleeps only up to `real_limit`
    seconds per call, so a test can wait out a short window but never a long one."""

    real_limit: float = 0.0
    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.real_limit:
            time.sleep(min(seconds, self.real_limit))


@pytest.fixture(params=BACKEND_NAMES)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


Connect = Callable[..., WikiClient]


@pytest.fixture
def connect_as(backend: str, local_mediawiki: LocalMediaWiki, tmp_path: Path) -> Iterator[Connect]:
    """`connect_as(login, **connect_options)`: a logged-in client, closed after the test."""
    clients: list[WikiClient] = []

    def make(login: tuple[str, str], **options: object) -> WikiClient:
        client = connect(
            local_mediawiki.wiki.api_url,
            backend=backend,
            credentials=BotPassword(*login),
            state_dir=tmp_path / "state",
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """`METHOD path` of every HTTP request any `requests` session sends during the test."""
    seen: list[str] = []
    original = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        seen.append(f"{request.method} {request.path_url.split('?')[0]}")
        return original(adapter, request, **kwargs)

    monkeypatch.setattr(HTTPAdapter, "send", send)
    yield seen
