"""Progress of a long batch on stderr: a rich bar with rate and ETA on a terminal, plain lines
in a log, and nothing at all when the report itself is on the screen (its rows are the progress).

Never writes to stdout, which holds the report.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

BAR_INTERVAL = 0.1  # seconds between redraws of the bar
LINE_INTERVAL = 10.0  # seconds between plain lines; a shorter run writes none


class Progress:
    """Counts rows (`tick()`) and shows `checked 1,200/5,000 rows, 340 rows/s, ETA 0:00:11`.

    On a terminal `terminal` gets a bar redrawn every BAR_INTERVAL; elsewhere a line every
    `interval` seconds (LINE_INTERVAL) and one at the end, so short runs stay silent in logs.
    `total` may be unknown (a streamed file): then the count, rate and elapsed time are shown.
    """

    def __init__(
        self,
        terminal: TextIO,
        *,
        noun: str = "rows",
        verb: str = "checked",
        total: int | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.terminal, self.noun, self.verb, self.total = terminal, noun, verb, total
        self.count, self._clock, self._done, self._lines = 0, clock, False, 0
        self._started = self._shown = clock()
        self._bar: RichProgress | None = None
        if _is_terminal(terminal):
            from bot.cli.progress_bar import rich_bar  # rich only where a bar is drawn

            self._interval = BAR_INTERVAL if interval is None else interval
            self._bar = rich_bar(terminal, self.figures, clock)  # redrawn from tick()
            self._task = self._bar.add_task(verb, total=total)
            self._bar.start()
        else:
            self._interval = LINE_INTERVAL if interval is None else interval

    @classmethod
    def when_useful(cls, terminal: TextIO, report: TextIO, **options: Any) -> Progress | None:
        """A Progress on `terminal` unless the report is shown there too (or is the same file)."""
        if (_is_terminal(terminal) and _is_terminal(report)) or _same_file(terminal, report):
            return None
        return cls(terminal, **options)

    def tick(self, n: int = 1) -> None:
        """Count `n` more rows; redraw when the interval has passed (cheap enough per row)."""
        self.count += n
        now = self._clock()
        if now - self._shown >= self._interval:
            self._shown = now
            self._show()

    def finish(self) -> None:
        """Show the final count and rate; the bar's line stays, so later messages start clean."""
        self._done = True
        if self._bar is not None:
            self._bar.update(self._task, total=self.count if self.total is None else self.total)
            self._show()
            self._bar.stop()
        elif self._lines:
            self._show()

    def _show(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self.count)
            self._bar.refresh()
            return
        elapsed = self._clock() - self._started
        rate = self.count / elapsed if elapsed > 0 else None
        self.terminal.write(f"{self.verb} {self.figures(rate, elapsed)}\n")
        self.terminal.flush()
        self._lines += 1

    def figures(self, rate: float | None, elapsed: float) -> str:
        """`1,200/5,000 rows, 340 rows/s, ETA 0:00:11`; at the end `5,000 rows in 0:00:15 …`."""
        count = f"{self.count:,}" if self.total is None else f"{self.count:,}/{self.total:,}"
        speed = f"{_number(rate)} {self.noun}/s" if rate else f"- {self.noun}/s"
        if self._done:
            return f"{count} {self.noun} in {_clock_time(elapsed)}, {speed}"
        if self.total is None or not rate:
            return f"{count} {self.noun}, {speed}, {_clock_time(elapsed)} elapsed"
        return f"{count} {self.noun}, {speed}, ETA {_clock_time((self.total - self.count) / rate)}"


def _number(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


def _clock_time(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def _same_file(first: TextIO, second: TextIO) -> bool:
    """Both streams write to one file (`> out 2>&1`): progress lines would land in the report."""
    try:
        a, b = os.fstat(first.fileno()), os.fstat(second.fileno())
    except (AttributeError, OSError, ValueError):  # in-memory streams have no file
        return first is second
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
