"""The list of command modules; each one registers its subcommands with the parser."""

from __future__ import annotations

from bot.cli import demo, events, images, policy, qa, sandbox, whoami

MODULES: list = [whoami, events, images, policy, sandbox, demo, qa]
