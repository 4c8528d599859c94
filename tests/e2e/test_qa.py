"""`gatebot qa …` end to end: the CLI logs in to a sandbox, says what it will write, prints the
checklist as a table, JSON or Remarkup, and exits 0, 1, 2 or 3 as the README says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.qa.render import REMARKUP_COLUMNS
from tests.qa.conftest import PRODUCTION, sandboxes
from tests.qa.remarkup import is_header_marker, tables


@pytest.fixture
def sandbox(tmp_path: Path):
    """`sandbox(**config)`: a fresh sandbox, configured as tests/qa/conftest.py describes."""
    with sandboxes(tmp_path) as start:
        yield start


@pytest.fixture
def as_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`as_user("Organizer")`: the environment of that sandbox account, state in tmp."""

    def use(name: str) -> None:
        monkeypatch.setenv("GATEBOT_USER", f"{name}@gatebot")
        monkeypatch.setenv("GATEBOT_PASSWORD", "sandbox")
        monkeypatch.setenv("GATEBOT_STATE_DIR", str(tmp_path / "state"))

    for name in ("GATEBOT_WIKI", "GATEBOT_BACKEND", "GATEBOT_POLICY"):
        monkeypatch.delenv(name, raising=False)
    return use


def test_contribution_stats_table_says_its_writes_first_and_exits_0(sandbox, as_user, capsys):
    server = sandbox()
    as_user("Organizer")
    assert main(["qa", "contribution-stats", "--wiki", server.api_url]) == 0
    out, err = capsys.readouterr()
    assert err.startswith(f"gatebot: will make 18 writes on {server.api_url} as Organizer")
    assert out.startswith(
        f"gatebot qa contribution-stats on {server.api_url} as Organizer: "
        "11 passed, 0 failed, 0 not run"
    )
    assert out.count("✅ pass") == 11
    assert "Left on the wiki (pages): Event:Gatebot QA " in out


def test_contribution_stats_remarkup_pastes_as_one_table_of_eleven_rows(sandbox, as_user, capsys):
    server = sandbox()
    as_user("Organizer")
    code = main(["qa", "contribution-stats", "--wiki", server.api_url, "--format", "remarkup"])
    assert code == 0
    [table] = tables(capsys.readouterr().out)
    header, marker, *rows = table
    assert header == list(REMARKUP_COLUMNS) and is_header_marker(marker)
    assert len(rows) == 11 and {len(row) for row in rows} == {4}
    assert {row[1] for row in rows} == {"✅"}


def test_drift_fails_the_run_with_exit_1_and_json_names_it(sandbox, as_user, capsys):
    server = sandbox(disallowed=[*[c for c in PRODUCTION if c != "RU"], "IN"])
    as_user("Organizer")
    assert main(["qa", "contribution-stats", "--wiki", server.api_url, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["drift"] == {"wiki_allows": ["RU"], "wiki_forbids": ["IN"]}
    assert report["summary"] == {"passed": 9, "failed": 2, "not run": 0}


def test_keep_leaves_the_test_events(sandbox, as_user, capsys):
    server = sandbox()
    as_user("Organizer")
    assert main(["qa", "contribution-stats", "--wiki", server.api_url, "--keep", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["left"]["test events"]) == 4
    assert server.wiki.store.event_count() == 5  # the seed's event and the four kept


def test_a_volunteer_without_the_organizer_right_gets_exit_3_before_any_write(
    sandbox, as_user, capsys
):
    server = sandbox()
    as_user("Volunteer")
    assert main(["qa", "contribution-stats", "--wiki", server.api_url]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "lacks the right(s) campaignevents-enable-registration" in err
    assert server.wiki.store.event_count() == 1


def test_image_limit_through_the_gate_exits_0_and_1_when_bounded(sandbox, as_user, capsys):
    server = sandbox(image_limit=3)
    as_user("Volunteer")
    assert main(["qa", "image-limit", "--wiki", server.api_url, "--max-writes", "1"]) == 1
    out = capsys.readouterr().out
    assert "⬜ not run" in out and "beyond --max-writes 1" in out
    assert main(["qa", "image-limit", "--wiki", server.api_url, "--format", "remarkup"]) == 0
    [table] = tables(capsys.readouterr().out)
    assert [row[1] for row in table[2:]] == ["✅"] * 5


def test_two_report_formats_at_once_are_bad_usage(sandbox, as_user, capsys):
    server = sandbox()
    as_user("Organizer")
    args = ["qa", "contribution-stats", "--wiki", server.api_url, "--json", "--format", "remarkup"]
    assert main(args) == 2
    assert "ask for two reports" in capsys.readouterr().err
    assert main(["qa", "contribution-stats", "--wiki", server.api_url, "--prefix", "Nowhere"]) == 2
