"""`gatebot policy …`: validate policy files and show the policy in effect (local for now)."""

from __future__ import annotations

import argparse
from pathlib import Path

import policies
from bot.cli.base import EXIT_OK, Settings, command_group
from bot.cli.output import format_table, print_json
from policies.countries import country_name
from policies.event_types import label_for


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `policy check` and `policy show`."""
    commands = command_group(subparsers, common, "policy", "validate or show the local policy")
    check = commands.add_parser(
        "check",
        parents=[common],
        help="validate policy files; exit 0 when they load, 2 with the reason when not",
    )
    check.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="a policy folder or .toml file (default: --policy / GATEBOT_POLICY, else shipped)",
    )
    check.set_defaults(handler=run_check)
    show = commands.add_parser(
        "show",
        parents=[common],
        help="the effective local policy: contribution types, disallowed countries, daily "
        "limits, sources and review date (the wiki's own settings via --wiki come later)",
    )
    show.set_defaults(handler=run_show)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Load the files; a PolicyError (file and key named) leaves through main with status 2."""
    path = Path(args.path) if args.path else settings.policy
    policy = policies.load(path)
    if settings.json:
        print_json({"ok": True, "sources": list(policy.sources)})
    else:
        print(f"Policy OK: {', '.join(policy.sources)}")
    return EXIT_OK


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print the policy in effect, as JSON or as a short readable listing."""
    policy = policies.load(settings.policy)
    if settings.json:
        print_json(policy.as_dict())
        return EXIT_OK
    reviewed = policy.disallowed_reviewed
    lines = [
        "Contribution statistics",
        "  allowed for types: "
        + ", ".join(f"{label_for(t)} ({t})" for t in policy.contribution_types),
        f"  not allowed for in-person or hybrid events in {len(policy.disallowed_countries)} "
        "countries:",
    ]
    lines += [
        f"    {code}  {name or country_name(code)}"
        for code, name in sorted(policy.disallowed_countries.items())
    ]
    lines += [
        f"  source: {policy.disallowed_source or 'not given'}; "
        f"last reviewed: {reviewed.isoformat() if reviewed else 'not given'}",
        "",
        "Daily limits (Add an image and other suggested edits)",
        *(
            "  " + line
            for line in format_table(
                ["task type", "max per day"], sorted(policy.max_per_day.items())
            ).splitlines()
        ),
        f"  counted: {', '.join(sorted(policy.counted_outcomes))}",
        "",
        "Loaded from: " + ", ".join(policy.sources),
    ]
    print("\n".join(lines))
    return EXIT_OK
