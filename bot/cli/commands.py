"""The list of command modules; each one registers its subcommands with the parser."""

from __future__ import annotations

from bot.cli import whoami

MODULES: list = [whoami]
