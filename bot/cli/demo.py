"""`gatebot demo`: run a short tour of gatebot's main jobs on a sandbox wiki started in-process."""

from __future__ import annotations

import argparse
import io
from contextlib import closing
from typing import Any

import policies
from bot.account import WhoamiReport
from bot.cli.base import EXIT_OK, Settings
from bot.cli.images import render_quota
from bot.cli.output import print_json
from bot.cli.whoami import render as render_whoami
from bot.demo import EventsCheck, SandboxStarted, Step, tour
from bot.report import TableReport
from bot.suggestions import Quota
from policies.errors import GatebotError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo",
        parents=[common],
        help="run a short tour of gatebot on the built-in sandbox wiki (no account needed)",
        description="Start the sandbox wiki in this process (free 127.0.0.1 port, state in "
        "memory), show who the seeded organizer and volunteer are, check the example events "
        'file offline, and show the volunteer\'s "Add an image" quota; then stop the sandbox. '
        "Nothing is written to the wiki or to your state folder. Exit status 3 when a step "
        "cannot talk to the sandbox.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print each step as it completes (or one JSON object with a key per step at the end)."""
    policy = policies.load(settings.policy)
    done: dict[str, Any] = {}
    with closing(tour(settings.backend, policy)) as steps:
        try:
            for step in steps:
                if settings.json:
                    done[step.key] = _as_json(step.data)
                else:
                    print(render_step(step), end="\n\n", flush=True)
        except GatebotError as error:
            if settings.json:
                print_json({**done, "error": str(error)})
            raise
    if settings.json:
        print_json(done)
    else:
        print("Done; the sandbox is stopped. Try `gatebot sandbox` to keep one running.")
    return EXIT_OK


def _as_json(data: Any) -> Any:
    if isinstance(data, tuple):
        return [item.as_json() for item in data]
    return data.as_json()


def render_step(step: Step) -> str:
    """A heading, the one-line explanation, then the step's own report."""
    heading = f"== {step.title} =="
    return f"{heading}\n{step.explanation}\n\n{_render_data(step.data)}"


def _render_data(data: Any) -> str:
    if isinstance(data, SandboxStarted):
        return f"Action API  {data.api_url}\nREST        {data.rest_url}"
    if isinstance(data, EventsCheck):
        return _render_events(data)
    if isinstance(data, Quota):
        return f"gatebot images quota\n\n{render_quota(data)}"
    reports: tuple[WhoamiReport, ...] = data
    return "\n\n".join(render_whoami(report) for report in reports)


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
    return f"gatebot events check {check.path}\n\n{table.getvalue().rstrip()}"
