"""`gatebot whoami --wiki W`: log in and show who the bot is and what it may do there."""

from __future__ import annotations

import argparse

from bot.account import NEEDED_RIGHTS, WhoamiReport, ratelimit_lines, whoami
from bot.cli.base import EXIT_OK, Settings, connect_wiki
from bot.cli.output import format_table, print_json


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "whoami",
        parents=[common],
        help="log in and show user, rights, time zone, rate limits",
        description="Log in to the wiki and show the user, groups, the rights gatebot needs "
        "(present or missing), the time zone gatebot uses for the user's day, and "
        "the rate limits. Exit status 3 when the wiki cannot be reached or login fails; "
        "missing rights are reported, not an error (a volunteer needs no organizer rights).",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Connect, build the report, print it. Missing rights are shown, not an error: which
    ones matter depends on the job (events need organizer rights, images only `edit`).
    It always logs in afresh: a set-up check must test the password, not a saved session."""
    with connect_wiki(settings, fresh_login=True) as client:
        report = whoami(client)
    if settings.json:
        print_json(report.as_json())
    else:
        print(render(report))
    return EXIT_OK


def render(report: WhoamiReport) -> str:
    """The human report: identity lines, then a table of the rights gatebot needs."""
    central = f" (central id {report.central_id})" if report.central_id else ""
    limits = ratelimit_lines(report.ratelimits) or ["none advertised"]
    lines = [
        f"wiki        {report.wiki} ({report.backend})",
        f"user        {report.user}{central}",
        f"groups      {', '.join(report.groups) or '(none)'}",
        f"time zone   {report.zone} (timecorrection {report.timecorrection or 'not set'})",
        f"rate limits {'; '.join(limits)}",
        "",
        format_table(
            ["right", "present", "needed to"],
            [
                (right, "no" if right in report.rights_missing else "yes", why)
                for right, why in NEEDED_RIGHTS.items()
            ],
        ),
    ]
    if report.rights_missing:
        lines += [
            "",
            f"Missing: {', '.join(report.rights_missing)}; ask a wiki administrator "
            "for the group that grants them, or add the grants to the bot password.",
        ]
    return "\n".join(lines)
