"""`gatebot demo`: a short tour of gatebot's main jobs against a sandbox wiki started in-process.

Each step goes through the real code paths (transport, whoami, events check, the daily-limit
policy) and yields its data; `bot.cli.demo` prints it. The sandbox and the temporary state
folder are always removed at the end, also on errors and Ctrl-C.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import bot
import policies
from bot.account import WhoamiReport, whoami
from bot.events.check import check_file
from bot.ledger import Ledger
from bot.report import Summary
from bot.sandbox import SandboxServer, serve
from bot.suggestions import Quota, read_quota
from bot.wiki import BotPassword, WikiClient, WikiError, connect
from policies.errors import GatebotError

log = logging.getLogger(__name__)

SANDBOX_PASSWORD = "sandbox"
ORGANIZER = "Organizer@gatebot"
VOLUNTEER = "Volunteer@gatebot"
IMAGE_TASK = "image-recommendation"
EXAMPLE_EVENTS = Path(bot.__file__).resolve().parent.parent / "examples" / "events.csv"
"""The example events file of a source checkout; an installed wheel does not ship it."""


class DemoFailed(GatebotError):
    """A demo step could not talk to the sandbox wiki (exit status 3, like other wiki problems)."""

    exit_status = 3


@dataclass(frozen=True)
class Step:
    """One stop of the tour: `key` names it in `--json`; `data` is the step's own dataclass."""

    key: str
    title: str
    explanation: str
    data: Any


@dataclass(frozen=True)
class SandboxStarted:
    """Where the demo's sandbox answers (in memory, gone after the tour)."""

    api_url: str
    rest_url: str

    def as_json(self) -> dict[str, Any]:
        return {"api_url": self.api_url, "rest_url": self.rest_url, "state": "in memory"}


@dataclass(frozen=True)
class EventsCheck:
    """The offline check of the example events file: its row reports and counts.

    `found` is False when the file is not there (an installed wheel); `rows` is then empty.
    """

    path: Path
    found: bool
    rows: tuple[dict[str, Any], ...]
    summary: Summary

    def as_json(self) -> dict[str, Any]:
        if not self.found:
            return {"file": str(self.path), "skipped": "the example file is not there"}
        return {"file": str(self.path), "rows": list(self.rows), "summary": self.summary.as_dict()}


def tour(backend: str, policy: policies.Policy) -> Generator[Step, None, None]:
    """Start the sandbox, yield each step of the tour as it completes, stop the sandbox.

    Close the generator (`contextlib.closing`) to stop early; the sandbox stops either way.
    Raises DemoFailed when the sandbox cannot start or a wiki step fails.
    """
    server = _start_sandbox()
    try:
        with tempfile.TemporaryDirectory(prefix="gatebot-demo-", ignore_cleanup_errors=True) as tmp:
            state_dir = Path(tmp)
            yield Step(
                "sandbox",
                "Sandbox wiki",
                "A local wiki answering like MediaWiki with CampaignEvents and "
                "GrowthExperiments, started for this tour and stopped at its end.",
                SandboxStarted(server.api_url, server.rest_url),
            )
            yield Step(
                "whoami",
                "1. Who am I",
                "What `gatebot whoami` shows after logging in with a bot password: groups, "
                "the rights gatebot needs that are missing, and the zone the user's day runs in.",
                tuple(
                    _whoami(server, backend, state_dir, login) for login in (ORGANIZER, VOLUNTEER)
                ),
            )
            yield Step(
                "events_check",
                "2. Offline check of an events file",
                "What `gatebot events check` reports for the example file: each row against "
                "the local policy and CampaignEvents' own rules, without contacting a wiki.",
                check_example(EXAMPLE_EVENTS, policy, now=datetime.now(timezone.utc)),
            )
            yield Step(
                "image_quota",
                '3. The volunteer\'s "Add an image" quota',
                "What `gatebot images quota` shows for Volunteer: today's count in this "
                "machine's ledger and on the wiki, the limit, and when it resets in the "
                "volunteer's zone. `gatebot images session` answers suggestions within it.",
                _image_quota(server, backend, state_dir, policy),
            )
    finally:
        server.stop()


def _start_sandbox() -> SandboxServer:
    try:
        return serve(port=0)
    except OSError as error:
        raise DemoFailed(
            f"The demo cannot start its sandbox wiki on 127.0.0.1 ({error.strerror}); "
            "check that loopback networking is available."
        ) from None


def _failed(what: str, error: WikiError) -> DemoFailed:
    """One sentence for the user; the wiki's own answer goes to the log (`gatebot -v demo`)."""
    log.info("demo: could not %s: %s", what, error)
    return DemoFailed(
        f"The demo could not {what} (run `gatebot -v demo` to see the answer); check that "
        "nothing, such as an HTTP proxy, intercepts connections to 127.0.0.1."
    )


def _client(server: SandboxServer, backend: str, state_dir: Path, login: str) -> WikiClient:
    """A fresh login to the sandbox through the real transport; state only in `state_dir`."""
    try:
        return connect(
            server.api_url,
            backend=backend,
            credentials=BotPassword(login, SANDBOX_PASSWORD),
            state_dir=state_dir,
            reuse_session=False,
            environ={},
        )
    except WikiError as error:
        raise _failed(f"log in to its sandbox wiki as {login}", error) from None


def _whoami(server: SandboxServer, backend: str, state_dir: Path, login: str) -> WhoamiReport:
    with _client(server, backend, state_dir, login) as client:
        try:
            return whoami(client)
        except WikiError as error:
            raise _failed(f"ask its sandbox wiki who {login} is", error) from None


def check_example(path: Path, policy: policies.Policy, *, now: datetime) -> EventsCheck:
    """`events check` of the example file, collected; a missing file is skipped, not an error."""
    summary = Summary()
    if not path.is_file():
        return EventsCheck(path, False, (), summary)
    rows = tuple(row.report() for row in check_file(path, policy, now=now))
    for row in rows:
        summary.add(row)
    return EventsCheck(path, True, rows, summary)


def _image_quota(
    server: SandboxServer, backend: str, state_dir: Path, policy: policies.Policy
) -> Quota:
    """`images quota` as Volunteer, with a ledger in the tour's temporary state folder."""
    with _client(server, backend, state_dir, VOLUNTEER) as client, Ledger.open(state_dir) as ledger:
        try:
            return read_quota(client, policy, ledger, IMAGE_TASK)
        except WikiError as error:
            raise _failed(f"read the quota of {VOLUNTEER}", error) from None
