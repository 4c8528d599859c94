"""Progress on stderr: a bar with rate and ETA on a terminal, plain lines in a log, never stdout."""

from __future__ import annotations

import io
import re
import sys

import pytest

from bot.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def plain(text: str) -> str:
    """What the screen shows: the text without rich's colour and cursor sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def run(progress: Progress, clock: Clock, rows: int, seconds_per_row: float) -> None:
    for _ in range(rows):
        clock.now += seconds_per_row
        progress.tick()


@pytest.fixture
def no_stdout(monkeypatch):
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    yield
    assert stdout.getvalue() == ""


def test_a_terminal_gets_a_bar_with_rate_and_eta(no_stdout):
    terminal, clock = Terminal(), Clock()
    progress = Progress(terminal, total=1024, clock=clock)
    run(progress, clock, 512, 1 / 128)  # 128 rows/s, half done
    shown = plain(terminal.getvalue())
    assert "checked" in shown and "━" in shown
    assert re.search(r"5\d\d/1,024 rows, 128 rows/s, ETA 0:00:04", shown)
    run(progress, clock, 512, 1 / 128)
    progress.finish()
    assert plain(terminal.getvalue()).rstrip().endswith("1,024/1,024 rows in 0:00:08, 128 rows/s")


def test_a_streamed_file_of_unknown_length_shows_count_rate_and_elapsed(no_stdout):
    terminal, clock = Terminal(), Clock()
    progress = Progress(terminal, noun="events", verb="applied", clock=clock)
    run(progress, clock, 30, 0.5)
    progress.finish()
    shown = plain(terminal.getvalue())
    assert "applied" in shown and "ETA" not in shown
    assert "20 events, 2.0 events/s, 0:00:10 elapsed" in shown
    assert shown.rstrip().endswith("30 events in 0:00:15, 2.0 events/s")


def test_a_log_gets_a_plain_line_every_ten_seconds_and_one_at_the_end(no_stdout):
    log, clock = io.StringIO(), Clock()
    progress = Progress(log, total=4000, clock=clock)
    run(progress, clock, 3200, 1 / 128)  # 25 s at 128 rows/s
    progress.finish()
    assert log.getvalue().splitlines() == [
        "checked 1,280/4,000 rows, 128 rows/s, ETA 0:00:21",
        "checked 2,560/4,000 rows, 128 rows/s, ETA 0:00:11",
        "checked 3,200/4,000 rows in 0:00:25, 128 rows/s",
    ]
    assert "\x1b" not in log.getvalue() and "\r" not in log.getvalue()


def test_a_short_run_leaves_a_log_untouched(no_stdout):
    log, clock = io.StringIO(), Clock()
    progress = Progress(log, clock=clock)
    run(progress, clock, 100, 1 / 128)
    progress.finish()
    assert log.getvalue() == ""


def test_progress_goes_to_the_terminal_while_the_report_goes_to_a_file():
    progress = Progress.when_useful(Terminal(), io.StringIO())
    assert progress is not None and progress._bar is not None
    progress.finish()


def test_no_progress_when_the_report_itself_is_on_the_terminal():
    assert Progress.when_useful(Terminal(), Terminal()) is None


def test_plain_lines_when_nobody_watches_a_terminal_but_never_into_the_report(tmp_path):
    assert Progress.when_useful(io.StringIO(), io.StringIO()) is not None
    with open(tmp_path / "out", "w") as report, open(tmp_path / "out", "a") as same:
        assert Progress.when_useful(same, report) is None  # `> out 2>&1`
        with open(tmp_path / "err", "w") as log:
            assert Progress.when_useful(log, report) is not None


def test_the_bar_of_an_unknown_total_ends_full():
    terminal, clock = Terminal(), Clock()
    progress = Progress(terminal, clock=clock)
    run(progress, clock, 10, 0.5)
    progress.finish()
    last = terminal.getvalue().rsplit("\r", 1)[-1]
    assert len(set(re.findall(r"\x1b\[(\d+)m━", last))) == 1  # one colour: full, not pulsing
