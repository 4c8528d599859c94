"""`gatebot demo`: a tour of the whole product against sandbox wikis started in-process.

Each step goes through the real code paths (transport, whoami, events check/apply/stats, the
gated image session, the quota, the QA checklist) and yields its data with the command line a
user would type; `bot.cli.demo` prints it. The sandboxes and the temporary state folder are
always removed at the end, also on errors and Ctrl-C.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import policies
from bot.account import WhoamiReport, whoami
from bot.demo import steps
from bot.growth import IMAGE
from bot.ledger import Ledger
from bot.sandbox import SandboxServer, serve
from bot.sandbox.config import SandboxConfig, load_config
from bot.suggestions import Quota, read_quota
from bot.wiki import BotPassword, WikiClient, WikiError, connect
from policies.errors import GatebotError

log = logging.getLogger(__name__)

SANDBOX_PASSWORD = "sandbox"
ORGANIZER = "Organizer@gatebot"
VOLUNTEER = "Volunteer@gatebot"
IMAGE_LIMIT = 5
"""The demo sandbox's daily limit of image suggestions (the wiki's is 25), so the session
reaches it in a few answers."""
DRIFT_ALLOWS, DRIFT_FORBIDS = "RU", "IN"
"""The second sandbox allows a country the shipped policy forbids, and forbids one it allows."""
EXAMPLE_EVENTS = steps.EXAMPLES / "events.csv"
EXAMPLE_CAMPAIGN = steps.EXAMPLES / "campaign.csv"
EXAMPLE_ANSWERS = steps.EXAMPLES / "answers.csv"
MEETUP = "Event:Lisbon Meetup 2030/March"
"""The campaign's meetup: applied with statistics off, then switched on (refused)."""
T = TypeVar("T")
AsUser = Callable[[str, str, Callable[[WikiClient], T]], T]


class DemoFailed(GatebotError):
    """A demo step could not talk to the sandbox wiki (exit status 3, like other wiki problems)."""

    exit_status = 3


@dataclass(frozen=True)
class Step:
    """One stop of the tour: `key` names it in `--json`; `command` is what a user would type
    against `gatebot sandbox` (None: nothing to type); `data` is the step's own dataclass."""

    key: str
    title: str
    explanation: str
    command: str | None
    data: Any


@dataclass(frozen=True)
class SandboxStarted:
    """Where the demo's sandbox answers (in memory, gone after the tour)."""

    api_url: str
    rest_url: str
    image_limit: int

    def as_json(self) -> dict[str, Any]:
        return {
            "api_url": self.api_url,
            "rest_url": self.rest_url,
            "state": "in memory",
            "image_limit": self.image_limit,
        }


def _command(line: str, user: str | None = ORGANIZER) -> str:
    return f"gatebot {line} --wiki sandbox" + (f" --user {user}" if user else "")


class _Sandboxes:
    """The tour's sandbox wikis and logins to them, all in the tour's temporary state folder."""

    def __init__(self, backend: str, state_dir: Path):
        self.backend, self.state_dir = backend, state_dir
        self.servers: list[SandboxServer] = []

    def start(self, config: SandboxConfig) -> SandboxServer:
        try:
            self.servers.append(serve(config, port=0))
        except OSError as error:
            raise DemoFailed(
                f"The demo cannot start its sandbox wiki on 127.0.0.1 ({error.strerror}); "
                "check that loopback networking is available."
            ) from None
        return self.servers[-1]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    @contextmanager
    def login(self, server: SandboxServer, login: str, doing: str) -> Iterator[WikiClient]:
        """A fresh login through the real transport; a wiki error while `doing` is exit 3."""
        try:
            client = connect(
                server.api_url,
                backend=self.backend,
                credentials=BotPassword(login, SANDBOX_PASSWORD),
                state_dir=self.state_dir,
                reuse_session=False,
                environ={},
            )
        except WikiError as error:
            raise _failed(f"log in to its sandbox wiki as {login}", error) from None
        with client:
            try:
                yield client
            except WikiError as error:
                raise _failed(doing, error) from None


def _failed(what: str, error: WikiError) -> DemoFailed:
    """One sentence for the user; the wiki's own answer goes to the log (`gatebot -v demo`)."""
    log.info("demo: could not %s: %s", what, error)
    return DemoFailed(
        f"The demo could not {what} (run `gatebot -v demo` to see the answer); check that "
        "nothing, such as an HTTP proxy, intercepts connections to 127.0.0.1."
    )


def demo_config() -> SandboxConfig:
    """The built-in sandbox, with a daily image limit small enough to reach in the tour."""
    config = load_config()
    limits = {**config.max_tasks_per_day, IMAGE: IMAGE_LIMIT}
    return replace(config, max_tasks_per_day=limits)


def drift_config(policy: policies.Policy) -> SandboxConfig:
    """A sandbox whose disallowed countries disagree with the policy in both directions."""
    countries = {
        code: name for code, name in policy.disallowed_countries.items() if code != DRIFT_ALLOWS
    }
    return replace(load_config(), disallowed_countries={**countries, DRIFT_FORBIDS: "India"})


def tour(backend: str, policy: policies.Policy) -> Generator[Step, None, None]:
    """Start the sandbox, yield each step of the tour as it completes, stop the sandbox.

    Close the generator (`contextlib.closing`) to stop early; the sandboxes stop either way.
    Raises DemoFailed when a sandbox cannot start or a wiki step fails.
    """
    with tempfile.TemporaryDirectory(prefix="gatebot-demo-", ignore_cleanup_errors=True) as tmp:
        sandboxes = _Sandboxes(backend, Path(tmp))
        try:
            yield from _steps(sandboxes, policy, Path(tmp))
        finally:
            sandboxes.stop()


def _steps(sandboxes: _Sandboxes, policy: policies.Policy, state_dir: Path) -> Iterator[Step]:
    server = sandboxes.start(demo_config())
    now = datetime.now(timezone.utc)

    def as_user(login: str, doing: str, call: Callable[[WikiClient], T]) -> T:
        with sandboxes.login(server, login, doing) as client:
            return call(client)

    yield Step(
        "sandbox", "Sandbox wiki",
        "A local wiki answering like MediaWiki with CampaignEvents and GrowthExperiments, "
        "started for this tour and stopped at its end. Its daily limit of image suggestions "
        f"is set to {IMAGE_LIMIT} (instead of 25; [growth.max_tasks_per_day] in `gatebot sandbox "
        "--config FILE`) so the session below reaches it quickly. Each step shows the command "
        "that does the same against `gatebot sandbox`, with GATEBOT_PASSWORD=sandbox.",
        "gatebot sandbox", SandboxStarted(server.api_url, server.rest_url, IMAGE_LIMIT),
    )  # fmt: skip
    yield Step(
        "whoami", "1. Who am I",
        "What `gatebot whoami` shows after logging in with a bot password: groups, the rights "
        "gatebot needs that are missing, and the zone the user's day runs in.",
        _command("whoami", None),
        tuple(
            _whoami(sandboxes, server, login) for login in (ORGANIZER, VOLUNTEER)
        ),
    )  # fmt: skip
    yield Step(
        "events_check", "2. Offline check of an events file",
        "Each row against the local policy and CampaignEvents' own rules, without a wiki.",
        f"gatebot events check {_shown(EXAMPLE_EVENTS)}",
        steps.check_example(EXAMPLE_EVENTS, policy, now=now),
    )  # fmt: skip
    yield from _events(as_user, policy, state_dir, now)
    yield Step(
        "image_session", '4. A scripted "Add an image" session',
        "Volunteer's answers from a file, through gatebot's gate: a skip is free, each yes "
        f"and no counts, and the gate stops the session at the daily limit ({IMAGE_LIMIT} "
        "here) before anything more is sent, saying when it resets in the volunteer's zone.",
        _command(f"images session --answers {_shown(EXAMPLE_ANSWERS)} --task-type {IMAGE}",
                 VOLUNTEER),
        as_user(VOLUNTEER, f"run the image session of {VOLUNTEER}",
                lambda wiki: steps.image_session(wiki, policy, state_dir, EXAMPLE_ANSWERS)),
    )  # fmt: skip
    yield Step(
        "image_quota", '5. The volunteer\'s "Add an image" quota',
        "Today's count in this machine's ledger and on the wiki, the limit, and when it resets "
        "in the volunteer's zone.",
        _command("images quota", VOLUNTEER),
        as_user(VOLUNTEER, f"read the quota of {VOLUNTEER}", lambda wiki: _quota(wiki, policy,
                                                                                 state_dir)),
    )  # fmt: skip
    yield Step(
        "qa", "6. The contribution statistics checklist",
        "The acceptance criteria checked on the wiki itself with test events, removed "
        "afterwards: a table to read, `--format remarkup` to paste on the Phabricator task.",
        _command("qa contribution-stats"),
        as_user(ORGANIZER, "run the checklist",
                lambda wiki: steps.qa_contribution_stats(wiki, policy, now=now)),
    )  # fmt: skip
    drifting = sandboxes.start(drift_config(policy))
    with sandboxes.login(drifting, ORGANIZER, "run the checklist on the second sandbox") as wiki:
        drift = steps.qa_contribution_stats(wiki, policy, now=now)
    yield Step(
        "qa_drift", "7. The same checklist on a wiki that disagrees with the policy",
        f"A second sandbox whose disallowed countries lack {DRIFT_ALLOWS} and add "
        f"{DRIFT_FORBIDS} (`gatebot sandbox --config FILE` with its own "
        "[campaignevents.disallowed_countries]): the checklist finds the drift in both "
        "directions and fails (exit status 1), saying what each difference means.",
        _command("qa contribution-stats"), drift,
    )  # fmt: skip


def _events(
    as_user: AsUser, policy: policies.Policy, state_dir: Path, now: datetime
) -> Iterator[Step]:
    """Apply the example campaign, apply it again, then try statistics on for its meetup."""
    apply = _command(f"events apply {_shown(EXAMPLE_CAMPAIGN)} --create-pages --yes")

    def applying(wiki: WikiClient) -> steps.EventRows:
        return steps.apply_events(wiki, policy, state_dir, EXAMPLE_CAMPAIGN, now=now)

    applied = as_user(ORGANIZER, "apply the example campaign", applying)
    yield Step(
        "events_apply", "3a. Apply a campaign",
        "Organizer's campaign: pages created, registrations enabled with statistics on where "
        "the rules allow, off with a note for the meetup (its type) and Istanbul (its "
        "country), and the rows that ask for statistics they cannot have refused before "
        "anything is sent.",
        apply, applied,
    )  # fmt: skip
    yield Step(
        "events_reapply", "3b. Apply it again",
        "The journal and the wiki agree with the file: every event is unchanged, nothing is "
        "written, nothing is duplicated.",
        apply, as_user(ORGANIZER, "apply the example campaign again", applying),
    )  # fmt: skip
    event_id = applied.row_of(MEETUP)["event_id"]
    yield Step(
        "stats_on", "3c. Switch statistics on for the meetup",
        "`events stats` reads the event and asks the local policy first: a meetup cannot have "
        "contribution statistics, so nothing is written.",
        _command(f"events stats on {event_id}"),
        as_user(ORGANIZER, f"switch statistics on for event {event_id}",
                lambda wiki: steps.statistics_on(wiki, policy, event_id)),
    )  # fmt: skip


def _shown(path: Path) -> str:
    """A path as the user would type it from the checkout."""
    try:
        return str(path.relative_to(steps.EXAMPLES.parent))
    except ValueError:
        return str(path)


def _whoami(sandboxes: _Sandboxes, server: SandboxServer, login: str) -> WhoamiReport:
    with sandboxes.login(server, login, f"ask its sandbox wiki who {login} is") as client:
        return whoami(client)


def _quota(wiki: WikiClient, policy: policies.Policy, state_dir: Path) -> Quota:
    """`images quota` with the ledger of the tour's temporary state folder."""
    with Ledger.open(state_dir) as ledger:
        return read_quota(wiki, policy, ledger, IMAGE)
