"""`gatebot sandbox`: serve the built-in sandbox wiki on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sqlite3
import threading
from pathlib import Path
from typing import Any, cast

from bot.cli.base import EXIT_OK, Settings
from bot.cli.output import format_table, print_json
from bot.sandbox.config import SandboxConfig, load_config
from bot.sandbox.server import SandboxServer, serve
from bot.wiki.targets import DEFAULT_SANDBOX_PORT
from policies.errors import GatebotError


class SandboxStartError(GatebotError):
    """The sandbox cannot start (port taken, data folder unusable); says which and what to do."""


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _milliseconds(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a delay (a whole number of ms, 0 or more)"
        )
    return int(text)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        parents=[common],
        help="serve the built-in sandbox wiki on 127.0.0.1",
        description="Serve a local wiki that answers like MediaWiki with CampaignEvents and "
        "GrowthExperiments (/w/api.php, /w/rest.php), for rehearsing with --wiki sandbox. "
        "Runs until Ctrl-C.",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=None,
        metavar="P",
        help="port on 127.0.0.1 (default: GATEBOT_SANDBOX_PORT or "
        f"{DEFAULT_SANDBOX_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the wiki's state in DIR between runs (default: in memory)",
    )
    parser.add_argument(
        "--latency",
        type=_milliseconds,
        default=None,
        metavar="MS",
        help="delay every answer by MS milliseconds",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="TOML file overlaid on the built-in configuration",
    )
    parser.set_defaults(handler=run)


def _start(config: SandboxConfig, port: int, data: Path | None) -> SandboxServer:
    if data is not None:
        try:
            data.mkdir(parents=True, exist_ok=True)
            (data / ".write-test").touch()
            (data / ".write-test").unlink()
        except OSError as error:
            raise SandboxStartError(
                f"--data {data}: cannot write there ({error.strerror}); choose a folder you "
                "own, or leave --data out to keep the wiki in memory."
            ) from None
    try:
        return serve(config, port=port, data_dir=data)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise SandboxStartError(
                f"Port {port} on 127.0.0.1 is already in use (another sandbox?); stop that "
                "server or choose another port with --port, and point --wiki sandbox at it "
                "with GATEBOT_SANDBOX_PORT."
            ) from None
        raise SandboxStartError(
            f"Cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another port with --port."
        ) from None
    except sqlite3.DatabaseError as error:
        raise SandboxStartError(
            f"--data {data}: the sandbox database there is unreadable ({error}); move it "
            "away or choose another folder."
        ) from None


def describe(server: SandboxServer) -> dict[str, object]:
    """What a user needs to talk to the sandbox: URLs and the seeded accounts."""
    accounts = []
    for account in server.wiki.config.accounts:
        accounts.append({
            "login": account.login_name, "password": account.password,
            "groups": list(account.groups), "timecorrection": account.timecorrection,
            "rate_limits": {k: f"{h}/{s}s" for k, (h, s) in account.rate_limits.items()},
        })  # fmt: skip
    return {
        "api_url": server.api_url,
        "rest_url": server.rest_url,
        "port": server.port,
        "wiki_id": server.wiki.config.wiki_id,
        "timezone": server.wiki.config.timezone,
        "accounts": accounts,
    }


def _render(info: dict[str, object], port_hint: bool) -> str:
    accounts = cast(list[dict[str, Any]], info["accounts"])
    rows = [
        (
            a["login"],
            a["password"],
            ", ".join(a["groups"]) or "(newcomer)",
            a["timecorrection"],
            ", ".join(f"{k} {v}" for k, v in a["rate_limits"].items()) or "-",
        )
        for a in accounts
    ]
    lines = [
        f"Sandbox wiki {info['wiki_id']} (zone {info['timezone']}) on 127.0.0.1",
        f"  Action API  {info['api_url']}",
        f"  REST        {info['rest_url']}",
        "",
        format_table(["login", "password", "groups", "timecorrection", "rate limits"], rows),
        "",
    ]
    if port_hint:
        lines.append(f"For --wiki sandbox, set GATEBOT_SANDBOX_PORT={info['port']}.")
    lines.append("Loopback only: these passwords are public. Press Ctrl-C to stop.")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Start, print the URLs and accounts, serve until Ctrl-C or SIGTERM, stop cleanly."""
    config = load_config(args.config)
    if args.latency is not None:
        config = config.with_latency(args.latency)
    default_port = int(os.environ.get("GATEBOT_SANDBOX_PORT") or DEFAULT_SANDBOX_PORT)
    port = default_port if args.port is None else args.port
    server = _start(config, port, args.data)
    info = describe(server)
    if settings.json:
        print_json(info)
    else:
        print(_render(info, port_hint=server.port != default_port), flush=True)
    stopped = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return EXIT_OK
