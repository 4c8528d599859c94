"""What every command shares: exit statuses, the merged global settings, environment names."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from bot.wiki import LoginFailed, WikiClient, connect, credentials_from_env
from policies.errors import InputError

# Exit statuses (DESIGN §3). 2 (bad usage, unreadable file) and 3 (wiki unreachable, login
# failed, right missing) come from the `exit_status` of the GatebotError that was raised.
EXIT_OK = 0
EXIT_ROWS_FAILED = 1

BACKENDS = ("mwclient", "pywikibot")

# option dest -> environment variable
ENVIRONMENT = {
    "wiki": "GATEBOT_WIKI",
    "user": "GATEBOT_USER",
    "backend": "GATEBOT_BACKEND",
    "policy": "GATEBOT_POLICY",
    "state_dir": "GATEBOT_STATE_DIR",
}


@dataclass(frozen=True)
class Settings:
    """The global options after the environment and the command line are merged."""

    wiki: str | None
    user: str | None
    backend: str
    policy: Path | None
    state_dir: Path
    json: bool
    verbose: int


def default_state_dir() -> Path:
    """Where cookies, the ledger and the journal live unless --state-dir says otherwise."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(base) / "gatebot"


def checked_state_dir(path: Path, given_as: str) -> Path:
    """`path` if gatebot can keep its state there (it need not exist yet); else `InputError`,
    so a file or a read-only folder is one sentence at the start, not a traceback later."""
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    fix = "give a folder you can write in (gatebot creates it if it is missing)."
    if not existing.is_dir():
        where = "names a file" if existing == path else f"is inside {existing}, which is a file"
        raise InputError(f"{given_as} {path} {where}, not a folder; {fix}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{given_as} {path}: {existing} cannot be written to; {fix}")
    return path


def command_group(subparsers, common: argparse.ArgumentParser, name: str, help_text: str):
    """Add a command with subcommands (`gatebot NAME SUB …`); returns the action to add them to."""
    group = subparsers.add_parser(name, parents=[common], help=help_text)
    commands = group.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
    commands.required = True
    return commands


def connect_wiki(
    settings: Settings, *, fresh_login: bool = False, anonymous_ok: bool = False
) -> WikiClient:
    """Log in to --wiki with the credentials from the environment, as every command does (exit
    status 3 when there are none). `fresh_login` ignores a saved session, so the password is
    tested; `anonymous_ok` reads anonymously when no credentials are set."""
    if not settings.wiki:
        raise InputError("No wiki given; pass --wiki TARGET or set GATEBOT_WIKI.")
    credentials = credentials_from_env(settings.user)
    if credentials is None and not anonymous_ok:
        raise LoginFailed(
            "No credentials found: set GATEBOT_USER=NAME@BOTNAME and GATEBOT_PASSWORD, the "
            "four GATEBOT_OAUTH_* variables, or a pywikibot password file "
            "(GATEBOT_PASSWORD_FILE)."
        )
    return connect(
        settings.wiki,
        backend=settings.backend,
        credentials=credentials,
        state_dir=settings.state_dir,
        reuse_session=not fresh_login,
    )
