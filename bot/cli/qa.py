"""`gatebot qa …`: acceptance checklists for testers, run against a (test) wiki.

Each prints a ✅/❌ table, `--json`, or `--format remarkup` to paste on the Phabricator task.
Exit status 0 when every criterion passed, 1 when any failed or could not be run, 2 for bad
usage (also: writing on a wiki that is not a test wiki without --yes), 3 when the wiki cannot be
used (unreachable, login failed, a right missing).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

import policies
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, command_group, connect_wiki
from bot.cli.events import report_format
from bot.cli.output import format_table, print_json
from bot.display import shown
from bot.qa import contribution_stats, image_limit
from bot.qa.checklist import FAILED, NOT_RUN, PASSED, Checklist
from bot.qa.qa_events import check_prefix, default_prefix
from bot.qa.render import closing_notes, render_remarkup
from policies.errors import InputError

FORMATS = ("table", "json", "remarkup")
LABELS = {PASSED: "✅ pass", FAILED: "❌ FAIL", NOT_RUN: "⬜ not run"}
EXIT_HELP = (
    "Exit status 0 when every criterion passed, 1 when any failed or was not run, 2 for bad "
    "usage, 3 when the wiki cannot be used."
)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `qa` and its two checklists."""
    commands = command_group(
        subparsers, common, "qa", "acceptance checklists for testers on a (test) wiki"
    )
    stats = commands.add_parser(
        "contribution-stats",
        parents=[common],
        help="check contribution statistics on the wiki with test events",
        description="Check the acceptance criteria of contribution statistics against the wiki "
        "with test events (is_test_event, pages under --prefix) that are removed afterwards: "
        "statistics on by default for each contribution type, the exact refusals for a "
        "non-contribution type and a disallowed country, tracks_contributions on enable, "
        "edit and get, and the wiki's disallowed countries against the local policy (a "
        "difference is drift, and fails). It says how many writes it makes before the first. "
        + EXIT_HELP,
    )
    stats.add_argument(
        "--prefix",
        metavar="P",
        help="title prefix of the test pages (default 'Event:Gatebot QA <time>/')",
    )
    stats.add_argument(
        "--keep", action="store_true", help="leave the test events and pages on the wiki"
    )
    stats.add_argument(
        "--sample",
        metavar="CODES",
        default=",".join(contribution_stats.SAMPLE),
        help="allowed countries to ask the wiki about, comma-separated codes or names "
        "(default %(default)s); each is one write",
    )
    limit = commands.add_parser(
        "image-limit",
        parents=[common],
        help='check the "Add an image" daily limit through gatebot\'s gate',
        description="Read the wiki's daily limit and the user's day, then answer suggestions "
        "through gatebot's gate with answers that change no article and keep the suggestion "
        "for others (skips, and 'no' with the reason unfamiliar): the count rises for a no "
        "and not for a skip, the wiki's dailyCount agrees, the gate closes at the limit "
        "without sending the next answer, and it reopens at the user's midnight. Each 'no' "
        "counts on the wiki for today. " + EXIT_HELP,
    )
    limit.add_argument(
        "--max-writes",
        type=int,
        default=image_limit.DEFAULT_MAX_WRITES,
        metavar="N",
        help="send at most N answers (default %(default)s); criteria that need more are not run",
    )
    limit.add_argument(
        "--task-type",
        choices=image_limit.TASK_TYPES,
        default=image_limit.TASK_TYPES[0],
        help="the task type to check (default %(default)s)",
    )
    for parser in (stats, limit):
        parser.add_argument(
            "--yes",
            action="store_true",
            help="write on a wiki that is not a test wiki (loopback, Patch Demo, test.)",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="a table (default), JSON, or Phabricator Remarkup to paste on the task",
        )
    stats.set_defaults(handler=run_contribution_stats)
    limit.set_defaults(handler=run_image_limit)


def heading(checklist: Checklist) -> str:
    """The first line: which checklist, where, as whom, and the counts."""
    return (
        f"gatebot qa {checklist.name} on {checklist.wiki} as {checklist.user}: "
        f"{checklist.summary()}"
    )


def render_table(checklist: Checklist) -> str:
    """The terminal report: the table, then what to do for each criterion that did not pass,
    the notes, and what was written and left on the wiki."""
    rows = [
        (f"{number}.", LABELS[item.status], item.criterion, " ; ".join(item.evidence))
        for number, item in enumerate(checklist.checks, start=1)
    ]
    lines = [
        shown(heading(checklist)),
        "",
        format_table(["", "result", "criterion", "evidence"], rows),
    ]
    todo = [
        f"{number}. {shown(item.todo)}"
        for number, item in enumerate(checklist.checks, start=1)
        if not item.passed and item.todo
    ]
    if todo:
        lines += ["", "What to do:", *todo]
    item_notes = [
        f"{number}. {item.note}"
        for number, item in enumerate(checklist.checks, start=1)
        if item.note
    ]
    lines += ["", *(shown(note) for note in [*item_notes, *closing_notes(checklist)])]
    return "\n".join(lines)


def _announce(line: str) -> None:
    print(f"gatebot: {shown(line)}", file=sys.stderr, flush=True)


def _print(checklist: Checklist, fmt: str) -> int:
    if fmt == "json":
        print_json(checklist.as_json())
    elif fmt == "remarkup":
        print(render_remarkup(checklist))
    else:
        print(render_table(checklist))
    return EXIT_OK if checklist.ok else EXIT_ROWS_FAILED


def run_contribution_stats(args: argparse.Namespace, settings: Settings) -> int:
    fmt = report_format(args, settings)
    policy = policies.load(settings.policy)
    now = datetime.now(timezone.utc)
    prefix = check_prefix(args.prefix) if args.prefix is not None else default_prefix(now)
    sample = [code.strip() for code in args.sample.split(",") if code.strip()]
    with connect_wiki(settings) as wiki:
        checklist = contribution_stats.run(
            wiki,
            policy,
            prefix=prefix,
            keep=args.keep,
            now=now,
            sample=sample,
            yes=args.yes,
            announce=_announce,
        )
    return _print(checklist, fmt)


def run_image_limit(args: argparse.Namespace, settings: Settings) -> int:
    fmt = report_format(args, settings)
    if args.max_writes < 0:
        raise InputError(f"--max-writes {args.max_writes} is negative; give 0 or more.")
    policy = policies.load(settings.policy)
    with connect_wiki(settings) as wiki:
        checklist = image_limit.run(
            wiki,
            policy,
            state_dir=settings.state_dir,
            task_type=args.task_type,
            max_writes=args.max_writes,
            yes=args.yes,
            announce=_announce,
        )
    return _print(checklist, fmt)
