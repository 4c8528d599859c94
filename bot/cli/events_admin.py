"""`gatebot events stats on|off EVENT_ID…` and `gatebot events export`: work on registrations
that already exist on the wiki. Parsing and printing only; the work is in `bot.events`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.campaignevents import CampaignEventsClient

# `bot.cli.events` imports this module to register it; its helpers are used at call time.
from bot.cli import events as events_cli
from bot.cli.base import EXIT_OK, EXIT_ROWS_FAILED, Settings, connect_wiki
from bot.cli.events_reports import open_report
from bot.cli.output import print_json
from bot.cli.progress import Progress
from bot.display import shown
from bot.events.export import ExportLog, export_rows, organizer_central_id
from bot.events.stats import parse_event_ids, switch_statistics
from bot.events.writer import WRITERS
from bot.eventsfile import FORMATS
from policies.errors import InputError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `stats` and `export` to the `events` subcommands."""
    stats = commands.add_parser(
        "stats",
        parents=[common],
        help="switch contribution statistics on or off for existing events",
        description="Switch contribution statistics for existing event registrations: each "
        "event is read, the local policy decides (a meetup, or an in-person event in a "
        "disallowed country, cannot turn them on; an event with a goal cannot turn them off), "
        "then the one field is changed and every field written back. An event already in the "
        "wanted state is left alone. Exit status 0 when every event is done or unchanged, 1 "
        "when any was refused or failed, 2 for an event ID that is not a positive number, 3 "
        "when the wiki cannot be reached or login fails.",
    )
    stats.add_argument("setting", choices=("on", "off"), help="the wanted state")
    stats.add_argument("event_ids", nargs="+", metavar="EVENT_ID", help="event registration IDs")
    events_cli.add_format_option(stats)
    stats.set_defaults(handler=run_stats)
    export = commands.add_parser(
        "export",
        parents=[common],
        help="write an organizer's events as an events file that apply takes back",
        description="Write the events an organizer organizes on the wiki (default: the "
        "logged-in user) as an events file with their event IDs: `events plan` of the file "
        "finds every row unchanged. CSV on stdout (with --json: a JSON events file), or "
        "--output FILE as .csv, .json or .yaml. Deleted events are skipped; the wiki lists at "
        "most 50 events per organizer, and gatebot says so when it hits that limit.",
    )
    export.add_argument("--organizer", metavar="NAME", help="export this user's events instead")
    export.add_argument(
        "--output", metavar="FILE", type=Path, help="write to FILE (.csv, .json, .yaml)"
    )
    export.add_argument("--force", action="store_true", help="replace an existing --output file")
    export.set_defaults(handler=run_export)


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Switch each event in turn, one report line per event; the exit status counts refusals."""
    event_ids = parse_event_ids(args.event_ids)
    report_format = events_cli.report_format(args, settings)
    policy = events_cli.load_policy(settings)
    with connect_wiki(settings) as wiki:
        client = CampaignEventsClient(wiki)
        report = open_report(report_format, sys.stdout, sys.stderr, plan=True)
        progress = Progress.when_useful(
            sys.stderr, sys.stdout, noun="events", verb="switched", total=len(event_ids)
        )
        outcomes = (
            switch_statistics(client, policy, event_id, on=args.setting == "on").report(number)
            for number, event_id in enumerate(event_ids, 1)
        )
        return events_cli.stream_report(report, report.add, outcomes, progress)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Export to --output (written whole or not at all) or stdout; notes go to stderr."""
    kind = _output_kind(args.output, force=args.force) if args.output else "csv"
    log = ExportLog()
    with connect_wiki(settings, anonymous_ok=bool(args.organizer)) as wiki:
        client = CampaignEventsClient(wiki)
        if args.organizer:
            organizer, central_id = args.organizer, organizer_central_id(wiki, args.organizer)
        else:
            organizer, central_id = wiki.userinfo().name, client.own_central_id()
        rows = export_rows(client, central_id, log, wiki_id=wiki.siteinfo().wiki_id or None)
        if args.output is None:
            WRITERS["json" if settings.json else "csv"](rows, sys.stdout)
        else:
            with _replacing(args.output) as stream:
                WRITERS[kind](rows, stream)
    _print_log(log, organizer, args.output, as_json=settings.json and args.output is not None)
    return EXIT_ROWS_FAILED if log.failed else EXIT_OK


def _output_kind(path: Path, *, force: bool) -> str:
    """The file's format from its extension; an existing file only with --force."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"--output {path}: unknown file type {path.suffix or '(none)'!r}; name the file "
            ".csv, .json or .yaml."
        )
    if path.exists() and not force:
        raise InputError(
            f"--output {path} already exists; pass --force to replace it, or choose another name."
        )
    if path.exists() and not path.is_file():
        raise InputError(f"--output {path} is not a regular file; choose a file name.")
    return kind


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """A new file beside `path` that takes its place only once written whole."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise InputError(
            f"--output {path}: cannot write in {path.parent} ({error.strerror}); choose a "
            "folder you can write in."
        ) from error
    try:
        with open(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _print_log(log: ExportLog, organizer: str, output: Path | None, *, as_json: bool) -> None:
    """What was exported and left out: stderr for people, or the JSON summary on stdout."""
    if as_json:
        print_json({"organizer": organizer, "output": str(output), **log.as_dict()})
        return
    lines = []
    if log.deleted:
        ids = ", ".join(map(str, log.deleted))
        lines.append(f"note: skipped {len(log.deleted)} deleted event(s): {ids}.")
    lines += [f"warning: {text}" for text in log.warnings]
    lines += [f"not exported: {text}" for text in log.failed]
    where = f" to {output}" if output else ""
    lines.append(f"Exported {log.exported} event(s) of {organizer}{where}.")
    for line in lines:
        print(shown(line), file=sys.stderr)
