"""`gatebot demo` end to end: the CLI starts its sandboxes, tours the whole product with each
step's real command, and leaves nothing behind (no state, no temporary folder, no server)."""

from __future__ import annotations

import json
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import bot.demo.runner
import bot.demo.steps
from bot.cli import main

EXAMPLE_SUMMARY = "14 rows: 10 ok, 4 with errors; contribution statistics on for 7, off for 3."
TYPE_REFUSAL = (
    "Contribution statistics can only be enabled for events with the following types: "
    "Editing event, Media upload event, Backlog drive and Contest"
)
STEPS = [
    "sandbox", "whoami", "events_check", "events_apply", "events_reapply", "stats_on",
    "image_session", "image_quota", "qa", "qa_drift",
]  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user's home and state folder in tmp; the threads running before are remembered."""
    home = tmp_path / "home"
    state = home / "state"
    state.mkdir(parents=True)
    for name, value in {
        "HOME": home,
        "GATEBOT_STATE_DIR": state,
        "XDG_STATE_HOME": home / ".local" / "state",
    }.items():
        monkeypatch.setenv(name, str(value))
    for name in ("GATEBOT_WIKI", "GATEBOT_USER", "GATEBOT_PASSWORD", "GATEBOT_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    before = set(threading.enumerate())
    yield home
    assert [p.relative_to(home) for p in home.rglob("*")] == [Path("state")]
    assert list(temporary.iterdir()) == [], "the demo left its temporary state folder"
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)  # a handler thread ends once its client has hung up
        assert not thread.is_alive(), f"{thread.name} still runs after the demo"


def _port_is_closed(api_url: str) -> bool:
    parts = urlsplit(api_url)
    with socket.socket() as probe:
        return probe.connect_ex((parts.hostname, parts.port)) != 0


def test_demo_tours_every_job_with_its_command_and_report(home, capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "== 1. Who am I ==" in out
    assert "user        Organizer (central id" in out
    assert "Missing: campaignevents-enable-registration, campaignevents-organize-events" in out
    assert "$ gatebot events check examples/events.csv" in out
    assert EXAMPLE_SUMMARY in out
    apply = "$ gatebot events apply examples/campaign.csv --create-pages --yes --wiki sandbox"
    assert out.count(apply) == 2
    assert "Actions: 6 create, 2 refused. Status: 6 done, 2 failed." in out
    assert "Actions: 6 unchanged, 2 refused. Status: 6 done, 2 failed." in out
    stats = _section(out, "3c. Switch statistics on for the meetup")
    assert "$ gatebot events stats on 6 --wiki sandbox --user Organizer@gatebot" in stats
    assert f"types: {TYPE_REFUSAL} [campaignevents-error-contribs-tracking-invalid-type]" in stats
    session = _section(out, '4. A scripted "Add an image" session')
    assert "$ gatebot images session --answers examples/answers.csv" in session
    assert "Session over: the daily limit is reached (daily-limit)." in session
    assert "image-recommendation: 5 of 5 done today, the daily limit; resets at 00:00 " \
        "Europe/Berlin, in " in session  # fmt: skip
    assert "not reached: the session stopped first (daily-limit)" in session
    quota = _section(out, '5. The volunteer\'s "Add an image" quota')
    assert "done today             5" in quota and "remaining              0" in quota
    clean = _section(out, "6. The contribution statistics checklist")
    assert "$ gatebot qa contribution-stats --wiki sandbox" in clean
    assert ": 11 passed, 0 failed, 0 not run" in clean and "❌" not in clean
    drift = _section(out, "7. The same checklist on a wiki that disagrees with the policy")
    assert ": 9 passed, 2 failed, 0 not run" in drift
    assert "DRIFT: the wiki allows RU, which the local list forbids" in drift
    assert "DRIFT: the wiki forbids IN, which the local list allows" in drift
    assert out.rstrip().endswith("type the commands above yourself.")
    for url in _api_urls(out):
        assert _port_is_closed(url)


@pytest.mark.parametrize("backend", ["mwclient", "pywikibot"])
def test_demo_runs_end_to_end_on_both_backends_as_one_json_object(home, capsys, backend):
    assert main(["demo", "--json", "--backend", backend]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == STEPS
    organizer, volunteer = report["whoami"]
    assert (organizer["user"], volunteer["user"]) == ("Organizer", "Volunteer")
    assert volunteer["backend"] == backend
    assert report["events_check"]["summary"]["with_errors"] == 4
    assert report["events_apply"]["summary"]["actions"]["create"] == 6
    again = report["events_reapply"]["summary"]
    assert (again["actions"]["unchanged"], again["actions"]["refused"]) == (6, 2)
    assert again["actions"]["create"] == again["actions"]["update"] == 0
    [meetup] = report["stats_on"]["rows"]
    assert (meetup["action"], meetup["status"]) == ("refused", None)
    assert meetup["errors"][0]["message"] == TYPE_REFUSAL
    session = report["image_session"]
    assert (session["stopped"], session["answered"], session["skipped"]) == ("daily-limit", 5, 1)
    [verdict] = session["quota"]
    assert (verdict["count"], verdict["limit"], verdict["open"]) == (5, 5, False)
    assert verdict["resets_at"].endswith("T00:00:00+01:00") and verdict["zone"] == "Europe/Berlin"
    assert [row["row"] for row in session["rows_not_answered"]] == [8]
    quota = report["image_quota"]
    assert (quota["count"], quota["wiki_count"], quota["remaining"]) == (5, 5, 0)
    assert report["qa"]["ok"] is True and report["qa"]["announced"][0].startswith("will make ")
    assert report["qa_drift"]["ok"] is False
    assert report["qa_drift"]["drift"] == {"wiki_allows": ["RU"], "wiki_forbids": ["IN"]}
    assert _port_is_closed(report["sandbox"]["api_url"])
    assert _port_is_closed(report["qa_drift"]["wiki"])


def test_demo_without_the_example_file_says_so_and_goes_on(home, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(bot.demo.runner, "EXAMPLE_EVENTS", tmp_path / "missing" / "events.csv")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Skipped: the example file" in out
    assert "Session over: the daily limit is reached (daily-limit)." in out


def test_demo_that_cannot_log_in_says_so_in_one_sentence_and_exits_3(home, capsys, monkeypatch):
    monkeypatch.setattr(bot.demo.runner, "SANDBOX_PASSWORD", "not the password")
    assert main(["demo"]) == 3
    captured = capsys.readouterr()
    assert captured.err == (
        "gatebot: The demo could not log in to its sandbox wiki as Organizer@gatebot (run "
        "`gatebot -v demo` to see the answer); check that nothing, such as an HTTP proxy, "
        "intercepts connections to 127.0.0.1.\n"
    )
    assert _port_is_closed(_api_urls(captured.out)[0])


def test_demo_json_that_cannot_log_in_still_prints_the_steps_done_and_the_error(
    home, capsys, monkeypatch
):
    monkeypatch.setattr(bot.demo.runner, "SANDBOX_PASSWORD", "not the password")
    assert main(["demo", "--json"]) == 3
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["sandbox", "error"]
    assert report["error"].startswith("The demo could not log in to its sandbox wiki as")


@pytest.mark.parametrize("step", ["check_example", "qa_contribution_stats"])
def test_demo_interrupted_by_ctrl_c_still_stops_the_sandboxes(home, capsys, monkeypatch, step):
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(step)
        if step == "check_example" or len(calls) == 2:  # the second checklist: both servers run
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    original = getattr(bot.demo.steps, step)
    monkeypatch.setattr(bot.demo.steps, step, interrupted)
    assert main(["demo"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "gatebot: interrupted\n"
    for url in _api_urls(captured.out):
        assert _port_is_closed(url)


def _section(out: str, title: str) -> str:
    """One step's text, from its heading to the next one."""
    return out.split(f"== {title} ==", 1)[1].split("\n== ", 1)[0]


def _api_urls(out: str) -> list[str]:
    """Every sandbox the output names (the first step's, and the checklists' wikis)."""
    urls = [out.split("Action API  ", 1)[1].split()[0]]
    urls += [line.split(" on ", 1)[1].split()[0] for line in out.splitlines()
             if line.startswith("gatebot qa contribution-stats on ")]  # fmt: skip
    return urls
