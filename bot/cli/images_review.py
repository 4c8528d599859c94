"""`gatebot images review`: the same gated session as `images session`, answered on a local
page in the browser (bot/review). Parses, prints the page's link and the report; no more."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import webbrowser

import policies
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, connect_wiki
from bot.cli.images import EXIT_INTERRUPTED, add_suggestion_options, render_report
from bot.cli.output import print_json
from bot.cli.sandbox import _port
from bot.growth import IMAGE_TASK_TYPES
from bot.ledger import Ledger
from bot.review import Review
from bot.suggestions import build_session
from policies.errors import GatebotError


class ReviewStartError(GatebotError):
    """The page cannot be served (the port is taken); says what to do instead."""


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `images review` to the `images` command group."""
    review = commands.add_parser(
        "review",
        parents=[common],
        help="answer image suggestions on a local page in the browser",
        description="Serve a review page on 127.0.0.1 that shows each suggestion with its "
        "article and the image, answered by keyboard or mouse: the same session, ledger and "
        "daily gate as 'images session'. The first line printed is the page's link, which "
        "holds its secret token. Stops on Ctrl-C or when the session ends, then prints the "
        "session's report (exit status as for 'images session').",
    )
    review.add_argument(
        "--port", type=_port, default=0, metavar="P", help="port on 127.0.0.1 (default: a free one)"
    )
    review.add_argument(
        "--no-browser", action="store_true", help="print the link only; do not open a browser"
    )
    add_suggestion_options(review)
    review.set_defaults(handler=run_review_command)


def _serve(session, wiki_url: str, port: int) -> Review:
    try:
        return Review(session, wiki_url=wiki_url, port=port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ReviewStartError(
                f"Port {port} on 127.0.0.1 is already in use; choose another with --port, or "
                "leave --port out to take a free one."
            ) from None
        raise ReviewStartError(
            f"Cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another --port."
        ) from None


def run_review_command(args: argparse.Namespace, settings: Settings) -> int:
    policy = policies.load(settings.policy)
    task_types = tuple(dict.fromkeys(args.task_types or IMAGE_TASK_TYPES))
    with connect_wiki(settings) as wiki, Ledger.open(settings.state_dir) as ledger:
        session = build_session(
            wiki, policy, ledger, task_types=task_types, topics=args.topics or (),
            topics_mode=args.topics_match.upper(),
        )  # fmt: skip
        review = _serve(session, wiki.target.api_url, args.port)

        def ready(url: str) -> None:
            # With --json, stdout holds the report alone; the link goes to stderr.
            print(f"Review page: {url}", file=sys.stderr if settings.json else sys.stdout,
                  flush=True)  # fmt: skip
            print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
            if not args.no_browser and not webbrowser.open(url):
                print("gatebot: no browser could be started; open the link above in one.",
                      file=sys.stderr)  # fmt: skip

        previous = signal.signal(signal.SIGTERM, lambda *_: review.stop())
        try:
            report = review.run(ready)
        finally:
            signal.signal(signal.SIGTERM, previous)
    if settings.json:
        print_json(report.as_json())
    else:
        print(render_report(report, scripted=False))
    if report.failure is not None:
        raise report.failure
    if report.keyboard_interrupt:
        return EXIT_INTERRUPTED
    return EXIT_ROWS_FAILED if report.failed else EXIT_OK
