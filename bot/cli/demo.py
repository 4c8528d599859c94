"""`gatebot demo`: tour the whole product on sandbox wikis started in-process, printing each
step's command line and the report that command prints."""

from __future__ import annotations

import argparse
import io
import json
import time
from contextlib import closing
from typing import Any

import policies
from bot.account import WhoamiReport
from bot.cli.base import EXIT_OK, Settings
from bot.cli.events_reports import open_report
from bot.cli.images import render_quota, render_report
from bot.cli.output import print_json
from bot.cli.qa import render_table
from bot.cli.whoami import render as render_whoami
from bot.demo import EventRows, EventsCheck, ImageSession, QaRun, SandboxStarted, Step, tour
from bot.report import TableReport
from bot.suggestions import Quota
from policies.errors import GatebotError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo",
        parents=[common],
        help="tour gatebot on the built-in sandbox wiki (no account needed)",
        description="Start the sandbox wiki in this process (free 127.0.0.1 port, state in "
        "memory) and run each job with its real command: whoami, the offline check of an "
        "events file, applying a campaign and applying it again, statistics refused for a "
        'meetup, a scripted "Add an image" session stopped at the daily limit, the quota, and '
        "the contribution statistics checklist, clean and then on a second sandbox that "
        "disagrees with the policy. Nothing is written to your state folder; the sandboxes "
        "stop at the end. Exit status 3 when a step cannot talk to the sandbox.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print each step as it completes (or one JSON object with a key per step at the end)."""
    policy = policies.load(settings.policy)
    started = time.monotonic()
    done: dict[str, Any] = {}
    with closing(tour(settings.backend, policy)) as steps:
        try:
            for step in steps:
                if settings.json:
                    done[step.key] = as_json(step.data)
                else:
                    print(render_step(step), end="\n\n", flush=True)
        except GatebotError as error:
            if settings.json:
                print_json({**done, "error": str(error)})
            raise
    if settings.json:
        print_json(done)
    else:
        print(
            f"Done in {time.monotonic() - started:.1f} s; the sandboxes are stopped. Try "
            "`gatebot sandbox` to keep one running and type the commands above yourself."
        )
    return EXIT_OK


def as_json(data: Any) -> Any:
    """A step's data as its command's `--json` shows it."""
    if isinstance(data, tuple):
        return [item.as_json() for item in data]
    if isinstance(data, EventRows):
        return json.loads(_event_rows(data, "json"))
    if isinstance(data, ImageSession):
        return {"answers": str(data.answers), **data.report.as_json()}
    if isinstance(data, QaRun):
        return {"announced": list(data.announced), **data.checklist.as_json()}
    return data.as_json()


def render_step(step: Step) -> str:
    """A heading, the one-line explanation, the command line, then the command's report."""
    heading = f"== {step.title} =="
    command = f"$ {step.command}\n\n" if step.command else ""
    return f"{heading}\n{step.explanation}\n\n{command}{_render_data(step.data)}"


def _render_data(data: Any) -> str:
    if isinstance(data, SandboxStarted):
        return f"Action API  {data.api_url}\nREST        {data.rest_url}"
    if isinstance(data, EventsCheck):
        return _render_events(data)
    if isinstance(data, EventRows):
        return _event_rows(data, "table").rstrip()
    if isinstance(data, ImageSession):
        return render_report(data.report, scripted=True)
    if isinstance(data, Quota):
        return render_quota(data)
    if isinstance(data, QaRun):
        said = "".join(f"gatebot: {line}\n" for line in data.announced)
        return said + render_table(data.checklist)
    reports: tuple[WhoamiReport, ...] = data
    return "\n\n".join(render_whoami(report) for report in reports)


def _event_rows(data: EventRows, kind: str) -> str:
    """The rows through `events apply`'s own report writer (`table` or `json`)."""
    out = io.StringIO()
    report = open_report(kind, out, out, plan=True)
    for row in data.rows:
        report.add(row)
    report.close()
    return out.getvalue()


def _render_events(check: EventsCheck) -> str:
    if not check.found:
        return (
            f"Skipped: the example file {check.path} is not there (gatebot was installed "
            "without its examples/ folder); run `gatebot events check FILE` on your own file."
        )
    table = io.StringIO()
    report = TableReport(table)
    for row in check.rows:
        report.add(row)
    report.close()
    return table.getvalue().rstrip()
