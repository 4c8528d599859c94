"""The progress line a person sees while `events check` writes its report to a file."""

from __future__ import annotations

import io

from bot.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_rows_on_the_terminal_while_the_report_goes_to_a_file():
    terminal = Terminal()
    progress = Progress.when_useful(terminal, io.StringIO(), every=1000)
    assert progress is not None
    for _ in range(2500):
        progress.tick()
    progress.finish()
    shown = terminal.getvalue()
    assert "\rchecked 1,000 rows" in shown and "\rchecked 2,000 rows" in shown
    assert shown.endswith("\r\033[K")


def test_no_progress_when_the_report_itself_is_on_the_terminal():
    assert Progress.when_useful(Terminal(), Terminal()) is None


def test_no_progress_when_nobody_watches_a_terminal():
    assert Progress.when_useful(io.StringIO(), io.StringIO()) is None
