"""With a known bot password and OAuth secrets configured, a full set of commands at `-v -v`
leaves them nowhere: not in stdout, stderr (logs, exception texts), reports, journal, ledger or
state files; nor the session cookies or CSRF tokens outside the cookie jar. Plain HTTP to a
non-loopback wiki is refused before anything is sent. State files are 0600, folders 0700."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import replace
from http.cookiejar import LWPCookieJar
from pathlib import Path

import pytest
import responses

from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve
from tests.proof import corpus
from tests.proof.inprocess import Ran, run
from tests.review import harness

PASSWORD = "Pw-7f3c9e1a2bd04-DoNotLeak"
OAUTH = {
    "GATEBOT_OAUTH_CONSUMER_KEY": "ck-5b1d0e2f9a7c3311",
    "GATEBOT_OAUTH_CONSUMER_SECRET": "cs-e8a1f4c2b9d7605a",
    "GATEBOT_OAUTH_ACCESS_TOKEN": "at-3c7e9a1f5b2d8844",
    "GATEBOT_OAUTH_ACCESS_SECRET": "as-9d2b6f0a4c8e1177",
}
SECRETS = [PASSWORD, *(v for k, v in OAUTH.items() if "SECRET" in k)]
CSRF = re.compile(r"[0-9a-f]{32}\+\\")


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """A fresh sandbox whose accounts all take PASSWORD."""
    config = load_config()
    accounts = tuple(replace(account, password=PASSWORD) for account in config.accounts)
    running = serve(replace(config, accounts=accounts))
    create_page(running.wiki, "Event:Proof 2099/Good", "Organizer", "Proof.")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def state(monkeypatch, tmp_path) -> Path:
    for name in list(os.environ):
        if name.startswith(("GATEBOT_", "PYWIKIBOT")):
            monkeypatch.delenv(name)
    folder = tmp_path / "state"
    monkeypatch.setenv("GATEBOT_STATE_DIR", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path))
    return folder


def full_run(server: SandboxServer, tmp_path: Path, user: str) -> list[Ran]:
    """Every command that talks to the wiki as `user`, at the most verbose logging."""
    events = tmp_path / "events.csv"
    good = list(corpus.GOOD)
    good[0] = "Event:Proof 2099/Good"
    events.write_text(corpus.csv_text([corpus.HEADER, good]), encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_text("title,answer,reasons,caption\nSome page,no,notrelevant,\n")
    wiki = ["-v", "-v", "--wiki", server.api_url, "--user", user]
    commands = [
        ["whoami"],
        ["events", "check", str(events)],
        ["events", "plan", str(events)],
        ["events", "apply", "--yes", str(events)],
        ["events", "stats", "on", "1"],
        ["events", "export", "--output", str(tmp_path / "export.csv"), "--force"],
        ["images", "quota"],
        ["images", "session", "--answers", str(answers), "--max", "1"],
        ["qa", "image-limit"],
    ]
    return [run([*wiki, *command]) for command in commands]


def files(folder: Path) -> Iterator[Path]:
    yield from (path for path in folder.rglob("*") if path.is_file())


def leaks(text: str, where: str, cookies: list[str]) -> list[str]:
    found = [f"{where}: a secret" for secret in SECRETS if secret in text]
    found += [f"{where}: a session cookie" for value in cookies if value in text]
    found += [f"{where}: a CSRF token" for _ in CSRF.finditer(text)]
    return found


def test_a_full_verbose_run_leaves_no_secret_anywhere(server, state, tmp_path, monkeypatch):
    monkeypatch.setenv("GATEBOT_PASSWORD", PASSWORD)
    runs = full_run(server, tmp_path, "Organizer@gatebot")
    volunteer = full_run(server, tmp_path, "Volunteer@gatebot")[-3:]
    assert all(not ran.crash for ran in runs + volunteer), [r.crash for r in runs if r.crash]
    statuses = [ran.status for ran in runs]
    assert statuses[:4] == [0, 0, 0, 0] and statuses[6] == 0, [r.err[-300:] for r in runs]
    assert "DEBUG" in runs[0].err  # -v -v did log at debug level
    jars = [path for path in files(state) if path.name == "cookies.lwp"]
    assert jars, "no session was saved, so the scan of cookies means nothing"
    cookies = []
    for path in jars:
        jar = LWPCookieJar(str(path))
        jar.load(ignore_discard=True, ignore_expires=True)
        cookies += [c.value for c in jar if c.value and len(c.value) >= 16]
    assert cookies
    found = []
    for number, ran in enumerate(runs + volunteer):
        found += leaks(ran.out, f"stdout of run {number}", cookies)
        found += leaks(ran.err, f"stderr of run {number}", cookies)
    scanned = list(files(tmp_path))  # the state folder (journal, ledger, session) and reports
    assert {"export.csv", "cookies.lwp"} <= {path.name for path in scanned}
    for path in scanned:
        text = path.read_bytes().decode("utf-8", "replace")
        found += leaks(text, str(path), [] if path.name == "cookies.lwp" else cookies)
    assert not found, found


def test_oauth_secrets_stay_out_of_a_failed_login(server, state, monkeypatch):
    for name, value in OAUTH.items():
        monkeypatch.setenv(name, value)
    ran = run(["-v", "-v", "--wiki", server.api_url, "whoami"])
    assert not ran.crash and ran.status == 3, ran.err
    assert leaks(ran.out + ran.err, "whoami", []) == []
    assert not any(value in ran.out + ran.err for value in OAUTH.values())


@pytest.mark.parametrize("url", ["http://wiki.example.org/w/api.php", "http://10.0.0.1/w/"])
def test_plain_http_to_a_remote_wiki_is_refused_before_sending(state, monkeypatch, url):
    monkeypatch.setenv("GATEBOT_PASSWORD", PASSWORD)
    with responses.RequestsMock() as mock:  # any request would fail the test
        ran = run(["--wiki", url, "--user", "Organizer@gatebot", "whoami"])
        assert len(mock.calls) == 0
    assert ran.status == 3 and ran.one_line_error(), ran.err
    assert "http" in ran.err and PASSWORD not in ran.err


def test_state_files_are_private(server, state, tmp_path, monkeypatch):
    monkeypatch.setenv("GATEBOT_PASSWORD", PASSWORD)
    full_run(server, tmp_path, "Organizer@gatebot")
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    wrong = [
        f"{path} {oct(stat.S_IMODE(path.stat().st_mode))}"
        for path in [state, *state.rglob("*")]
        if stat.S_IMODE(path.stat().st_mode) != (0o700 if path.is_dir() else 0o600)
    ]
    assert not wrong, wrong


def test_review_page_responses_hold_no_secret(server, state, monkeypatch):
    """Every answer of the review page (the page, its state, answers, refusals) of a session
    logged in with the known bot password."""
    monkeypatch.setattr(harness, "PASSWORD", PASSWORD)
    page = harness.start_page(server, state)
    try:
        shown = page.suggestion()
        replies = [
            page.request("GET", "/"),
            page.request("GET", "/api/state", headers=page.api_headers()),
            page.request("GET", "/api/state"),  # no token: refused
            page.post_answer({"id": shown["id"], "answer": "maybe"}),
            page.post_answer({"id": shown["id"], "answer": "no", "reasons": ["notrelevant"]}),
            page.request("POST", "/api/answer", headers=page.api_headers(), body=b"{"),
        ]
    finally:
        harness.stop_page(page)
    jar = LWPCookieJar(str(next(p for p in files(state) if p.name == "cookies.lwp")))
    jar.load(ignore_discard=True, ignore_expires=True)
    cookies = [c.value for c in jar if c.value and len(c.value) >= 16]
    assert cookies and replies[1].status == 200
    found = []
    for number, reply in enumerate(replies):
        text = reply.body.decode("utf-8", "replace") + repr(reply.headers)
        found += leaks(text, f"review reply {number}", cookies)
    assert not found, found
