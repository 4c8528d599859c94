"""`gatebot events plan|apply` end to end: the real CLI in a child process against a sandbox
wiki in this one, killed with SIGKILL at random moments of a batch and run again."""

from __future__ import annotations

import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.sandbox.server as sandbox_server
from bot.journal import Journal
from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve

ROWS = 40
CREATE = ("POST", "/w/rest.php/campaignevents/v0/event_registration")
REGISTERED = "campaignevents-error-page-already-registered"


def row(title: str, **cells: str) -> dict[str, str]:
    base = {"event_page": title, "timezone": "UTC", "start": "2027-06-01T10:00",
            "end": "2027-06-01T18:00", "types": "Editing event;Workshop",
            "wikis": "commonswiki", "participation": "online", "contribution_statistics": "auto"}
    return {**base, **cells}  # fmt: skip


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def wiki(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SandboxServer, list]]:
    """A sandbox answering 10 ms after it acted (a kill just after an event appears lands
    between the wiki's write and the journal's record of it), its requests logged."""
    server = serve(load_config().with_latency(10))
    seen: list[tuple[str, str, int, str | None]] = []
    real = sandbox_server.dispatch

    def logging(sandbox, request):
        response, wrote = real(sandbox, request)
        key = None
        if response.status >= 400 and response.content_type.startswith("application/json"):
            key = json.loads(response.body).get("errorKey")
        seen.append((request.method, request.path, response.status, key))
        return response, wrote

    monkeypatch.setattr(sandbox_server, "dispatch", logging)
    yield server, seen
    server.stop()


def creates(seen: list) -> Counter:
    """The answers to the creates the wiki received: 201, or the error key of a refusal (a run
    killed while sending its request leaves a body the wiki cannot read: `None`, HTTP 4xx)."""
    return Counter(key or status for method, path, status, key in seen if (method, path) == CREATE)


def gatebot(server: SandboxServer, state: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "GATEBOT_USER": "Organizer@gatebot", "GATEBOT_PASSWORD": "sandbox",
           "GATEBOT_STATE_DIR": str(state)}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--wiki", server.api_url, "events", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=env,
    )  # fmt: skip


def finished(child: subprocess.Popen[str]) -> tuple[int, dict, str]:
    out, err = child.communicate(timeout=120)
    return child.returncode, json.loads(out) if out.startswith("{") else {}, err


def titles(n: int = ROWS) -> list[str]:
    return [f"Event:Resume {i}" for i in range(n)]


@pytest.fixture
def batch(wiki, tmp_path: Path) -> Path:
    server, _ = wiki
    for title in titles():
        create_page(server.wiki, title, "Organizer", "An event page.")
    return write_rows(tmp_path / "events.csv", [row(t) for t in titles()])


def test_killed_at_random_moments_the_next_apply_finishes_with_each_event_created_once(
    wiki, batch, tmp_path
):
    server, seen = wiki
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    state, kills = tmp_path / "state", 0
    while kills < 4:
        child = gatebot(server, state, "apply", str(batch), "--json")
        target = server.wiki.store.event_count() + chance.randint(1, ROWS // 4)
        while server.wiki.store.event_count() < target and child.poll() is None:
            time.sleep(0.002)
        time.sleep(chance.uniform(0, 0.02))
        if child.poll() is not None:
            break
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
    status, report, err = finished(gatebot(server, state, "apply", str(batch), "--json"))
    assert status == 0, (seed, err)
    assert kills >= 2, f"seed {seed}: the batch was killed only {kills} times"
    assert {(r["status"], r["ok"]) for r in report["rows"]} == {("done", True)}, seed
    answers = creates(seen)
    assert answers[201] == ROWS, (seed, answers)
    assert answers[REGISTERED] == 0, f"seed {seed}: a create was sent for a registered page"
    with Journal.open(state) as journal:
        wiki_id = server.api_url
        assert journal.pending(wiki_id) == []
        done = Counter(w.page for w in journal.writes(wiki_id) if w.state == "done")
        assert done == dict.fromkeys(titles(), 1), seed
        assert all(journal.known(wiki_id, t) for t in titles())
    status, report, _ = finished(gatebot(server, state, "plan", str(batch), "--json"))
    assert (status, report["summary"]["actions"]["unchanged"]) == (0, ROWS)


def test_plan_writes_nothing_and_dry_run_is_plan(wiki, batch, tmp_path):
    server, seen = wiki
    for args in (("plan",), ("apply", "--dry-run"), ("apply", "--simulate")):
        status, report, _ = finished(gatebot(server, tmp_path / "s", *args, str(batch), "--json"))
        assert status == 0
        assert report["summary"]["actions"]["create"] == ROWS
        assert report["summary"]["statuses"]["planned"] == ROWS
    assert not [r for r in seen if r[0] in ("POST", "PUT") and "rest.php" in r[1]]


def test_a_rerun_after_a_partial_failure_sends_only_the_fixed_row_and_an_edit_is_an_update(
    wiki, tmp_path
):
    server, seen = wiki
    for title in titles(3):
        create_page(server.wiki, title, "Organizer", "An event page.")
    rows = [row(t) for t in titles(3)]
    path = write_rows(tmp_path / "events.csv", [rows[0], {**rows[1], "wikis": "ptwiki"}, rows[2]])
    status, report, _ = finished(gatebot(server, tmp_path / "s", "apply", str(path), "--json"))
    assert status == 1
    assert [r["status"] for r in report["rows"]] == ["done", "failed", "done"]
    write_rows(path, [rows[0], rows[1], {**rows[2], "end": "2027-06-01T20:00"}])
    seen.clear()
    status, report, _ = finished(gatebot(server, tmp_path / "s", "apply", str(path), "--json"))
    assert status == 0
    assert [r["action"] for r in report["rows"]] == ["unchanged", "create", "update"]
    assert report["rows"][2]["changes"] == {"end_time": ["20270601180000", "20270601200000"]}
    assert creates(seen) == {201: 1}


@pytest.mark.parametrize("kind", ["csv", "wikitable"])
def test_plan_reports_as_csv_or_wikitable_with_the_counts(wiki, batch, tmp_path, kind):
    server, _ = wiki
    child = gatebot(server, tmp_path / "s", "plan", str(batch), "--format", kind)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0
    counts = f"{ROWS} rows: {ROWS} ok, 0 with errors"
    if kind == "csv":
        lines = list(csv.reader(out.splitlines()))
        assert lines[0][:7] == ["row", "event_page", "ok", "action", "event_id", "status",
                                "changes"]  # fmt: skip
        assert lines[1][:6] == ["2", "Event:Resume 0", "yes", "create", "", "planned"]
        assert counts in err and "Actions: 40 create." in err
    else:
        assert out.startswith('{| class="wikitable sortable"')
        assert "| [[:Event:Resume 0]]\n| yes\n| create\n" in out
        assert counts in out


def on_a_terminal(server: SandboxServer, state: Path, answer: str, *args: str):
    """Run apply with stdin and stderr on a pseudo-terminal, typing `answer` at the question."""
    main_end, terminal = os.openpty()
    env = {**os.environ, "GATEBOT_USER": "Organizer@gatebot", "GATEBOT_PASSWORD": "sandbox",
           "GATEBOT_STATE_DIR": str(state), "COLUMNS": "100"}  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--wiki", server.api_url, "events", "apply", *args],
        stdin=terminal, stderr=terminal, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    while b"[y/N]" not in shown and answer:
        shown += os.read(main_end, 4096)
    os.write(main_end, answer.encode() + b"\n")
    out, _ = child.communicate(timeout=120)
    os.close(main_end)
    return child.returncode, out, shown.decode(errors="replace")


def test_on_a_terminal_apply_asks_first_and_writes_nothing_unless_told_yes(wiki, batch, tmp_path):
    server, seen = wiki
    status, out, shown = on_a_terminal(server, tmp_path / "s", "n", str(batch))
    assert status == 1
    assert f"Actions: {ROWS} create." in shown
    bar = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)  # rich's bar, without its colours
    assert re.search(rf"planned ━+ {ROWS} rows in 0:00:\d\d, [\d.,]+ rows/s", bar), bar
    assert f"{ROWS} write(s) on {server.api_url} as Organizer" in shown
    assert "not confirmed: nothing was written" in out
    assert creates(seen) == {}
    status, out, _ = on_a_terminal(server, tmp_path / "s", "y", str(batch))
    assert status == 0
    assert creates(seen) == {201: ROWS}
