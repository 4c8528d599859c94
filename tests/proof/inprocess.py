"""Run `bot.cli.main` in this process as a person runs the command: its exit status, stdout,
stderr, and the traceback an uncaught exception would have printed."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import traceback
from dataclasses import dataclass

from bot.cli import main


@dataclass(frozen=True)
class Ran:
    status: int | None
    out: str
    err: str
    crash: str = ""

    def one_line_error(self) -> bool:
        """A single `gatebot: …` line (argparse's usage lines allowed before its error)."""
        lines = self.err.strip().splitlines()
        if self.status == 2 and lines and lines[-1].startswith("gatebot") and "error:" in lines[-1]:
            return True
        return len(lines) == 1 and lines[0].startswith("gatebot: ")


def run(argv: list[str]) -> Ran:
    """One command; stdin is empty and not a terminal, logging goes to this run's stderr."""
    out, err = io.StringIO(), io.StringIO()
    logging.root.handlers.clear()
    stdin, sys.stdin = sys.stdin, io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status: int | None = main(argv)
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else 2
    except Exception:  # the point: any escape is a traceback a user would see
        return Ran(None, out.getvalue(), err.getvalue(), traceback.format_exc())
    finally:
        sys.stdin = stdin
        logging.root.handlers.clear()
    return Ran(status, out.getvalue(), err.getvalue())
