"""The command modules by command name, in `gatebot --help` order; each one registers its
subcommands with the parser. Only the module of the command being run is imported, so a
command does not pay for the imports of all the others at start-up."""

from __future__ import annotations

import importlib
from types import ModuleType

COMMANDS: dict[str, str] = {
    "whoami": "bot.cli.whoami",
    "events": "bot.cli.events",
    "images": "bot.cli.images",
    "policy": "bot.cli.policy",
    "sandbox": "bot.cli.sandbox",
    "demo": "bot.cli.demo",
    "qa": "bot.cli.qa",
}


def command_modules(command: str | None = None) -> list[ModuleType]:
    """The module of `command`; every module when it names none of them (`--help`, a typo),
    so the parser can list them all or say what is wrong."""
    name = COMMANDS.get(command or "")
    names = [name] if name else list(COMMANDS.values())
    return [importlib.import_module(name) for name in names]
