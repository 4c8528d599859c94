"""The rich bar of `Progress` on a terminal, in a module of its own so that a run whose stderr
is a log or a pipe never imports rich (start-up time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TextColumn
from rich.progress import Progress as RichProgress
from rich.table import Column
from rich.text import Text

Figures = Callable[[float | None, float], str]


def rich_bar(terminal: TextIO, figures: Figures, clock: Callable[[], float]) -> RichProgress:
    """A bar filling the terminal's width beside the description and `figures(rate, elapsed)`;
    redrawn only when asked (no thread, no redraw when idle)."""
    return RichProgress(
        TextColumn("{task.description}", markup=False),
        BarColumn(bar_width=None, table_column=Column(ratio=1)),  # what the text leaves
        _Figures(figures),
        console=Console(file=terminal, force_terminal=True),
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
        get_time=clock,
        expand=True,
    )


class _Figures(ProgressColumn):
    """The bar's text: the same figures as the plain lines, from rich's windowed rate."""

    def __init__(self, figures: Figures):
        super().__init__()
        self.figures = figures

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.speed or (task.completed / elapsed if elapsed else None)
        return Text(self.figures(rate, elapsed), no_wrap=True)
