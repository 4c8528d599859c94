"""`gatebot whoami` through the real command line, against the scripted wiki."""

from __future__ import annotations

import functools
import json

import pytest
import requests

from bot.cli import base as cli_base
from bot.cli import main
from bot.wiki import RetryPolicy, connect
from tests.wiki.fakewiki import API, LOGIN, SECRET

KEYS = {
    "wiki",
    "backend",
    "user",
    "central_id",
    "groups",
    "rights_missing",
    "timecorrection",
    "zone",
    "ratelimits",
}


@pytest.fixture
def run(backend, wiki, clock, tmp_path, monkeypatch, capsys):
    """`run(*args) -> (status, stdout, stderr)` with Tester's bot password in the environment."""
    monkeypatch.setenv("GATEBOT_PASSWORD", SECRET)
    monkeypatch.setattr(
        cli_base,
        "connect",
        functools.partial(
            connect, sleep=clock.sleep, clock=clock, retry_policy=RetryPolicy(attempts=3)
        ),
    )
    for name in ("GATEBOT_WIKI", "GATEBOT_USER", "GATEBOT_BACKEND", "GATEBOT_OAUTH_CONSUMER_KEY"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(
            [
                "whoami",
                "--wiki",
                API,
                "--user",
                LOGIN,
                "--backend",
                backend,
                "--state-dir",
                str(tmp_path / "state"),
                *args,
            ]
        )
        out, err = capsys.readouterr()
        return status, out, err

    return invoke


def test_whoami_json_has_exactly_the_documented_keys(run, backend, wiki):
    wiki.ratelimits = {"edit": {"user": {"hits": 5, "seconds": 60}}}
    status, out, _ = run("--json")
    report = json.loads(out)
    assert status == 0
    assert set(report) == KEYS
    assert report["user"] == "Tester"
    assert report["central_id"] == 4242
    assert report["backend"] == backend
    assert report["rights_missing"] == []
    assert report["zone"] == "Europe/Berlin"
    assert report["ratelimits"] == {"edit": {"user": {"hits": 5, "seconds": 60}}}


def test_whoami_names_missing_rights_without_failing(run, wiki):
    wiki.rights = ["read", "edit", "writeapi"]
    status, out, _ = run()
    assert status == 0
    assert "campaignevents-enable-registration" in out.split("Missing:")[1]


def test_whoami_uses_the_wiki_zone_when_the_user_has_none(run, wiki):
    wiki.options = {"timecorrection": "System|60"}
    _, out, _ = run("--json")
    assert json.loads(out)["zone"] == "Europe/Berlin"


def test_whoami_with_a_wrong_password_is_one_sentence_and_exit_3(run, monkeypatch):
    monkeypatch.setenv("GATEBOT_PASSWORD", "not-the-password")
    status, out, err = run()
    assert status == 3
    assert out == ""
    assert err.count("\n") == 1 and "Login to" in err
    assert "not-the-password" not in err
    assert "Traceback" not in err


def test_whoami_on_an_unreachable_wiki_exits_3(run, wiki):
    wiki.then("login-token", *[requests.ConnectionError("refused")] * 3)
    status, _, err = run()
    assert status == 3
    assert "could not be reached" in err


def test_whoami_without_credentials_says_how_to_give_them(run, monkeypatch):
    monkeypatch.delenv("GATEBOT_PASSWORD")
    monkeypatch.setenv("GATEBOT_PASSWORD_FILE", "/nonexistent/passwords")
    status, _, err = run()
    assert status == 3
    assert "GATEBOT_PASSWORD" in err


def test_whoami_checks_the_password_even_with_a_saved_session(run, monkeypatch):
    status, _, _ = run()
    assert status == 0
    monkeypatch.setenv("GATEBOT_PASSWORD", "changed-since")
    status, out, err = run()
    assert status == 3
    assert "changed-since" not in out + err
