"""The `gatebot` command: parse the command line, run one command, print its report.

Global options work before or after the subcommand; each of the first five has an
environment variable, and the command line wins (DESIGN §3). Commands live in sibling
modules that each expose `register(subparsers, common)`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bot import __version__
from bot.cli.base import (
    BACKENDS,
    ENVIRONMENT,
    EXIT_OK,
    Settings,
    checked_state_dir,
    default_state_dir,
)
from bot.cli.commands import command_modules
from bot.display import shown
from policies.errors import GatebotError

# Their debug lines quote the OAuth token, the signature and the Authorization header.
QUIET_LOGGERS = ("oauthlib", "requests_oauthlib")


class _ArgumentsError(argparse.ArgumentParser):
    """A parser that raises its complaint instead of printing it and exiting."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _common_options(
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    # SUPPRESS keeps an option given before the subcommand from being overwritten by the
    # subparser's default when the same option is not repeated after it.
    common = parser_class(add_help=False)
    group = common.add_argument_group("global options")
    group.add_argument(
        "--wiki",
        default=argparse.SUPPRESS,
        metavar="TARGET",
        help="api.php URL, base URL, pywikibot site name, or 'sandbox' (env GATEBOT_WIKI)",
    )
    group.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        metavar="NAME@BOTNAME",
        help="bot password login name (env GATEBOT_USER); the secret comes from "
        "GATEBOT_PASSWORD or pywikibot's password file",
    )
    group.add_argument(
        "--backend",
        default=argparse.SUPPRESS,
        choices=BACKENDS,
        help="wiki client library (env GATEBOT_BACKEND; default mwclient)",
    )
    group.add_argument(
        "--policy",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="policy folder or file (env GATEBOT_POLICY; default: shipped policy)",
    )
    group.add_argument(
        "--state-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="cookies, ledger and journal (env GATEBOT_STATE_DIR)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print a machine-readable report on stdout",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="more log output on stderr (repeat for debug)",
    )
    return common


def command_named(argv: Sequence[str] | None) -> str | None:
    """The command word of `argv` (or of sys.argv), read past the global options; None when
    there is none or the global options themselves are wrong."""
    try:
        _, rest = _common_options(_ArgumentsError).parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return next((word for word in rest if not word.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command tree: only `command`'s module when it names one (start-up time), else
    every command module; each module adds its own subcommands."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="gatebot",
        parents=[common],
        description="Bot and API client for CampaignEvents and GrowthExperiments, "
        "with a local policy layer that runs before anything is submitted.",
    )
    parser.add_argument("--version", action="version", version=f"gatebot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in command_modules(command):
        module.register(subparsers, common)
    return parser


def settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """Merge the parsed options with the environment; the command line wins."""

    def pick(dest: str) -> str | None:
        value = getattr(args, dest, None)
        return value if value is not None else (environ.get(ENVIRONMENT[dest]) or None)

    backend = pick("backend") or "mwclient"
    if backend not in BACKENDS:
        raise GatebotError(
            f"GATEBOT_BACKEND={backend!r} is not a backend; use one of: {', '.join(BACKENDS)}."
        )
    policy = pick("policy")
    state_dir = pick("state_dir")
    state_dir_origin = (
        "--state-dir"
        if getattr(args, "state_dir", None)
        else "GATEBOT_STATE_DIR"
        if state_dir
        else "the state folder"
    )
    return Settings(
        wiki=pick("wiki"),
        user=pick("user"),
        backend=backend,
        policy=Path(policy) if policy else None,
        state_dir=checked_state_dir(
            Path(state_dir) if state_dir else default_state_dir(), state_dir_origin
        ),
        json=bool(getattr(args, "json", False)),
        verbose=int(getattr(args, "verbose", 0) or 0),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser(command_named(argv))
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args, dict(os.environ))
        logging.basicConfig(
            level=logging.WARNING - 10 * min(settings.verbose, 2),
            format="%(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        return int(args.handler(args, settings))
    except GatebotError as error:
        print(f"gatebot: {shown(str(error))}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("gatebot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`gatebot … | head`): stop quietly, like other command-line
        # tools, and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
