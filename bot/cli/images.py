"""`gatebot images session` and `gatebot images quota`: "Add an image" suggestions with the daily
gate, answered at a terminal or from an answers file, and today's quota."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

import policies
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, command_group, connect_wiki
from bot.cli.images_terminal import TerminalDecider
from bot.cli.output import format_table, print_json
from bot.display import shown
from bot.growth import IMAGE, IMAGE_TASK_TYPES
from bot.ledger import Ledger
from bot.suggestions import (
    ANSWERS_EXHAUSTED,
    INTERRUPTED,
    Handled,
    Quota,
    SessionReport,
    build_session,
    read_answers,
    read_quota,
    run_session,
)
from bot.suggestions.session import FAILED
from bot.suggestions.wiring import RowAnswers, settle_rows
from policies.errors import GatebotError, InputError

EXIT_INTERRUPTED = 130
STOP_TEXT = {
    "daily-limit": "the daily limit is reached",
    "no-more-suggestions": "the wiki has no more suggestions",
    "max": "--max answers are done",
    ANSWERS_EXHAUSTED: "every row of the answers file has had its turn",
    INTERRUPTED: "it was ended at the terminal",
    FAILED: "of an error",
}


class NoTerminal(GatebotError):
    """A session needs someone to answer: a terminal, or an answers file (exit status 2)."""


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `images session` and `images quota`."""
    commands = command_group(
        subparsers, common, "images", '"Add an image" suggestions, within the daily limit'
    )
    session = commands.add_parser(
        "session",
        parents=[common],
        help="answer image suggestions at the terminal or from an answers file",
        description='Answer "Add an image" suggestions: yes adds the image with a caption, '
        "no sends reasons, skip sends nothing. The daily limit is checked before each "
        "suggestion is shown and again before each answer is sent; the session stops at it. "
        "Without a terminal, --answers FILE is needed. Exit status 0 when the session ended "
        "normally, 1 when an answer or row failed, 2 for bad usage or an unreadable file, "
        "3 when the wiki cannot be reached.",
    )
    session.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="CSV with columns title, answer (yes/no/skip), reasons (';'-separated codes, for "
        "no), caption (for yes); rows are answered in the file's order",
    )
    session.add_argument(
        "--max", type=_positive, metavar="N", help="stop after N yes/no answers (skips are free)"
    )
    add_suggestion_options(session)
    session.set_defaults(handler=run_session_command)
    quota = commands.add_parser(
        "quota",
        parents=[common],
        help="today's count, limit, remaining and reset time in the user's zone",
        description="Show today's \"Add an image\" quota: this machine's count (the ledger), "
        "the wiki's, which one decides, the limit, what is left and when it resets.",
    )
    _task_type_option(quota, f"the task type (default {IMAGE})", many=False)
    quota.set_defaults(handler=run_quota_command)
    from bot.cli import images_review  # imports this module: registered once it is loaded

    images_review.register(commands, common)


def add_suggestion_options(parser: argparse.ArgumentParser) -> None:
    """Which suggestions a session offers: task types and topics (session and review alike)."""
    _task_type_option(parser, "task types to offer (repeat for both; default both)", many=True)
    parser.add_argument("--topics", nargs="+", metavar="TOPIC", help="topic ids, e.g. africa art")
    parser.add_argument(
        "--topics-match",
        choices=("and", "or"),
        default="or",
        help="a suggestion matches all topics (and) or any (or, the default)",
    )


def _task_type_option(parser: argparse.ArgumentParser, help_text: str, *, many: bool) -> None:
    parser.add_argument(
        "--task-type",
        dest="task_types" if many else "task_type",
        action="append" if many else "store",
        choices=IMAGE_TASK_TYPES,
        default=None if many else IMAGE,
        metavar="T",
        help=f"{help_text}: {' or '.join(IMAGE_TASK_TYPES)}",
    )


def run_quota_command(args: argparse.Namespace, settings: Settings) -> int:
    policy = policies.load(settings.policy)
    with connect_wiki(settings) as wiki, Ledger.open(settings.state_dir) as ledger:
        quota = read_quota(wiki, policy, ledger, args.task_type)
    if settings.json:
        print_json(quota.as_json())
    else:
        print(render_quota(quota))
    return EXIT_OK


def render_quota(quota: Quota) -> str:
    """The quota as a two-column table, then the gate's one-line verdict."""
    v = quota.verdict
    wiki = "reports no count" if v.wiki_reported is None else str(v.wiki_reported)
    if v.wiki_count is not None and v.wiki_reported is not None and v.wiki_count > v.wiki_reported:
        wiki += f" (+ {v.wiki_count - v.wiki_reported} sent since it was read)"
    decides = f"the {v.source}'s (the larger)"
    if v.wiki_count is None:
        decides = "the ledger alone"
    elif v.wiki_count == v.local_count:
        decides = "both (they agree)"
    table = format_table(
        ["", quota.user],
        [
            ("task type", v.task_type),
            ("done today", v.count),
            ("daily limit", "none" if v.limit is None else v.limit),
            ("remaining", "no limit" if v.remaining is None else v.remaining),
            ("this machine's ledger", v.local_count),
            ("the wiki's count", wiki),
            ("count that decides", decides),
            ("day started", v.day_start.isoformat()),
            ("zone", v.zone),
            ("resets at", f"{v.resets_at.isoformat()} ({v.reset_text})"),
        ],
    )
    return f"{table}\n\n{shown(v.message())}\nCount {v.source_text()}."


def _mode(args: argparse.Namespace, settings: Settings) -> None:
    """Refuse what cannot work before logging in (with --json the screen is stderr)."""
    if args.answers is not None and args.topics:
        raise InputError(
            "--topics chooses which suggestions to show; with --answers the file names the "
            "articles. Leave out one of them."
        )
    screen, name = (sys.stderr, "stderr") if settings.json else (sys.stdout, "stdout")
    if args.answers is None and not (sys.stdin.isatty() and screen.isatty()):
        raise NoTerminal(
            f"There is no terminal to ask on (stdin or {name} is not one), and no --answers "
            "FILE; run it in a terminal, or give an answers file."
        )


def run_session_command(args: argparse.Namespace, settings: Settings) -> int:
    _mode(args, settings)
    policy = policies.load(settings.policy)
    rows, problems = read_answers(args.answers) if args.answers is not None else (None, [])
    for problem in problems:
        print(f"gatebot: {shown(problem.text(str(args.answers)))}", file=sys.stderr)
    task_types = tuple(dict.fromkeys(args.task_types or IMAGE_TASK_TYPES))
    console = Console(stderr=settings.json, highlight=False)
    with connect_wiki(settings) as wiki, Ledger.open(settings.state_dir) as ledger:
        session = build_session(
            wiki, policy, ledger, task_types=task_types, topics=args.topics or (),
            topics_mode=args.topics_match.upper(), rows=rows,
        )  # fmt: skip
        decider: TerminalDecider | Scripted = Scripted()
        if rows is None:
            decider = TerminalDecider(
                console, check=session.check, caption_minimum=session.caption_minimum,
                article_url=session.article_url,
            )  # fmt: skip
        report = run_session(
            session.gate, session.source, decider, max_answers=args.max, check=session.check,
            exhausted=ANSWERS_EXHAUSTED if rows is not None else "no-more-suggestions",
        )  # fmt: skip
        if rows is not None and session.rows is not None:
            settle_rows(report, rows, problems, session.rows)
    if settings.json:
        print_json(report.as_json())
    else:
        print(render_report(report, scripted=rows is not None))
    if report.failure is not None:
        raise report.failure
    if report.keyboard_interrupt:
        return EXIT_INTERRUPTED
    return EXIT_ROWS_FAILED if report.failed else EXIT_OK


class Scripted(RowAnswers):
    """Answers from the file: each suggestion carries its row; a failed one is said at once."""

    def handled(self, result: Handled) -> None:
        if result.error:
            print(f"gatebot: row {result.row} ({shown(result.title)}): {shown(result.error)}",
                  file=sys.stderr)  # fmt: skip


def render_report(report: SessionReport, *, scripted: bool) -> str:
    """The end of a session: counts, why it stopped, the quota and where its count comes from."""
    lines = [
        f"Session over: {STOP_TEXT.get(report.stopped, report.stopped)} ({report.stopped}).",
        f"answered {report.answered} (accepted {report.accepted}, rejected {report.rejected}), "
        f"skipped {report.skipped}, failed or not answered {report.failed}",
    ]
    for verdict in report.verdicts:
        lines.append(shown(verdict.message()))
        lines.append(f"  count {verdict.source_text()}")
    if scripted:
        table = [(h.row, h.title, h.outcome, h.status, h.error or "") for h in report.handled] + [
            (p.number, p.title or "", "", "not answered", p.message) for p in report.problems
        ]
        table.sort(key=lambda cells: int(cells[0] or 0))
        lines += ["", format_table(["row", "title", "answer", "status", "note"], table)]
    return "\n".join(lines)
