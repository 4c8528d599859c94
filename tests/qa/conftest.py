"""A fresh sandbox wiki per test (in memory, optionally configured unlike the local policy),
and logins to it through the real transport."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.sandbox.config import load_config
from bot.sandbox.server import SandboxServer, serve
from bot.wiki import BotPassword, WikiClient, connect

PASSWORD = "sandbox"
# The shipped policy's disallowed countries (Wikimedia production, 2026-08-21).
PRODUCTION = (
    "BH",
    "BY",
    "CN",
    "CU",
    "EG",
    "ER",
    "HK",
    "IR",
    "KP",
    "MM",
    "MO",
    "RU",
    "SA",
    "SY",
    "TM",
    "TR",
    "VN",
)


def sandbox_config(tmp_path: Path, *, disallowed=None, image_limit=None, suggester=None) -> Path:
    """A `gatebot sandbox --config` file: another disallowed list, a daily limit, a suggester."""
    lines = []
    if disallowed is not None:
        lines.append("[campaignevents.disallowed_countries]")
        lines += [f'{code} = "{code}"' for code in disallowed]
    if suggester is not None:
        lines += ["[growth]", f'suggester = "{suggester}"']
    if image_limit is not None:
        lines += ["[growth.max_tasks_per_day]", f"image-recommendation = {image_limit}"]
    path = tmp_path / "sandbox.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def sandboxes(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """`start(**config)` serves a sandbox (see `sandbox_config`); all are stopped at the end."""
    servers: list[SandboxServer] = []

    def start(**config) -> SandboxServer:
        path = sandbox_config(tmp_path, **config) if config else None
        servers.append(serve(load_config(path) if path else None))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    with sandboxes(tmp_path) as start:
        yield start


@pytest.fixture
def login(tmp_path: Path) -> Iterator[Callable[[SandboxServer, str], WikiClient]]:
    """`login(server, "Organizer")`: a fresh session; closed after the test."""
    clients: list[WikiClient] = []

    def open_session(server: SandboxServer, name: str) -> WikiClient:
        state = tmp_path / f"state-{name}"
        clients.append(
            connect(
                server.api_url,
                credentials=BotPassword(f"{name}@gatebot", PASSWORD),
                state_dir=state,
                environ={},
            )
        )
        return clients[-1]

    yield open_session
    for client in clients:
        client.close()
