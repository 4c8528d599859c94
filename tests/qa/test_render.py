"""The checklist as testers get it: a table, JSON, and Remarkup that pastes as one clean table."""

from __future__ import annotations

import json

from bot.cli.qa import render_table
from bot.qa.checklist import Checklist, check, exchange, not_run, request_text
from bot.qa.render import REMARKUP_COLUMNS, remarkup_code, render_remarkup
from tests.qa.remarkup import is_header_marker, tables

HOSTILE = "Event:A | B [[Link|x]] `code` @Admin T123 #project **bold**\nsecond line [| end"


def _checklist() -> Checklist:
    checklist = Checklist("contribution-stats", "http://127.0.0.1:9/w/api.php", "Organizer")
    checklist.add(
        check(
            "A Meetup is refused",
            True,
            [
                exchange(
                    request_text("PUT", "/x/1", {"types": ["meetup"], "token": "abc+\\"}), "400"
                )
            ],
            todo="never shown: it passed",
        )
    )
    checklist.add(check(f"Page {HOSTILE}", False, [HOSTILE, "second | item"], todo=HOSTILE))
    checklist.add(not_run("The gate closes at the limit", "beyond --max-writes 2"))
    checklist.writes = 3
    return checklist


def test_remarkup_is_one_table_of_four_columns_with_a_header_whatever_the_evidence_holds():
    text = render_remarkup(_checklist())
    [table] = tables(text)
    header, marker, *rows = table
    assert header == list(REMARKUP_COLUMNS)
    assert is_header_marker(marker)
    assert [len(row) for row in rows] == [4, 4, 4]
    assert [row[1] for row in rows] == ["✅", "❌", "⬜ not run"]
    assert rows[1][2] == f"{remarkup_code(HOSTILE)}; `second ¦ item`"
    assert "beyond --max-writes 2" in rows[2][3]


def test_remarkup_evidence_is_monospace_so_no_mention_or_link_fires():
    cell = remarkup_code(HOSTILE)
    assert cell.startswith("`") and cell.endswith("`")
    inner = cell[1:-1]
    assert "`" not in inner and "|" not in inner and "[[" not in inner and "\n" not in inner
    assert "@Admin T123 #project" in inner


def test_evidence_never_holds_a_token():
    text = render_remarkup(_checklist()) + render_table(_checklist())
    assert "abc+" not in text and "token" not in text
    assert '{"types":["meetup"]}' in text


def test_table_marks_each_criterion_and_says_what_to_do_for_those_that_did_not_pass():
    text = render_table(_checklist())
    assert text.splitlines()[0] == (
        "gatebot qa contribution-stats on http://127.0.0.1:9/w/api.php as Organizer: "
        "1 passed, 1 failed, 1 not run"
    )
    assert "✅ pass" in text and "❌ FAIL" in text and "⬜ not run" in text
    todo = text.split("What to do:\n", 1)[1]
    assert "never shown" not in text
    assert todo.startswith("2. Event:A | B")
    assert "\\n" in todo  # the newline of wiki text is shown escaped, not printed
    assert "3. beyond --max-writes 2" in todo
    assert "Writes made on the wiki: 3." in text


def test_json_has_every_criterion_with_result_evidence_and_todo():
    report = json.loads(json.dumps(_checklist().as_json()))
    assert report["ok"] is False
    assert report["summary"] == {"passed": 1, "failed": 1, "not run": 1}
    assert [c["result"] for c in report["checks"]] == ["passed", "failed", "not run"]
    assert report["checks"][0]["todo"] is None
    assert report["checks"][1]["evidence"][0] == HOSTILE


def test_a_checklist_with_a_criterion_not_run_is_not_ok():
    checklist = Checklist("image-limit", "w", "u")
    checklist.add(check("a", True, [], todo=""))
    assert checklist.ok
    checklist.add(not_run("b", "why"))
    assert not checklist.ok
