"""The list of command modules; each one registers its subcommands with the parser."""

from __future__ import annotations

from bot.cli import demo, events, policy, qa, sandbox, whoami

MODULES: list = [whoami, events, policy, sandbox, demo, qa]
