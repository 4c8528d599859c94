"""`gatebot events …`: work on events files. `check` is offline; plan/apply come later."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from itertools import chain

import policies
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, command_group
from bot.cli.progress import Progress
from bot.events.check import check_file
from bot.report import JsonReport, TableReport
from policies.errors import GatebotError

FILE_HELP = (
    "events file: .csv (header row, ';' between list items), .json or .yaml "
    "({'defaults': {...}, 'events': [...]})"
)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `events` and its subcommands."""
    commands = command_group(
        subparsers, common, "events", "enable event registration in bulk from a file"
    )
    check = commands.add_parser(
        "check",
        parents=[common],
        help="offline: check every row against the local policy and the server's rules",
        description="Check an events file offline: no wiki is contacted. Each row is checked "
        "against the local policy (--policy) and CampaignEvents' own validation. Exit status 0 "
        "when every row is fine, 1 when any row has errors, 2 when the file or policy cannot "
        "be read.",
    )
    check.add_argument("file", metavar="FILE", help=FILE_HELP)
    check.set_defaults(handler=run_check)


def load_policy(settings: Settings) -> policies.Policy:
    """The local policy: --policy / GATEBOT_POLICY, else the shipped one (PolicyError if bad)."""
    return policies.load(settings.policy)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Stream the rows through the checks and the report; the exit status counts errors."""
    policy = load_policy(settings)
    rows = check_file(args.file, policy, now=datetime.now(timezone.utc))
    first = next(rows, None)  # a file unreadable from the start fails before any output
    report = JsonReport(sys.stdout) if settings.json else TableReport(sys.stdout)
    progress = Progress.when_useful(sys.stderr, sys.stdout)
    try:
        for row in chain([first] if first else [], rows):
            report.add_checked(row)
            if progress:
                progress.tick()
        report.close()
    except GatebotError as error:
        report.close(error=str(error))
        raise
    finally:
        if progress:
            progress.finish()
    return EXIT_ROWS_FAILED if report.summary.with_errors else EXIT_OK
