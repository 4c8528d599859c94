"""A progress line on the terminal while a long batch writes its report somewhere else."""

from __future__ import annotations

from typing import TextIO


class Progress:
    """Counts rows on `terminal` (`checked 120,000 rows`), redrawn every `every` rows.

    Only shown when the person is watching a terminal that is not already receiving the report:
    when the report itself goes to the screen, its rows are the progress.
    """

    def __init__(self, terminal: TextIO, *, noun: str = "rows", every: int = 1000):
        self.terminal, self.noun, self.every = terminal, noun, every
        self.count = 0

    @classmethod
    def when_useful(cls, terminal: TextIO, report: TextIO, **options: object) -> Progress | None:
        """A Progress on `terminal` if it is a terminal and the report goes elsewhere."""
        if _is_terminal(terminal) and not _is_terminal(report):
            return cls(terminal, **options)
        return None

    def tick(self) -> None:
        self.count += 1
        if self.count % self.every == 0:
            self.terminal.write(f"\rchecked {self.count:,} {self.noun}")
            self.terminal.flush()

    def finish(self) -> None:
        """Clear the line, so that later messages start clean."""
        if self.count >= self.every:
            self.terminal.write("\r\033[K")
            self.terminal.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
