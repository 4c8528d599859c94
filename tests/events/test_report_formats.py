"""`--format` of the events commands: check as CSV or wikitable, and one report at a time."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.cli import main

ROWS = (
    "event_page,timezone,start,end,types,wikis,participation,country\n"
    "Event:Fine,UTC,2099-06-01T10:00,2099-06-01T18:00,Editing event,enwiki,online,\n"
    "Event:Minsk,Europe/Minsk,2099-06-01T10:00,2099-06-01T18:00,Meetup,bewiki,in-person,BY\n"
)


def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_check_as_csv_puts_rows_on_stdout_and_the_counts_on_stderr(tmp_path, capsys):
    assert main(["events", "check", str(events(tmp_path)), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    lines = list(csv.reader(captured.out.splitlines()))
    assert lines[0] == ["row", "event_page", "ok", "contribution_statistics", "errors",
                        "error_codes", "notes"]  # fmt: skip
    assert [line[:4] for line in lines[1:]] == [["2", "Event:Fine", "yes", "on"],
                                                ["3", "Event:Minsk", "yes", "off"]]  # fmt: skip
    assert captured.err.startswith("2 rows: 2 ok, 0 with errors;")


def test_check_as_wikitable_is_a_sortable_table_with_the_counts_under_it(tmp_path, capsys):
    assert main(["events", "check", str(events(tmp_path)), "--format", "wikitable"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('{| class="wikitable sortable"\n! Row !! Event page !! OK')
    assert "| [[:Event:Fine]]\n" in out
    assert out.rstrip().endswith("statistics on for 1, off for 1.")


def test_json_and_another_format_at_once_is_bad_usage(tmp_path, capsys):
    status = main(["events", "check", str(events(tmp_path)), "--json", "--format", "csv"])
    assert status == 2
    assert "--json and --format csv ask for two reports" in capsys.readouterr().err
