"""A review page running in-process over a real session: the sandbox wiki (daily limit 3),
Volunteer logged in, the ledger in a temporary state folder, and raw HTTP to talk to the page
with any headers a browser or an attacker could send."""

from __future__ import annotations

import dataclasses
import http.client
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import policies
from bot.growth import IMAGE_TASK_TYPES
from bot.ledger import Ledger
from bot.review import Review
from bot.sandbox.config import load_config
from bot.sandbox.server import SandboxServer, serve
from bot.suggestions import SessionReport, build_session
from bot.wiki import BotPassword, WikiClient, connect

LIMIT = 3
PASSWORD = "sandbox"


def small_sandbox(limit: int = LIMIT) -> SandboxServer:
    """A sandbox whose wiki allows `limit` answers a day per image task type."""
    config = load_config()
    config = dataclasses.replace(
        config,
        max_tasks_per_day={**config.max_tasks_per_day, **dict.fromkeys(IMAGE_TASK_TYPES, limit)},
    )
    return serve(config)


def login(sandbox: SandboxServer, state: Path, user: str = "Volunteer") -> WikiClient:
    return connect(
        sandbox.api_url,
        credentials=BotPassword(f"{user}@gatebot", PASSWORD),
        state_dir=state,
        environ={},
        min_interval=0,
    )


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Page:
    """The running review: its URL parts, the wiki client behind it and every request it sent."""

    review: Review
    wiki: WikiClient
    ledger: Ledger
    sent: list[dict[str, Any]] = field(default_factory=list)
    report: SessionReport | None = None
    thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.review.server.port

    @property
    def token(self) -> str:
        return self.review.server.guard.token

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, method: str, target: str, *, headers: Mapping[str, str] | None = None,
        body: bytes = b"", host: str = "127.0.0.1",
    ) -> Reply:  # fmt: skip
        """One raw request (http.client sends Host exactly as given in `headers`)."""
        connection = http.client.HTTPConnection(host, self.port, timeout=30)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if body or method == "POST":
                sent["Content-Length"] = str(len(body))
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders(body or None)
            answer = connection.getresponse()
            return Reply(answer.status, dict(answer.getheaders()), answer.read())
        finally:
            connection.close()

    def api_headers(self) -> dict[str, str]:
        return {"X-Gatebot-Token": self.token}

    def state(self) -> dict[str, Any]:
        reply = self.request("GET", "/api/state", headers=self.api_headers())
        assert reply.status == 200, reply
        return reply.json()

    def post_answer(self, payload: Mapping[str, Any], **headers: str) -> Reply:
        sent = {
            "X-Gatebot-Token": self.token,
            "Origin": self.origin,
            "Content-Type": "application/json",
            **headers,
        }
        return self.request("POST", "/api/answer", headers=sent, body=json.dumps(payload).encode())

    def shown(self, wait: float = 20.0) -> dict[str, Any]:
        """The state once it shows a suggestion or why there is none, as the page polls for
        it (before the session's first step it shows neither)."""
        event = threading.Event()
        for _ in range(int(wait / 0.05)):
            state = self.state()
            if state["suggestion"] is not None or state["stop"] is not None:
                return state
            event.wait(0.05)
        raise AssertionError("the page showed neither a suggestion nor why not")

    def suggestion(self, wait: float = 20.0) -> dict[str, Any]:
        """The suggestion on offer (waiting for the first to be opened)."""
        current = self.shown(wait)["suggestion"]
        assert current is not None, "no suggestion was offered"
        return current

    def finish(self, timeout: float = 30.0) -> SessionReport:
        """Wait for the session to end on its own; its report."""
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the review did not end"
        assert self.report is not None
        return self.report


def start_page(
    sandbox: SandboxServer, state: Path, *, task_types: tuple[str, ...] = ("image-recommendation",)
) -> Page:
    """Log in, build the session as `images review` does, and serve the page in a thread."""
    wiki = login(sandbox, state)
    ledger = Ledger.open(state)
    session = build_session(wiki, policies.load(), ledger, task_types=task_types)
    page = Page(Review(session, wiki_url=wiki.target.api_url, linger=2.0), wiki, ledger)
    original = wiki.api_get

    def recorded(params: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        page.sent.append(dict(params))
        return original(params, *args, **kwargs)

    wiki.api_get = recorded  # type: ignore[method-assign]
    ready = threading.Event()

    def run() -> None:
        page.report = page.review.run(lambda url: ready.set())

    page.thread = threading.Thread(target=run, daemon=True)
    page.thread.start()
    assert ready.wait(10), "the page did not start"
    return page


def stop_page(page: Page) -> None:
    if page.thread is not None and page.thread.is_alive():
        page.review.stop()
        page.thread.join(30)
    page.ledger.close()
    page.wiki.close()


def url_host(url: str) -> str:
    return urlsplit(url).netloc
