"""`gatebot events …`: work on events files. `check` is offline; `plan` reads the wiki and says
what `apply` would do; `apply` does it, with a journal, and a re-run resumes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import TypeVar

import policies
from bot.cli import events_admin
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, command_group, connect_wiki
from bot.cli.events_reports import FORMATS, Report, open_report
from bot.cli.progress import Progress
from bot.events.batch import Batch
from bot.events.check import check_file
from bot.events.pages import PLACEHOLDERS, PageTemplate
from bot.events.plan import PlannedRow
from bot.formats import Counts
from bot.journal import Journal
from bot.readahead import read_ahead
from policies.errors import GatebotError, InputError

FILE_HELP = (
    "events file: .csv (header row, ';' between list items), .json or .yaml "
    "({'defaults': {...}, 'events': [...]})"
)
EXIT_HELP = (
    "Exit status 0 when every row is done (or would be), 1 when any row is refused or fails, "
    "2 for bad usage or an unreadable file, 3 when the wiki cannot be reached, the login fails "
    "or a needed right is missing."
)
T = TypeVar("T")


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
    add_format_option(check)
    check.set_defaults(handler=run_check)
    plan = commands.add_parser(
        "plan",
        parents=[common],
        help="read the wiki and show per event: create, update, unchanged or refused",
        description="Check every row as `events check` does, then read the wiki: does the event "
        "page exist, has it a registration (found by the row's event_id, the journal of earlier "
        "applies, or the organizer's events), and what would change. Nothing is written. "
        + EXIT_HELP,
    )
    apply = commands.add_parser(
        "apply",
        parents=[common],
        help="carry out the plan, with a journal; a re-run resumes and never duplicates",
        description="Plan every row, then write one at a time (create, or read-change-write "
        "every field), each recorded in the journal before and after it is sent: killed at any "
        "moment, the next apply of the same file finishes the work. On a terminal apply shows "
        "the plan's counts and asks before writing (--yes skips the question); elsewhere it "
        "goes ahead. " + EXIT_HELP,
    )
    for parser in (plan, apply):
        parser.add_argument("file", metavar="FILE", help=FILE_HELP)
        parser.add_argument(
            "--create-pages",
            action="store_true",
            help="create missing event pages (as the logged-in user, never overwriting a page)",
        )
        parser.add_argument(
            "--page-template",
            type=Path,
            metavar="FILE",
            help="wikitext of a page --create-pages creates, with the placeholders "
            + ", ".join("$" + name for name in PLACEHOLDERS)
            + " ($$ for a dollar sign)",
        )
        add_format_option(parser)
    apply.add_argument(
        "--dry-run",
        "--simulate",
        action="store_true",
        help="only plan: write nothing (the same as `events plan`)",
    )
    apply.add_argument("--yes", "-y", action="store_true", help="do not ask before writing")
    plan.set_defaults(handler=run_plan)
    apply.set_defaults(handler=run_apply)
    events_admin.register(commands, common)


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """`--format table|json|csv|wikitable` (`--json` is `--format json`)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="report as a table (default), JSON, CSV (counts on stderr) or a sortable "
        "wikitable to paste on a wiki page",
    )


def report_format(args: argparse.Namespace, settings: Settings) -> str:
    """The report format from --format and --json (both at once must agree)."""
    chosen = getattr(args, "format", None)
    if settings.json and chosen not in (None, "json"):
        raise InputError(f"--json and --format {chosen} ask for two reports; give one of them.")
    return "json" if settings.json else chosen or "table"


def load_policy(settings: Settings) -> policies.Policy:
    """The local policy: --policy / GATEBOT_POLICY, else the shipped one (PolicyError if bad)."""
    return policies.load(settings.policy)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Stream the rows through the checks and the report; the exit status counts errors."""
    policy = load_policy(settings)
    rows = check_file(args.file, policy, now=datetime.now(timezone.utc))
    first = next(rows, None)  # a file unreadable from the start fails before any output
    report = open_report(report_format(args, settings), sys.stdout, sys.stderr, plan=False)
    progress = Progress.when_useful(sys.stderr, sys.stdout)
    checked = chain([first] if first else [], rows)
    return stream_report(report, report.add_checked, checked, progress)


def run_plan(args: argparse.Namespace, settings: Settings) -> int:
    """Check, read the wiki, report what apply would do; nothing is written."""
    with _batch(args, settings) as (batch, fmt):
        rows = read_ahead(batch.checked(args.file))  # checked while the wiki answers
        report = open_report(fmt, sys.stdout, sys.stderr, plan=True)
        progress = Progress.when_useful(sys.stderr, sys.stdout, verb="planned")
        planned = (row.report() for row in batch.plan(rows))
        return stream_report(report, report.add, planned, progress)


def run_apply(args: argparse.Namespace, settings: Settings) -> int:
    """Plan every row, ask on a terminal, then write one row at a time through the journal."""
    if args.dry_run:
        return run_plan(args, settings)
    with _batch(args, settings) as (batch, fmt):
        rows = read_ahead(batch.checked(args.file))  # checked while the wiki answers
        with batch.applying(str(Path(args.file).resolve())) as applier:
            progress = Progress.when_useful(sys.stderr, sys.stdout, verb="planned")
            try:
                planned = list(_ticking(batch.plan(rows), progress))
            finally:
                if progress:
                    progress.finish()
            report = open_report(fmt, sys.stdout, sys.stderr, plan=True)
            if not _confirmed(args, planned, batch):
                for row in planned:
                    report.add(row.report())
                report.close(error="not confirmed: nothing was written")
                return EXIT_ROWS_FAILED
            writing = Progress.when_useful(sys.stderr, sys.stdout, verb="applied",
                                           total=len(planned))  # fmt: skip
            done = (applier.execute(row).report() for row in planned)
            return stream_report(report, report.add, done, writing)


@contextmanager
def _batch(args: argparse.Namespace, settings: Settings) -> Iterator[tuple[Batch, str]]:
    """Read the format, policy and template, log in and open the journal; close both after."""
    fmt = report_format(args, settings)
    policy = load_policy(settings)
    if args.page_template and not args.create_pages:
        raise InputError("--page-template is for --create-pages; add --create-pages.")
    template = PageTemplate.load(args.page_template) if args.create_pages else None
    with connect_wiki(settings) as wiki, Journal.open(settings.state_dir) as journal:
        yield Batch(wiki, policy, journal, create_pages=args.create_pages, template=template,
                    now=datetime.now(timezone.utc)), fmt  # fmt: skip


def _confirmed(args: argparse.Namespace, planned: list[PlannedRow], batch: Batch) -> bool:
    """On a terminal, show the plan's counts and ask before the first write (--yes: don't);
    without a terminal there is nobody to ask, and apply goes ahead."""
    writes = sum(row.writes for row in planned)
    if args.yes or not writes or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return True
    counts = Counts(plan=True)
    for row in planned:
        counts.add(row.report())
    pages = sum(row.create_page and row.writes for row in planned)
    sys.stderr.write(
        f"{counts.sentence()}\n{writes} write(s)"
        + (f" and {pages} new event page(s)" if pages else "")
        + f" on {batch.identity} as {batch.user}; `gatebot events plan` shows each row.\n"
        "Apply now? [y/N] "
    )
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def stream_report(
    report: Report, add: Callable[[T], None], rows: Iterable[T], progress: Progress | None
) -> int:
    """Report every row as it comes (counted on the progress display), then the counts, or why
    the run stopped; the exit status says whether any row was refused or failed."""
    try:
        for row in _ticking(rows, progress):
            add(row)
        report.close()
    except GatebotError as error:
        report.close(error=str(error))
        raise
    finally:
        if progress:
            progress.finish()
    return EXIT_ROWS_FAILED if report.summary.with_errors else EXIT_OK


def _ticking(items: Iterable[T], progress: Progress | None) -> Iterator[T]:
    """The items, counting each on the progress display (if any)."""
    for item in items:
        yield item
        if progress:
            progress.tick()
