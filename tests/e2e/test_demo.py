"""`gatebot demo` end to end: the CLI starts a sandbox, tours the main jobs and cleans up."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import bot.demo
from bot.cli import main

EXAMPLE_SUMMARY = "14 rows: 10 ok, 4 with errors; contribution statistics on for 7, off for 3."


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
    before = set(threading.enumerate())
    yield home
    assert [p.relative_to(home) for p in home.rglob("*")] == [Path("state")]
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)  # a handler thread ends once its client has hung up
        assert not thread.is_alive(), f"{thread.name} still runs after the demo"


def _port_is_closed(api_url: str) -> bool:
    parts = urlsplit(api_url)
    with socket.socket() as probe:
        return probe.connect_ex((parts.hostname, parts.port)) != 0


def test_demo_tours_whoami_the_example_file_and_the_volunteers_quota(home, capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "== 1. Who am I ==" in out
    assert "user        Organizer (central id" in out
    assert "groups      event-organizer" in out
    assert "time zone   Europe/Berlin" in out
    assert "Missing: campaignevents-enable-registration, campaignevents-organize-events" in out
    assert "== 2. Offline check of an events file ==" in out
    assert EXAMPLE_SUMMARY in out
    assert '== 3. The volunteer\'s "Add an image" quota ==' in out
    assert "gatebot images quota" in out
    assert "done today             0" in out
    assert "daily limit            25" in out
    assert "the wiki's count       0" in out
    assert "resets at 00:00 Europe/Berlin" in out
    api_url = out.split("Action API  ", 1)[1].split()[0]
    assert _port_is_closed(api_url)


def test_demo_json_has_one_key_per_step(home, capsys):
    assert main(["demo", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["sandbox", "whoami", "events_check", "image_quota"]
    organizer, volunteer = report["whoami"]
    assert (organizer["user"], volunteer["user"]) == ("Organizer", "Volunteer")
    assert volunteer["zone"] == "Europe/Berlin"
    assert report["events_check"]["summary"]["rows"] == 14
    assert report["events_check"]["summary"]["with_errors"] == 4
    quota = report["image_quota"]
    assert (quota["user"], quota["count"], quota["limit"], quota["remaining"]) == (
        "Volunteer", 0, 25, 25,
    )  # fmt: skip
    assert (quota["wiki_count"], quota["counted_by"]) == (0, ["ledger", "wiki"])
    assert quota["resets_at"].endswith("+01:00") and quota["zone"] == "Europe/Berlin"
    assert _port_is_closed(report["sandbox"]["api_url"])


def test_demo_runs_through_pywikibot_too(home, capsys):
    assert main(["demo", "--backend", "pywikibot"]) == 0
    out = capsys.readouterr().out
    assert "(pywikibot)" in out
    assert "user        Volunteer (central id" in out
    assert "time zone   Europe/Berlin" in out
    assert EXAMPLE_SUMMARY in out


def test_demo_without_the_example_file_says_so_and_goes_on(home, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(bot.demo, "EXAMPLE_EVENTS", tmp_path / "missing" / "events.csv")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Skipped: the example file" in out
    assert "resets at 00:00 Europe/Berlin" in out


def test_demo_that_cannot_log_in_says_so_in_one_sentence_and_exits_3(home, capsys, monkeypatch):
    monkeypatch.setattr(bot.demo, "SANDBOX_PASSWORD", "not the password")
    assert main(["demo"]) == 3
    captured = capsys.readouterr()
    assert captured.err == (
        "gatebot: The demo could not log in to its sandbox wiki as Organizer@gatebot (run "
        "`gatebot -v demo` to see the answer); check that nothing, such as an HTTP proxy, "
        "intercepts connections to 127.0.0.1.\n"
    )
    api_url = captured.out.split("Action API  ", 1)[1].split()[0]
    assert _port_is_closed(api_url)


def test_demo_interrupted_by_ctrl_c_still_stops_the_sandbox(home, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(bot.demo, "check_example", interrupted)
    assert main(["demo"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "gatebot: interrupted\n"
    api_url = captured.out.split("Action API  ", 1)[1].split()[0]
    assert _port_is_closed(api_url)
