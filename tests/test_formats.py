"""Events reports as CSV and as a pasteable wikitable: text from a file never breaks either."""

from __future__ import annotations

import csv
import html
import io
import re

import mwparserfromhell
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.formats import PLAN_COLUMNS, CsvReport, WikitableReport
from bot.report import row_dict
from policies.problems import Problem

HOSTILE = (
    "Event:x|y || z\n|}\n{| class=x\n|-\n! h !! h\n-[[Category:Spam]] {{delete}} {{{1}}} ~~~~ "
    "<script>alert(1)</script> __NOTOC__ ''bold'' &amp; \x1b[2J"
)
TITLE_INVALID = Problem(
    "campaignevents-error-invalid-title", "The event page title is invalid: {{x}}|.", "event_page"
)


def plan_row(number, page, *, errors=(), notes=(), **extra):
    extra = {"action": "create", "event_id": None, "changes": None, "status": "planned"} | extra
    return row_dict(number, page, list(errors), list(notes), not errors or None, **extra)


def wikitable(rows, *, plan=True):
    stream = io.StringIO()
    report = WikitableReport(stream, plan=plan)
    for row in rows:
        report.add(row)
    report.close()
    return stream.getvalue()


def table_cells(text):
    """The parsed table as a list of rows (the heading row first), each a list of cell texts."""
    [table] = mwparserfromhell.parse(text).filter_tags(matches=lambda node: node.tag == "table")

    def children(node, tags):
        return node.contents.filter_tags(matches=lambda child: child.tag in tags, recursive=False)

    rows = [
        children(table, ("th",)),
        *(children(row, ("td", "th")) for row in children(table, ("tr",))),
    ]
    return [[str(cell.contents).strip() for cell in row] for row in rows]


def shown(text):
    """What a reader sees of text written by gatebot: controls as U+FFFD, newlines as spaces
    (a wiki trims the whitespace at the ends of a cell)."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "\ufffd", text)
    return re.sub(r"[\n\r\t]", " ", text)


def test_hostile_text_stays_inside_its_cell_and_calls_no_template():
    rows = [
        plan_row(2, "Event:WikiGap 2099/Lisbon", notes=["statistics on"]),
        plan_row(3, HOSTILE, errors=[TITLE_INVALID], notes=[HOSTILE], action="refused"),
        plan_row(4, "Category:Meetups", action="update", event_id=12, status="done",
                 changes={"wikis": [["ptwiki"], ["ptwiki", "enwiki"]]}),
    ]  # fmt: skip
    text = wikitable(rows)
    cells = table_cells(text)
    assert len(cells) == 4 and {len(row) for row in cells} == {9}
    parsed = mwparserfromhell.parse(text)
    assert parsed.filter_templates() == [] and parsed.filter_arguments() == []
    assert [str(link.title) for link in parsed.filter_wikilinks()] == [
        ":Event:WikiGap 2099/Lisbon",
        ":Category:Meetups",  # the colon: a link to the category, not a categorisation
    ]
    assert not any(tag.tag not in ("table", "tr", "th", "td", "br") for tag in parsed.filter_tags())
    assert "~~~" not in text and "__NOTOC__" not in text and "''" not in text
    assert "\x1b" not in text
    hostile = cells[2]
    assert html.unescape(hostile[1]) == shown(HOSTILE)
    problems = [html.unescape(part) for part in hostile[8].split("<br />")]
    assert problems == [
        "event_page: The event page title is invalid: {{x}}|.",
        "note: " + shown(HOSTILE),
    ]
    assert html.unescape(cells[3][6]) == "wikis: ptwiki → ptwiki; enwiki"


def test_no_cell_starts_with_a_character_that_opens_a_table_or_list_line():
    rows = [plan_row(n, page, errors=[TITLE_INVALID]) for n, page in enumerate("-+!*#:;=", 2)]
    for row in table_cells(wikitable(rows))[1:]:
        assert row[1].startswith("&#") and html.unescape(row[1]) in "-+!*#:;="


def test_the_counts_follow_the_table():
    rows = [
        plan_row(2, "Event:A", status="done"),
        plan_row(3, "Event:B", action="unchanged", event_id=4, status="done"),
        plan_row(4, "Event:C", errors=[TITLE_INVALID], action="refused", status="failed"),
    ]
    lines = wikitable(rows).splitlines()
    assert lines[-2:] == [
        "|}",
        "3 rows: 2 ok, 1 with errors; contribution statistics on for 2, off for 0. "
        "Actions: 1 create, 1 unchanged, 1 refused. Status: 2 done, 1 failed.",
    ]


def test_a_check_report_has_the_check_columns_only():
    row = row_dict(2, "Event:A", [], ["a note"], True)
    cells = table_cells(wikitable([row], plan=False))
    assert cells == [
        ["Row", "Event page", "OK", "Statistics", "Problems and notes"],
        ["2", "[[:Event:A]]", "yes", "on", "note: a note"],
    ]


@settings(max_examples=200, deadline=None)
@given(pages=st.lists(st.text(max_size=40), min_size=1, max_size=4), note=st.text(max_size=40))
def test_any_text_gives_one_row_of_nine_cells_that_reads_as_the_text(pages, note):
    rows = [plan_row(n, page, notes=[note]) for n, page in enumerate(pages, start=2)]
    cells = table_cells(wikitable(rows))
    assert [len(row) for row in cells] == [9] * (len(pages) + 1)
    for page, row in zip(pages, cells[1:], strict=True):
        if not row[1].startswith("[[:"):
            assert html.unescape(row[1]).strip() == shown(page).strip()
        assert html.unescape(row[8]).strip() == ("note: " + shown(note)).strip()


def read_csv(rows, *, plan=True, error=None):
    stream, counts = io.StringIO(), io.StringIO()
    report = CsvReport(stream, plan=plan, counts=counts)
    for row in rows:
        report.add(row)
    report.close(error=error)
    return list(csv.DictReader(io.StringIO(stream.getvalue()))), stream.getvalue(), counts


def test_csv_is_rows_only_and_reads_back_exactly():
    two_problems = [TITLE_INVALID, Problem("campaignevents-error-empty-title", "Enter a title.")]
    rows = [
        plan_row(2, 'Event:"Quoted", with comma\nand newline', notes=["n1", "n2"]),
        plan_row(3, "Event:B", errors=two_problems, action="refused"),
    ]
    records, text, counts = read_csv(rows, error="events.csv: line 9: not UTF-8")
    assert list(records[0]) == list(PLAN_COLUMNS)
    assert len(records) == 2 and text.count("\n") == 4  # header, 2 rows, 1 newline in a cell
    first, second = records
    assert first["event_page"] == 'Event:"Quoted", with comma\nand newline'
    assert (first["ok"], first["action"], first["notes"]) == ("yes", "create", "n1 | n2")
    assert second["error_codes"] == (
        "campaignevents-error-invalid-title;campaignevents-error-empty-title"
    )
    assert second["errors"] == (
        "event_page: The event page title is invalid: {{x}}|. | row: Enter a title."
    )
    assert second["contribution_statistics"] == "" and second["ok"] == "no"
    assert counts.getvalue().splitlines() == [
        "2 rows: 1 ok, 1 with errors; contribution statistics on for 1, off for 0. "
        "Actions: 1 create, 1 refused. Status: 2 planned.",
        "Stopped early: events.csv: line 9: not UTF-8",
    ]


def test_csv_cells_never_become_spreadsheet_formulas_or_terminal_escapes():
    rows = [plan_row(2, '=HYPERLINK("http://x","y")'), plan_row(3, "@SUM(A1)\x1b[2J")]
    records, _, _ = read_csv(rows)
    assert records[0]["event_page"] == '\'=HYPERLINK("http://x","y")'
    assert records[1]["event_page"] == "'@SUM(A1)\ufffd[2J"


def test_rows_are_written_as_they_arrive():
    for report_type in (CsvReport, WikitableReport):
        stream = io.StringIO()
        report = report_type(stream, plan=False)
        for number in range(2, 5):
            report.add(row_dict(number, f"Event:Row {number}", [], [], True))
            assert f"Event:Row {number}" in stream.getvalue()
