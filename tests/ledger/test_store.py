"""The ledger file: private, recognisable, and honest about answers whose fate is unknown."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

import policies
from bot.ledger import (
    FILE_NAME,
    RESERVED,
    Account,
    Gate,
    Ledger,
    LedgerError,
    WikiCount,
    quota_summary,
)
from bot.ledger.verdict import Days
from bot.wiki.models import SiteInfo, UserInfo
from tests.ledger.fakes import IMAGE, SECTION, UTC, Clock, Reply, Tasks, Wiki, account

POLICY = policies.load()
NOW = datetime(2026, 7, 1, 16, 48, tzinfo=UTC)  # 18:48 in Berlin


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_ledger_is_readable_by_its_owner_only(tmp_path):
    state = tmp_path / "new" / "state"
    with Ledger.open(state) as ledger:
        gate = Gate(ledger, POLICY, account(), Tasks(), Wiki(), clock=Clock(NOW))
        gate.answer(gate.next_suggestion(), Reply("yes"))
        assert ledger.path == state / FILE_NAME
        assert mode(state) == 0o700 and mode(state.parent) == 0o700
        assert mode(ledger.path) == 0o600
        assert mode(state / f"{FILE_NAME}-wal") == 0o600
        assert mode(state / f"{FILE_NAME}.lock") == 0o600


def test_an_existing_ledger_left_world_readable_is_made_private(tmp_path):
    with Ledger.open(tmp_path):
        pass
    (tmp_path / FILE_NAME).chmod(0o644)
    with Ledger.open(tmp_path) as ledger:
        assert mode(ledger.path) == 0o600


def test_another_sqlite_file_is_refused_by_name(tmp_path):
    with sqlite3.connect(tmp_path / FILE_NAME) as other:
        other.execute("CREATE TABLE notes (text)")
    with pytest.raises(LedgerError, match="is an SQLite file but not a gatebot answers ledger"):
        Ledger.open(tmp_path)


def test_a_damaged_file_is_a_clear_error_with_what_to_do(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(LedgerError, match=r"ledger\.sqlite3 is not a usable .* move it aside"):
        Ledger.open(tmp_path)


def test_a_newer_schema_is_refused(tmp_path):
    with Ledger.open(tmp_path) as ledger:
        path = ledger.path
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(LedgerError, match="schema 99; this gatebot reads schema 1"):
        Ledger.open(tmp_path)


def test_a_settled_answer_cannot_be_settled_again(tmp_path):
    with Ledger.open(tmp_path) as ledger:
        gate = Gate(ledger, POLICY, account(), Tasks(), Wiki(), clock=Clock(NOW))
        gate.answer(gate.next_suggestion(), Reply("yes"))
        (entry,) = ledger.entries(account(), Days.of(POLICY, account(), NOW).user)
        with pytest.raises(LedgerError, match=f"row {entry.id} is not an open reservation"):
            ledger.release(entry.id, now=NOW, note="late")


DIES_WHILE_SENDING = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime, timezone
    import policies
    from bot.ledger import Gate, Ledger
    from tests.ledger.fakes import Clock, Reply, Tasks, account

    class DiesWhileSending:
        def submit(self, task, answer):
            os._exit(9)

    ledger = Ledger.open(sys.argv[1])
    now = datetime(2026, 7, 1, 16, 48, tzinfo=timezone.utc)
    gate = Gate(ledger, policies.load(), account(), Tasks(), DiesWhileSending(), clock=Clock(now))
    gate.answer(gate.next_suggestion(), Reply("yes"))
    """
)


def test_a_process_that_dies_while_sending_leaves_a_counted_visible_reservation(tmp_path):
    died = subprocess.run(
        [sys.executable, "-c", DIES_WHILE_SENDING, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert died.returncode == 9
    with Ledger.open(tmp_path) as ledger:
        verdict = quota_summary(ledger, POLICY, account(), IMAGE, now=NOW)
        assert (verdict.count, verdict.unsettled, verdict.remaining) == (1, 1, 24)
        (stale,) = ledger.unsettled(account(), Days.of(POLICY, account(), NOW).user)
        assert stale.state == RESERVED and not stale.outcome_unknown
        assert stale.pid != os.getpid() and stale.settled_at is None


def test_the_quota_summary_for_images_quota(tmp_path):
    """Another machine did 2 before this one's 3: the wiki's count, topped up, is the larger."""
    clock = Clock(NOW)
    counts = {IMAGE: WikiCount(2, False, NOW), SECTION: WikiCount(0, False, NOW)}
    with Ledger.open(tmp_path) as ledger:
        gate = Gate(ledger, POLICY, account(), Tasks(counts), Wiki(), clock=clock)
        for _ in range(3):
            clock.advance(seconds=20)
            gate.answer(gate.next_suggestion(), Reply("no"))
        summary = quota_summary(ledger, POLICY, account(), IMAGE, now=clock.now,
                                wiki_count=counts.__getitem__)  # fmt: skip
    assert summary.as_json() == {
        "task_type": IMAGE,
        "open": True,
        "count": 5,
        "limit": 25,
        "remaining": 20,
        "local_count": 3,
        "wiki_count": 5,
        "wiki_reported": 2,
        "source": "wiki",
        "closed_by": None,
        "day_start": "2026-07-01T00:00:00+02:00",
        "zone": "Europe/Berlin",
        "resets_at": "2026-07-02T00:00:00+02:00",
        "reset_zone": "Europe/Berlin",
        "reset_text": "resets at 00:00 Europe/Berlin, in 5 h 11 min",
        "unsettled": 0,
        "open_task_types": [],
    }
    assert summary.message() == "image-recommendation: 5 of 25 today, 20 left."
    assert summary.source_text() == "from the wiki's count (this machine's ledger has 3)"


def test_an_unwritable_state_folder_is_a_clear_error(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(LedgerError, match=r"Cannot open the answers ledger .*--state-dir"):
        Ledger.open(blocked / "state")


def test_the_account_comes_from_the_wikis_userinfo_and_siteinfo():
    info = UserInfo.from_api(
        {"id": 42, "name": "Volunteer", "options": {"timecorrection": "Offset|330"}}
    )
    site = SiteInfo.from_api(
        {"general": {"wikiid": "enwiki", "server": "https://en.wikipedia.org",
                     "scriptpath": "/w", "timezone": "UTC"}}
    )  # fmt: skip
    assert Account.from_wiki(info, site) == Account(
        "https://en.wikipedia.org/w", 42, "Volunteer", "Offset|330", "UTC"
    )
