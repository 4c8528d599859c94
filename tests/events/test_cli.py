"""`gatebot events check` and `gatebot policy check/show`, end to end through bot.cli.main."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

import policies
from bot.cli import main
from bot.cli.output import format_table
from bot.events.check import check_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = "event_page,timezone,start,end,types,wikis,participation,country,contribution_statistics\n"
GOOD_ROW = (
    "Event:WikiGap 2099/Lisbon,Europe/Lisbon,2099-03-06T10:00,2099-03-06T18:00,"
    "Editing event,ptwiki,in-person,PT,auto\n"
)


@pytest.fixture(autouse=True)
def no_policy_from_the_environment(monkeypatch):
    monkeypatch.delenv("GATEBOT_POLICY", raising=False)


def write(tmp_path, text: str, name: str = "events.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_all_rows_fine_exits_0_with_counts(tmp_path, capsys):
    assert main(["events", "check", write(tmp_path, HEADER + GOOD_ROW)]) == 0
    out = capsys.readouterr().out
    assert "Event:WikiGap 2099/Lisbon" in out
    assert out.rstrip().endswith(
        "1 row: 1 ok, 0 with errors; contribution statistics on for 1, off for 0."
    )


def test_json_report_has_exactly_rows_and_summary(tmp_path, capsys):
    bad = GOOD_ROW.replace("WikiGap 2099/Lisbon", "WikiGap 2099/Minsk").replace(
        ",PT,auto", ",BY,on"
    )
    assert main(["events", "check", "--json", write(tmp_path, HEADER + GOOD_ROW + bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"rows", "summary"}
    ok, refused = report["rows"]
    assert ok == {
        "row": 2,
        "event_page": "Event:WikiGap 2099/Lisbon",
        "ok": True,
        "contribution_statistics": True,
        "errors": [],
        "notes": [],
    }
    assert refused["row"] == 3 and refused["ok"] is False
    assert refused["contribution_statistics"] is None
    assert refused["errors"] == [{
        "field": "country",
        "code": "campaignevents-error-contribs-tracking-disallowed-country",
        "message": "Contribution statistics cannot be enabled for the selected country.",
    }]  # fmt: skip
    assert report["summary"]["rows"] == 2 and report["summary"]["with_errors"] == 1


def test_global_options_work_before_the_subcommand(tmp_path, capsys):
    assert main(["--json", "events", "check", write(tmp_path, HEADER + GOOD_ROW)]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["ok"] == 1


def test_unreadable_file_exits_2_with_one_sentence_and_no_report(tmp_path, capsys):
    path = write(tmp_path, "event_page;types\nA;b\n")
    assert main(["events", "check", "--json", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gatebot: ") and "separated by semicolons" in captured.err
    assert "Traceback" not in captured.err


def test_file_that_breaks_midway_still_ends_the_json_and_exits_2(tmp_path, capsys):
    path = write(tmp_path, '{"events": [{"event_page": "A"}, {"event_page": ]}', "events.json")
    assert main(["events", "check", "--json", path]) == 2
    report = json.loads(capsys.readouterr().out)
    assert len(report["rows"]) == 1
    assert "expecting value" in report["summary"]["error"]


def test_bad_policy_exits_2(tmp_path, capsys):
    policy = tmp_path / "contribution_stats.toml"
    policy.write_text('contribution_types = ["editing-event"]\ndisallowed_countries = ["BY"]\n')
    code = main(["events", "check", "--policy", str(policy), write(tmp_path, HEADER + GOOD_ROW)])
    assert code == 2
    assert "contribution_stats.toml" in capsys.readouterr().err


def test_policy_from_the_environment_is_used(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "contribution_stats.toml").write_text(
        'contribution_types = ["editing-event", "media-upload-event", "backlog-drive", "contest"]\n'
        '[disallowed_countries]\nPT = "Portugal"\n'
    )
    monkeypatch.setenv("GATEBOT_POLICY", str(folder))
    assert main(["events", "check", "--json", write(tmp_path, HEADER + GOOD_ROW)]) == 0
    [row] = json.loads(capsys.readouterr().out)["rows"]
    assert row["contribution_statistics"] is False
    assert row["notes"][0].startswith("Contribution statistics left off")


def test_policy_check_accepts_the_shipped_policy_and_refuses_a_bad_file(tmp_path, capsys):
    assert main(["policy", "check"]) == 0
    assert capsys.readouterr().out.startswith("Policy OK:")
    bad = tmp_path / "contribution_stats.toml"
    bad.write_text('[disallowed_countries]\nTurkey = "TR"\n')
    assert main(["policy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gatebot: ") and "contribution_stats.toml" in err


def test_policy_show_lists_countries_with_names_limits_and_review_date(capsys):
    assert main(["policy", "show"]) == 0
    out = capsys.readouterr().out
    assert "BY  Belarus" in out and "TR  Turkey" in out
    assert "image-recommendation" in out and "25" in out
    assert "last reviewed: 2026-08-21" in out


def test_policy_show_json_is_the_policy_as_data(capsys):
    assert main(["policy", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["contribution_statistics"]["disallowed_countries"]["BY"] == "Belarus"


EXPECTED_EXAMPLE = {
    # row: (ok, contribution statistics, first error code or None, has a note)
    2: (True, True, None, False),
    3: (True, True, None, False),
    4: (True, True, None, False),
    5: (True, True, None, True),  # duplicate type removed
    6: (True, True, None, False),
    7: (True, True, None, False),
    8: (False, None, "campaignevents-error-contribs-tracking-invalid-type", False),  # meetup, on
    9: (True, False, None, True),  # hybrid in Turkey under auto: off, with the reason
    10: (True, False, None, True),  # hybrid in Belarus under auto
    11: (True, True, None, False),  # online, no country: fine
    12: (True, False, None, False),  # off
    13: (False, None, "campaignevents-error-invalid-start", False),  # 30 February
    14: (False, None, "campaignevents-error-invalid-types", False),  # Edit-a-thon
    15: (False, None, "campaignevents-error-invalid-country-code", False),  # Atlantis
}


def test_example_file_verdicts():
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    rows = list(check_file(EXAMPLES / "events.csv", policies.load(), now=now))
    found = {
        r.number: (r.ok, r.contribution_statistics, r.errors[0].code if r.errors else None,
                   bool(r.notes))
        for r in rows
    }  # fmt: skip
    assert found == EXPECTED_EXAMPLE


def test_example_yaml_checks_like_the_csv():
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    rows = list(check_file(EXAMPLES / "events.yaml", policies.load(), now=now))
    assert [(r.number, r.ok, r.contribution_statistics) for r in rows] == [
        (1, True, True), (2, True, True), (3, False, None)
    ]  # fmt: skip


def test_start_in_the_past_is_reported_for_new_events(tmp_path, capsys):
    past = GOOD_ROW.replace("2099-03-06T10:00", "2001-03-06T10:00")
    assert main(["events", "check", "--json", write(tmp_path, HEADER + past)]) == 1
    [row] = json.loads(capsys.readouterr().out)["rows"]
    assert [e["code"] for e in row["errors"]] == ["campaignevents-error-start-past"]
    assert row["errors"][0]["field"] == "start"


def test_a_hostile_title_cannot_rewrite_the_terminal_but_json_keeps_it(tmp_path, capsys):
    page = "Event:WikiGap 2099/\x1b[2J\x1b]0;pwned\x07\u202eLisbon"
    path = write(tmp_path, HEADER + GOOD_ROW.replace("Event:WikiGap 2099/Lisbon", f'"{page}"'))
    assert main(["events", "check", path]) == 1
    table = capsys.readouterr().out
    assert "\x1b" not in table and "\u202e" not in table and "\x07" not in table
    assert "\\x1b[2J" in table
    assert main(["events", "check", "--json", path]) == 1
    [row] = json.loads(capsys.readouterr().out)["rows"]
    assert row["event_page"] == page


def test_format_table_escapes_cells():
    table = format_table(["a", "b"], [("x\ny", "\x1b[31mred")])
    assert len(table.splitlines()) == 3
    assert "\x1b" not in table and "x\\ny" in table


def test_an_error_naming_a_hostile_file_name_is_escaped(tmp_path, capsys):
    missing = tmp_path / "\x1b[2Jevents.csv"
    assert main(["events", "check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2Jevents.csv" in err
