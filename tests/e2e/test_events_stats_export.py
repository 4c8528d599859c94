"""`gatebot events stats` and `events export` end to end: the CLI against a fresh sandbox."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import policies
from bot.campaignevents import CampaignEventsClient, Registration, changed_fields
from bot.cli import main
from bot.events import RowChecker
from bot.events.mapping import registration_from_draft
from bot.eventsfile import read_events
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve
from bot.wiki import BotPassword, connect

PASSWORD = "sandbox"
SEEDED = 1  # the sandbox's own event: Porto, media upload, in person in PT, a goal, stats on
START = (datetime.now(timezone.utc) + timedelta(days=90)).strftime("%Y%m%d") + "100000"
END = START[:8] + "180000"


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """A fresh sandbox; the CLI logs in as Organizer, with state in tmp."""
    server = serve()
    for name, value in {
        "GATEBOT_WIKI": server.api_url,
        "GATEBOT_USER": "Organizer@gatebot",
        "GATEBOT_PASSWORD": PASSWORD,
        "GATEBOT_STATE_DIR": str(tmp_path / "state"),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GATEBOT_POLICY", raising=False)
    try:
        yield server
    finally:
        server.stop()


def ce_client(server: SandboxServer, tmp_path: Path, user: str = "Organizer"):
    wiki = connect(
        server.api_url,
        credentials=BotPassword(f"{user}@gatebot", PASSWORD),
        state_dir=tmp_path / f"direct-{user}",
        min_interval=0,
    )
    return wiki, CampaignEventsClient(wiki)


def registration(page: str, **fields) -> Registration:
    base = dict(
        event_page=page, timezone="Europe/Lisbon", start_time=START, end_time=END,
        types=("editing-event",), wikis=("*",), tracks_contributions=False,
        online_meeting=True, meeting_url="https://meet.example.org/" + page[-4:],
    )  # fmt: skip
    return Registration(**{**base, **fields})


def create_events(server: SandboxServer, tmp_path: Path, *regs: Registration) -> list[int]:
    """Create each event's page as Organizer, then its registration through the REST API."""
    wiki, client = ce_client(server, tmp_path)
    with wiki:
        ids = []
        for reg in regs:
            create_page(server.wiki, reg.event_page, "Organizer", "An event.")
            ids.append(client.create(reg).id)
        return ids


def fetch(server: SandboxServer, tmp_path: Path, event_id: int, user: str = "Organizer"):
    wiki, client = ce_client(server, tmp_path, user)
    with wiki:
        return client.get(event_id)


def stats(capsys, *args: str) -> tuple[int, dict]:
    status = main(["events", "stats", *args, "--json"])
    return status, json.loads(capsys.readouterr().out)


# stats


def test_stats_on_switches_and_a_second_run_is_unchanged(sandbox, tmp_path, capsys):
    (event_id,) = create_events(sandbox, tmp_path, registration("Event:Edit-a-thon 2099"))
    status, report = stats(capsys, "on", str(event_id))
    assert status == 0
    (row,) = report["rows"]
    assert (row["action"], row["status"], row["ok"]) == ("update", "done", True)
    assert row["changes"] == {"tracks_contributions": [False, True]}
    after = fetch(sandbox, tmp_path, event_id)
    assert after.tracks_contributions is True
    assert after.meeting_url == "https://meet.example.org/2099"  # every other field kept
    status, report = stats(capsys, "on", str(event_id))
    assert status == 0
    assert report["rows"][0]["action"] == "unchanged"


def test_meetup_cannot_turn_on_statistics_and_nothing_is_sent(sandbox, tmp_path, capsys):
    (event_id,) = create_events(
        sandbox, tmp_path, registration("Event:Meetup 2099", types=("meetup",))
    )
    status, report = stats(capsys, "on", str(event_id))
    assert status == 1
    (row,) = report["rows"]
    assert row["action"] == "refused" and row["status"] is None
    assert row["errors"] == [{
        "field": "types",
        "code": "campaignevents-error-contribs-tracking-invalid-type",
        "message": "Contribution statistics can only be enabled for events with the following "
        "types: Editing event, Media upload event, Backlog drive and Contest",
    }]  # fmt: skip
    assert fetch(sandbox, tmp_path, event_id).tracks_contributions is False


def test_disallowed_country_is_refused_locally(sandbox, tmp_path, capsys):
    (event_id,) = create_events(
        sandbox, tmp_path,
        registration("Event:Minsk 2099", online_meeting=False, inperson_meeting=True,
                     meeting_url=None, meeting_country_code="BY"),
    )  # fmt: skip
    status, report = stats(capsys, "on", str(event_id))
    assert status == 1
    (error,) = report["rows"][0]["errors"]
    assert error["code"] == "campaignevents-error-contribs-tracking-disallowed-country"
    assert error["message"] == "Contribution statistics cannot be enabled for the selected country."


def test_an_event_with_a_goal_cannot_switch_statistics_off(sandbox, capsys):
    status, report = stats(capsys, "off", str(SEEDED))
    assert status == 1
    (error,) = report["rows"][0]["errors"]
    assert error["code"] == "campaignevents-error-goal-requires-contribution-tracking"


def test_a_url_hidden_from_the_caller_is_never_wiped(sandbox, tmp_path, capsys, monkeypatch):
    (event_id,) = create_events(sandbox, tmp_path, registration("Event:Hidden 2099"))
    monkeypatch.setenv("GATEBOT_USER", "Tester@gatebot")  # not a participant: URLs hidden
    status, report = stats(capsys, "on", str(event_id))
    assert status == 1
    (error,) = report["rows"][0]["errors"]
    assert error["field"] == "meeting_url" and "erase" in error["message"]
    assert fetch(sandbox, tmp_path, event_id).tracks_contributions is False


def test_each_event_gets_its_line_and_a_missing_one_fails_alone(sandbox, tmp_path, capsys):
    (event_id,) = create_events(sandbox, tmp_path, registration("Event:Two 2099"))
    status = main(["events", "stats", "on", str(event_id), "999", str(SEEDED)])
    assert status == 1
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if line[:6].strip().isdigit()]
    assert " ".join(lines[0]).startswith(f"1 Event:Two 2099 update {event_id} done on")
    assert "change tracks_contributions: False → True" in out
    assert "refused 999 failed -" in " ".join(lines[1])
    assert "campaignevents-rest-event-not-found" in out
    assert "unchanged 1 done on" in " ".join(lines[2])
    assert "3 rows: 2 ok, 1 with errors" in out
    assert "Actions: 1 update, 1 unchanged, 1 refused." in out


def test_stats_as_a_wikitable(sandbox, capsys):
    assert main(["events", "stats", "on", str(SEEDED), "--format", "wikitable"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('{| class="wikitable sortable"')
    assert "unchanged" in out


@pytest.mark.parametrize("bad", ["12a", "0", "-3", "١٢", "1.5"])
def test_an_event_id_that_is_not_a_positive_number_is_bad_usage(sandbox, capsys, bad):
    assert main(["events", "stats", "on", "--", bad]) == 2
    assert repr(bad) in capsys.readouterr().err


# export


def plan_is_unchanged(path: Path, server: SandboxServer, tmp_path: Path) -> list[int]:
    """Read the exported file as apply does; each row must ask for what the wiki has."""
    checker = RowChecker(policies.load(), now=None)
    wiki, client = ce_client(server, tmp_path)
    ids = []
    with wiki:
        for file_row in read_events(path):
            checked = checker.check(file_row)
            assert checked.errors == [], (file_row.number, checked.errors)
            assert checked.event_id is not None
            current = client.get(checked.event_id)
            wanted = registration_from_draft(checked.draft, current=current)
            assert changed_fields(current, wanted) == ()
            ids.append(checked.event_id)
    return ids


@pytest.mark.parametrize("suffix", [".csv", ".json", ".yaml"])
def test_export_round_trips_to_unchanged_rows(sandbox, tmp_path, capsys, suffix):
    ids = create_events(
        sandbox, tmp_path,
        registration("Event:Online 2099", topics=("women", "history"), chat_url="https://t.me/+x",
                     tracks_contributions=True),
        registration("Event:Hybrid 2099", inperson_meeting=True, meeting_country_code="DE",
                     meeting_address="Alexanderplatz 1\nBerlin", types=("workshop", "contest"),
                     wikis=("wikidatawiki", "commonswiki"), is_test_event=True, timezone="+05:30"),
        registration("Project:No wikis 2099", types=("meetup",), wikis=(), goal_type=None),
    )  # fmt: skip
    output = tmp_path / f"events{suffix}"
    assert main(["events", "export", "--output", str(output)]) == 0
    err = capsys.readouterr().err
    assert f"Exported 4 event(s) of Organizer to {output}." in err
    assert sorted(plan_is_unchanged(output, sandbox, tmp_path)) == [SEEDED, *ids]


def test_export_then_plan_finds_every_row_unchanged(sandbox, tmp_path, capsys):
    create_events(
        sandbox, tmp_path,
        registration("Event:Plan 2099", topics=("women",), tracks_contributions=True),
        registration("Event:Plan hybrid 2099", inperson_meeting=True, meeting_country_code="PT",
                     meeting_address="Rua Garrett 120", types=("workshop",)),
    )  # fmt: skip
    output = tmp_path / "mine.yaml"
    assert main(["events", "export", "--output", str(output)]) == 0
    capsys.readouterr()
    assert main(["events", "plan", str(output), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [row["action"] for row in report["rows"]] == ["unchanged"] * 3
    assert report["summary"]["actions"]["unchanged"] == 3


def test_export_to_stdout_is_csv_with_event_ids(sandbox, capsys):
    assert main(["events", "export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    (porto,) = rows
    assert porto["event_id"] == str(SEEDED)
    assert porto["event_page"] == "Event:Wiki Loves Monuments 2026/Porto"
    assert (porto["participation"], porto["country"]) == ("in-person", "PT")
    assert porto["contribution_statistics"] == "on"
    assert porto["topics"] == "architecture;europe"


def test_export_of_another_organizer_by_name(sandbox, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GATEBOT_USER", "Tester@gatebot")
    assert main(["events", "export", "--organizer", "organizer"]) == 0
    captured = capsys.readouterr()
    assert "Wiki Loves Monuments 2026/Porto" in captured.out
    assert "the wiki does not show you its chat_url" in captured.err
    assert "Exported 1 event(s) of organizer." in captured.err


def test_export_of_an_unknown_organizer_is_bad_usage(sandbox, capsys):
    assert main(["events", "export", "--organizer", "Nobody at all"]) == 2
    assert "there is no such user" in capsys.readouterr().err


def test_deleted_events_are_skipped_with_a_note(sandbox, tmp_path, capsys):
    (event_id,) = create_events(sandbox, tmp_path, registration("Event:Gone 2099"))
    wiki, client = ce_client(sandbox, tmp_path)
    with wiki:
        client.delete(event_id)
    assert main(["events", "export"]) == 0
    captured = capsys.readouterr()
    assert "Event:Gone 2099" not in captured.out
    assert f"skipped 1 deleted event(s): {event_id}." in captured.err


def test_fifty_events_say_the_listing_may_be_incomplete(sandbox, tmp_path, capsys):
    create_events(sandbox, tmp_path, *(registration(f"Event:Many {n:02d} 2099") for n in range(49)))
    assert main(["events", "export", "--json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["events"]) == 50
    assert "the most its API ever returns for one organizer" in captured.err


def test_an_existing_output_file_is_kept_without_force(sandbox, tmp_path, capsys):
    output = tmp_path / "mine.csv"
    output.write_text("my own work\n", encoding="utf-8")
    assert main(["events", "export", "--output", str(output)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "my own work\n"
    assert main(["events", "export", "--output", str(output), "--force"]) == 0
    assert output.read_text(encoding="utf-8").startswith("event_page,event_id,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")] == []


def test_a_lost_answer_is_read_back_and_not_sent_again(sandbox, tmp_path, capsys):
    (event_id,) = create_events(sandbox, tmp_path, registration("Event:Lost answer 2099"))
    config = sandbox.wiki.config
    sandbox.wiki.config = replace(config, faults=replace(config.faults, drop_after_write_rate=1.0))
    status, report = stats(capsys, "on", str(event_id))
    assert status == 0
    (row,) = report["rows"]
    assert (row["action"], row["status"]) == ("update", "done")
    assert row["notes"] == ["the wiki's answer was lost; reading the event back shows it done."]
    assert fetch(sandbox, tmp_path, event_id).tracks_contributions is True


def test_export_by_organizer_needs_no_login(sandbox, capsys, monkeypatch):
    monkeypatch.delenv("GATEBOT_USER")
    monkeypatch.delenv("GATEBOT_PASSWORD")
    assert main(["events", "export", "--organizer", "Organizer"]) == 0
    captured = capsys.readouterr()
    assert "Event:Wiki Loves Monuments 2026/Porto" in captured.out
    assert "does not show you its chat_url" in captured.err


def test_stats_without_credentials_is_a_login_failure(sandbox, capsys, monkeypatch):
    monkeypatch.delenv("GATEBOT_USER")
    monkeypatch.delenv("GATEBOT_PASSWORD")
    assert main(["events", "stats", "on", str(SEEDED)]) == 3
    captured = capsys.readouterr()
    assert "No credentials found" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/folder/x.csv", "cannot write in"), ("events.xlsx", "unknown file type '.xlsx'")],
)
def test_an_output_that_cannot_be_written_is_bad_usage(sandbox, tmp_path, capsys, name, message):
    assert main(["events", "export", "--output", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err
