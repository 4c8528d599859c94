"""Reports: the quick JSON path writes exactly what the general encoder would."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from bot.display import shown
from bot.report import _ENCODER, JsonReport, TableReport, encode_row, row_dict
from policies.problems import Problem

rows = st.builds(
    row_dict,
    number=st.integers(min_value=1, max_value=10**7),
    event_page=st.none() | st.text(),
    errors=st.lists(st.builds(Problem, st.text(), st.text(), st.none() | st.text()), max_size=2),
    notes=st.lists(st.text(), max_size=2),
    contribution_statistics=st.none() | st.booleans(),
)


@given(rows)
def test_quick_json_is_the_general_encoders_json(row):
    assert encode_row(row) == _ENCODER.encode(row)
    assert json.loads(encode_row(row)) == row


def test_json_report_is_one_document_even_when_empty_or_stopped():
    stream = io.StringIO()
    JsonReport(stream).close()
    assert json.loads(stream.getvalue()) == {
        "rows": [],
        "summary": {"rows": 0, "ok": 0, "with_errors": 0, "contribution_statistics_on": 0,
                    "contribution_statistics_off": 0, "rows_with_notes": 0},
    }  # fmt: skip
    stream = io.StringIO()
    report = JsonReport(stream)
    report.add(row_dict(2, "Event:A", [], ["a note"], True))
    report.close(error="events.csv: line 9: bad")
    document = json.loads(stream.getvalue())
    assert document["summary"]["error"] == "events.csv: line 9: bad"
    assert document["summary"]["rows_with_notes"] == 1


def test_table_shows_every_problem_and_note_on_its_own_line():
    stream = io.StringIO()
    report = TableReport(stream)
    problems = [Problem("code-a", "first.", "start"), Problem("code-b", "second.", "end")]
    report.add(row_dict(7, "Event:" + "Long title " * 10, problems, ["a note"], None))
    report.close()
    lines = stream.getvalue().splitlines()
    assert lines[2].split()[:2] == ["7", "Event:Long"] and "…" in lines[2]
    assert lines[2].endswith("start: first. [code-a]")
    assert lines[3].strip() == "end: second. [code-b]"
    assert lines[4].strip() == "note: a note"
    assert lines[-1] == "1 row: 0 ok, 1 with errors; contribution statistics on for 0, off for 0."


HOSTILE = "Event:A\x1b[2J\nB\r\u202eC\u2066\x9b\tD"


def test_the_table_escapes_what_could_rewrite_the_terminal():
    out = io.StringIO()
    report = TableReport(out)
    report.add(row_dict(2, HOSTILE, [Problem("k", f"bad {HOSTILE}", "types")],
                        [f"note {HOSTILE}"], None))  # fmt: skip
    report.close(error=f"stopped at {HOSTILE}")
    text = out.getvalue()
    for unsafe in ("\x1b", "\r", "\u202e", "\u2066", "\x9b", "\t"):
        assert unsafe not in text
    body = text.splitlines()
    assert len(body) == 2 + 2 + 3  # header, rule; the row and its note; blank, counts, stop
    assert "\\x1b[2J\\nB\\r\\u202eC\\u2066\\x9b\\tD" in text


def test_json_keeps_the_text_exact():
    out = io.StringIO()
    report = JsonReport(out)
    report.add(row_dict(2, HOSTILE, [], [], True))
    report.close()
    assert json.loads(out.getvalue())["rows"][0]["event_page"] == HOSTILE


def test_ordinary_text_is_shown_unchanged():
    for text in ("Event:WikiGap 2027/Lisbon", "Beyoğlu, İstanbul", "مرحبا\u200cبك", "日本"):
        assert shown(text) == text
