"""Shared pieces of the fault and load suites: sandboxes watched request by request, events
files, and the real gatebot CLI in child processes (traffic only on 127.0.0.1)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest

import bot.sandbox.server as sandbox_server
from bot.sandbox.config import SandboxConfig, load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve
from bot.sandbox.web import Request, Response

ROOT = Path(__file__).resolve().parents[2]
CREATE = ("POST", "/w/rest.php/campaignevents/v0/event_registration")
REGISTERED = "campaignevents-error-page-already-registered"
# Called after the sandbox acted on a request and before it answers: (request, response).
Watcher = Callable[[Request, Response], None]


class Wiki(Protocol):
    """A sandbox to talk to: in this process (`SandboxServer`) or a child process."""

    api_url: str


class Watch:
    """Every answer of the sandboxes of one test (a create's status or refusal key), and an
    optional hook run between the wiki's write and its answer."""

    def __init__(self) -> None:
        self.creates: Counter[int | str] = Counter()
        self.hook: Watcher | None = None
        self._lock = threading.Lock()

    def saw(self, request: Request, response: Response) -> None:
        if (request.method, request.path) == CREATE:
            key: int | str = response.status
            if response.status >= 400 and response.content_type.startswith("application/json"):
                key = json.loads(response.body).get("errorKey") or response.status
            with self._lock:
                self.creates[key] += 1
        if self.hook is not None:
            self.hook(request, response)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Watch:
    """Route every sandbox answer through a `Watch` before it is sent."""
    seen = Watch()
    real = sandbox_server.dispatch

    def watched(wiki, request):
        response, wrote = real(wiki, request)
        seen.saw(request, response)
        return response, wrote

    monkeypatch.setattr(sandbox_server, "dispatch", watched)
    return seen


@pytest.fixture
def start_wiki() -> Iterator[Callable[..., SandboxServer]]:
    """Start fresh in-memory sandboxes (optionally configured); all are stopped afterwards."""
    started: list[SandboxServer] = []

    def start(config: SandboxConfig | None = None) -> SandboxServer:
        server = serve(config or load_config())
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def event_titles(count: int) -> list[str]:
    return [f"Event:Fault {n}" for n in range(count)]


def events_file(server: SandboxServer, path: Path, count: int) -> Path:
    """`count` event pages on the wiki (by Organizer) and an events file registering each."""
    for title in event_titles(count):
        create_page(server.wiki, title, "Organizer", "An event page.")
    return write_events(path, event_titles(count))


def write_events(path: Path, titles: list[str], ids: dict[str, int] | None = None) -> Path:
    """An events file registering each page; `ids` fills the event_id of some rows."""
    rows = [
        {"event_page": title, "event_id": str((ids or {}).get(title, "")), "timezone": "UTC",
         "start": "2027-06-01T10:00", "end": "2027-06-01T18:00",
         "types": "Editing event;Workshop", "wikis": "commonswiki", "participation": "online",
         "contribution_statistics": "auto"}
        for title in titles
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def environment(state: Path, user: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A child's environment as `user` with its own state folder (`extra` on top: a fake clock)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEBOT_")}
    env.update(GATEBOT_USER=f"{user}@gatebot", GATEBOT_PASSWORD="sandbox",
               GATEBOT_STATE_DIR=str(state), PYTHONPATH=str(ROOT), COLUMNS="120")  # fmt: skip
    env.update(extra or {})
    return env


def gatebot(
    server: Wiki, state: Path, user: str, *args: str, extra: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """`gatebot ARGS --wiki SANDBOX` as `user`, started (not waited for)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args, "--wiki", server.api_url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=environment(state, user, extra),
    )  # fmt: skip


def finished(child: subprocess.Popen[str], timeout: float = 120) -> tuple[int, dict, str]:
    """Exit status, the JSON report on stdout (`{}` if none) and stderr of a child."""
    out, err = child.communicate(timeout=timeout)
    return child.returncode, json.loads(out) if out.startswith("{") else {}, err
