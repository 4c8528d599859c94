"""The batch journal: killed at any moment, the next apply finishes the work exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.journal import NOT_APPLIED, Journal, JournalBusy, Known, fingerprint, store
from policies.errors import InputError
from tests.journal.applier import TOKEN, WIKI, FileWiki

ROOT = Path(__file__).resolve().parents[2]
ROWS: list[dict[str, Any]] = [
    {"page": f"Event:Walk {n}", "participation": "online"} for n in range(1, 6)
]


def applier(tmp_path: Path, *options: str) -> subprocess.Popen[str]:
    """Start the child apply loop on tmp_path's state, wiki and rows files."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.journal.applier", str(tmp_path / "state"),
         str(tmp_path / "wiki.jsonl"), str(tmp_path / "rows.json"), *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def apply(tmp_path: Path, rows: list[dict], *options: str) -> int:
    (tmp_path / "rows.json").write_text(json.dumps(rows))
    child = applier(tmp_path, *options)
    _, err = child.communicate(timeout=60)
    assert "Traceback" not in err, err
    return child.returncode


def known(journal: Journal, page: str) -> Known:
    """What the journal holds for a page that the test expects it to know."""
    found = journal.known(WIKI, page)
    assert found is not None, page
    return found


def creates_per_page(tmp_path: Path) -> Counter[str]:
    wiki = FileWiki(tmp_path / "wiki.jsonl")
    return Counter(line["page"] for line in wiki.log() if line["action"] == "create")


def test_killed_after_the_post_and_before_the_journal_update_leaves_a_sending_write(tmp_path):
    assert apply(tmp_path, ROWS[:3], "--crash", "2:after-post") == -signal.SIGKILL
    with Journal.open(tmp_path / "state") as journal:
        [open_write] = journal.pending(WIKI)
        assert (open_write.page, open_write.action, open_write.state) == (
            "Event:Walk 2",
            "create",
            "sending",
        )
        assert open_write.source == str(tmp_path / "rows.json") and open_write.source_row == 3
        assert journal.known(WIKI, "Event:Walk 1") is not None
        assert journal.known(WIKI, "Event:Walk 2") is None  # the wiki has it, the journal not yet


def test_a_write_killed_from_outside_between_begin_and_finish_stays_open(tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps(ROWS[:1]))
    child = applier(tmp_path, "--hold", "60")
    assert child.stdout is not None and child.stdout.readline() == "locked\n"
    with Journal.open(tmp_path / "state") as journal:
        with pytest.raises(JournalBusy):  # the child holds the run lock
            journal.run(WIKI).__enter__()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        with journal.run(WIKI) as run:  # the lock died with its process
            write = run.begin("Event:Walk 1", "create", {"token": TOKEN}, row=2)
        assert [w.state for w in journal.pending(WIKI)] == ["sending"]
        with journal.run(WIKI) as run:
            done = run.reconcile(write, event_id=7)
        assert done.state == "done" and journal.pending(WIKI) == []
        assert known(journal, "Event:Walk 1").event_id == 7


@pytest.mark.parametrize(
    "point", ["before-begin", "after-begin", "after-post", "after-finish", "timeout"]
)
def test_killed_mid_batch_the_next_apply_creates_every_event_exactly_once(tmp_path, point):
    first = apply(tmp_path, ROWS, "--crash", f"3:{point}")
    assert first == (0 if point == "timeout" else -signal.SIGKILL)
    assert apply(tmp_path, ROWS) == 0
    assert creates_per_page(tmp_path) == Counter(row["page"] for row in ROWS)
    with Journal.open(tmp_path / "state") as journal:
        assert journal.pending(WIKI) == []
        ids = [known(journal, row["page"]).event_id for row in ROWS]
        assert sorted(ids) == [1, 2, 3, 4, 5]
        outcomes = Counter(write.state for write in journal.writes(WIKI))
    # a write recorded but never sent is settled as not applied, then sent once more
    assert outcomes == ({"done": 5, "failed": 1} if point == "after-begin" else {"done": 5})
    assert apply(tmp_path, ROWS) == 0  # a third run finds nothing to do
    assert len(FileWiki(tmp_path / "wiki.jsonl").log()) == 5


def test_killed_from_outside_at_random_moments_the_batch_still_ends_exactly_once(tmp_path):
    rows = [{"page": f"Event:Meetup {n}", "participation": "online"} for n in range(40)]
    (tmp_path / "rows.json").write_text(json.dumps(rows))
    moments = random.Random(8).sample(range(0, 200), 8)  # ms after the lock is taken
    for delay in moments:
        child = applier(tmp_path, "--pace", "0.004")
        assert child.stdout is not None and child.stdout.readline() == "locked\n"
        time.sleep(delay / 1000)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert apply(tmp_path, rows) == 0
    assert creates_per_page(tmp_path) == Counter(row["page"] for row in rows)
    with Journal.open(tmp_path / "state") as journal:
        assert journal.pending(WIKI) == []


def test_rerun_after_a_partial_failure_sends_only_the_fixed_row(tmp_path):
    rows = [dict(row) for row in ROWS]
    rows[1]["refuse"] = True
    assert apply(tmp_path, rows) == 0
    with Journal.open(tmp_path / "state") as journal:
        states = {w.page: (w.state, w.error_key) for w in journal.writes(WIKI)}
    assert states["Event:Walk 2"] == ("failed", "campaignevents-error-invalid-title")
    assert sum(state == "done" for state, _ in states.values()) == 4
    del rows[1]["refuse"]
    assert apply(tmp_path, rows) == 0
    log = FileWiki(tmp_path / "wiki.jsonl").log()
    assert [line["page"] for line in log][-1] == "Event:Walk 2" and len(log) == 5
    assert creates_per_page(tmp_path) == Counter(row["page"] for row in ROWS)


def test_a_row_edited_between_runs_is_updated_not_skipped_nor_created_again(tmp_path):
    assert apply(tmp_path, ROWS) == 0
    edited = [dict(row) for row in ROWS]
    edited[3]["participation"] = "hybrid"
    assert apply(tmp_path, edited) == 0
    log = FileWiki(tmp_path / "wiki.jsonl").log()
    assert len(log) == 6
    assert (log[-1]["action"], log[-1]["page"], log[-1]["id"]) == ("update", "Event:Walk 4", 4)
    with Journal.open(tmp_path / "state") as journal:
        written = known(journal, "Event:Walk 4")
        assert (
            written.fingerprint
            == fingerprint({"token": TOKEN, **edited[3]})
            != fingerprint({"token": TOKEN, **ROWS[3]})
        )
        assert written.action == "update"


def test_the_journal_of_an_interrupted_update_is_reconciled_by_content(tmp_path):
    assert apply(tmp_path, ROWS) == 0
    edited = [dict(row) for row in ROWS]
    edited[0]["participation"] = "hybrid"
    assert apply(tmp_path, edited, "--crash", "1:after-begin") == -signal.SIGKILL
    assert apply(tmp_path, edited) == 0  # the wiki still has the old content: update again
    log = FileWiki(tmp_path / "wiki.jsonl").log()
    assert [line["action"] for line in log] == ["create"] * 5 + ["update"]
    with Journal.open(tmp_path / "state") as journal:
        failed = [w for w in journal.writes(WIKI) if w.state == "failed"]
    assert [(w.action, w.error_key) for w in failed] == [("update", NOT_APPLIED)]


def test_two_applies_racing_for_one_wiki_one_waits_out_with_the_holders_pid(tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps(ROWS))
    children = [applier(tmp_path, "--hold", "2") for _ in range(2)]
    results = [(child.communicate(timeout=60), child.returncode, child.pid) for child in children]
    codes = sorted(code for _, code, _ in results)
    assert codes == [0, 2]
    winner = next(pid for _, code, pid in results if code == 0)
    loser_err = next(err for (_, err), code, _ in results if code == 2)
    assert f"another gatebot apply is running for {WIKI} (pid {winner})" in loser_err
    assert creates_per_page(tmp_path) == Counter(row["page"] for row in ROWS)


def test_another_wiki_is_not_blocked_by_a_running_apply(tmp_path):
    with Journal.open(tmp_path) as journal, journal.run(WIKI):
        with journal.run("https://meta.wikimedia.org/w/api.php") as other:
            other.begin("Event:X", "create", {})
        with pytest.raises(JournalBusy, match=f"running for {WIKI} \\(pid {os.getpid()}\\)"):
            journal.run(WIKI).__enter__()


def test_journal_files_are_readable_by_the_owner_only(tmp_path):
    old = os.umask(0)
    try:
        with Journal.open(tmp_path / "state") as journal, journal.run(WIKI) as run:
            run.begin("Event:X", "create", {"token": TOKEN})
            state = tmp_path / "state"
            files = [state / "journal.sqlite3", state / "journal.sqlite3-wal",
                     state / "journal.sqlite3-shm", *(state / "locks").iterdir()]  # fmt: skip
            assert {oct(path.stat().st_mode & 0o777) for path in files} == {"0o600"}
            folders = [state, state / "locks"]
            assert {oct(path.stat().st_mode & 0o777) for path in folders} == {"0o700"}
    finally:
        os.umask(old)


def test_no_token_ever_reaches_the_journal(tmp_path):
    state = tmp_path / "state"
    with Journal.open(state) as journal, journal.run(WIKI) as run:
        write = run.begin("Event:X", "create", {"token": TOKEN, "event_page": "Event:X"})
        run.finish(write, 1)
        stored = b"".join(path.read_bytes() for path in state.glob("journal.sqlite3*"))
    assert TOKEN.encode() not in stored and b"secret-csrf" not in stored
    assert fingerprint({"token": "a", "x": 1, "y": [2]}) == fingerprint({"y": [2], "x": 1})


def test_a_write_is_settled_once(tmp_path):
    with Journal.open(tmp_path) as journal, journal.run(WIKI) as run:
        write = run.begin("Event:X", "create", {})
        run.finish(write, 3)
        with pytest.raises(ValueError, match="not open"):
            run.fail(write, "campaignevents-error-x", "late")
        assert known(journal, "Event:X").event_id == 3


def test_a_page_whose_write_is_unknown_cannot_be_sent_again_before_a_read_back(tmp_path):
    with Journal.open(tmp_path) as journal, journal.run(WIKI) as run:
        write = run.unknown(run.begin("Event:X", "create", {}), "timed out")
        with pytest.raises(ValueError, match="Event:X: write 1 is still unknown; reconcile"):
            run.begin("Event:X", "create", {})
        run.reconcile(write, None)
        assert run.begin("Event:X", "create", {}).state == "sending"


def test_a_create_keeps_as_floor_the_highest_event_id_it_was_given_or_the_journal_knows(tmp_path):
    with Journal.open(tmp_path) as journal, journal.run(WIKI) as run:
        assert run.begin("Event:A", "create", {}).floor is None  # nothing known yet
        run.finish(journal.pending(WIKI)[0], 40)
        assert run.begin("Event:B", "create", {}, floor=12).floor == 40
        assert run.begin("Event:C", "create", {}, floor=55).floor == 55
        assert run.begin("Event:A", "update", {}, event_id=40).floor is None
        assert [w.floor for w in journal.pending(WIKI)] == [40, 55, None]


def test_a_journal_of_schema_1_is_upgraded_in_place_and_its_open_write_settled(tmp_path):
    schema_1 = store.SCHEMA.replace(", floor INTEGER", "")
    assert schema_1 != store.SCHEMA
    with sqlite3.connect(tmp_path / "journal.sqlite3") as old:
        old.executescript(schema_1)
        old.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
        old.execute("PRAGMA user_version = 1")
        old.execute("INSERT INTO runs VALUES ('r1', ?, NULL, 1, '2026-01-01', NULL)", (WIKI,))
        old.execute("INSERT INTO events VALUES (?, 'Event:Old', 9, 'f', 'create', '2026')", (WIKI,))
        old.execute(
            "INSERT INTO writes (run, wiki, page, action, fingerprint, state, started_at)"
            " VALUES ('r1', ?, 'Event:Cut', 'create', 'f', 'sending', '2026')",
            (WIKI,),
        )
    old.close()
    with Journal.open(tmp_path) as journal:
        [cut] = journal.pending(WIKI)
        assert (cut.page, cut.state, cut.floor) == ("Event:Cut", "sending", None)
        with journal.run(WIKI) as run:
            run.reconcile(cut, 10)
            assert run.begin("Event:New", "create", {}).floor == 10
        assert known(journal, "Event:Old").event_id == 9
    with sqlite3.connect(tmp_path / "journal.sqlite3") as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 2
    upgraded.close()
    Journal.open(tmp_path).close()  # opened again: nothing left to upgrade


def test_a_state_folder_that_is_a_file_is_an_input_error(tmp_path):
    (tmp_path / "state").write_text("")
    with pytest.raises(InputError, match=f"^{tmp_path / 'state'}: cannot keep the journal here"):
        Journal.open(tmp_path / "state")


def test_a_damaged_journal_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputError, match=f"^{path}: the journal cannot be read .*Move it away"):
        Journal.open(tmp_path)


def test_a_foreign_sqlite_file_is_not_taken_for_a_journal(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    other.close()
    with pytest.raises(InputError, match=f"^{path}: this SQLite file is not a gatebot journal"):
        Journal.open(tmp_path)


def test_a_journal_from_a_newer_gatebot_says_so(tmp_path):
    Journal.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "journal.sqlite3") as newer:
        newer.execute("PRAGMA user_version = 99")
    newer.close()
    with pytest.raises(InputError, match="written by a newer gatebot \\(schema 99"):
        Journal.open(tmp_path)
