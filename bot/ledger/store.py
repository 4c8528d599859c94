"""The answers ledger on disk: one SQLite row per answer, reserved before it is sent.

`<state_dir>/ledger.sqlite3` (0600, folder 0700), WAL mode. A reservation is on disk (fsync)
before its answer is sent and counts from the moment it is written: the count of a user's day
and the insert of the new row happen in one `BEGIN IMMEDIATE` transaction, so any number of
processes of one user on one machine never reserve more than the limit together. Rows are
settled afterwards: `committed` after the wiki took the answer, `released` after a definite
failure; a row whose outcome is unknown, or whose process died while sending, stays `reserved`
and keeps counting (the answer may have reached the wiki) until its day is over.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.ledger.records import (
    COMMITTED,
    RELEASED,
    RESERVED,
    Account,
    Entry,
    Tally,
    Window,
    entry_of,
    stamp,
)
from bot.wiki.session import private_dir
from policies.daily_limits import ACCEPTED, REJECTED, SKIPPED, GateState, UserDay
from policies.errors import GatebotError

FILE_NAME = "ledger.sqlite3"
LOCK_NAME = FILE_NAME + ".lock"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x6C656467  # "ledg": tells a gatebot ledger from any other SQLite file

_SCHEMA = f"""
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    wiki TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    task_type TEXT NOT NULL,
    title TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('{ACCEPTED}', '{REJECTED}', '{SKIPPED}')),
    state TEXT NOT NULL CHECK (state IN ('{RESERVED}', '{COMMITTED}', '{RELEASED}')),
    day TEXT NOT NULL,
    day_zone TEXT NOT NULL,
    day_start TEXT NOT NULL,
    day_end TEXT NOT NULL,
    at TEXT NOT NULL,
    settled_at TEXT,
    outcome_unknown INTEGER NOT NULL DEFAULT 0,
    wiki_warning INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    session TEXT NOT NULL,
    pid INTEGER NOT NULL
);
CREATE INDEX answers_by_day ON answers (wiki, user_id, task_type, at);
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"""
_COLUMNS = (
    "id, wiki, user_id, user_name, task_type, title, outcome, state, day, day_zone, day_start, "
    "day_end, at, settled_at, outcome_unknown, wiki_warning, note, session, pid"
)


class LedgerError(GatebotError):
    """The ledger file cannot be used (not a gatebot ledger, damaged, newer) or was misused."""


def new_session_id() -> str:
    """A random id naming one session's rows (with its process id) in the ledger."""
    return uuid.uuid4().hex


class Ledger:
    """The open ledger file; every method is one short transaction. One Ledger may be shared by
    the threads of a session (a prefetcher checks while the answer is sent): they take turns."""

    def __init__(self, connection: sqlite3.Connection, path: Path, lock: int):
        self._db = connection
        self._turn = threading.Lock()
        self._lock = lock
        self._durable = True
        self.path = path

    @classmethod
    def open(cls, state_dir: str | Path, *, busy_timeout: float = 30.0) -> Ledger:
        """Open (or create) `<state_dir>/ledger.sqlite3`, owner-only; LedgerError if unusable."""
        path = Path(state_dir) / FILE_NAME
        try:
            private_dir(path.parent)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            path.chmod(0o600)
            lock = os.open(path.with_name(LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise LedgerError(
                f"Cannot open the answers ledger {path}: {error.strerror}. Check that the state "
                "folder (--state-dir or GATEBOT_STATE_DIR) is yours and writable."
            ) from None
        connection = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        ledger = cls(connection, path, lock)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            ledger._prepare()
        except sqlite3.DatabaseError as error:
            ledger.close()
            raise LedgerError(
                f"{path} is not a usable gatebot ledger ({error}); move it aside and run again "
                "(a new ledger starts empty, so today's earlier answers count only on the wiki)."
            ) from None
        return ledger

    def _prepare(self) -> None:
        """Create the schema in a new file; refuse a file that is not this ledger's version."""
        with self._write() as db:
            application = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if application == 0 and version == 0 and tables == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                return
        if application != APPLICATION_ID:
            raise LedgerError(f"{self.path} is an SQLite file but not a gatebot answers ledger.")
        if version != SCHEMA_VERSION:
            raise LedgerError(
                f"{self.path} has ledger schema {version}; this gatebot reads schema "
                f"{SCHEMA_VERSION}. Use the gatebot that wrote it, or move the file aside."
            )

    def close(self) -> None:
        with self._turn:
            self._db.close()
            os.close(self._lock)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is read.

        Writers first queue on a lock file: the kernel wakes the next one the moment the lock is
        free, where SQLite's busy handler would poll with growing sleeps (up to 100 ms each).
        A durable commit is on disk when it returns (fsync); the others may be lost to a power
        cut until the next durable one, which is only ever safe: settling a reservation or
        noting a skip, lost, leaves the answer counted.
        """
        with self._turn:
            fcntl.flock(self._lock, fcntl.LOCK_EX)
            try:
                if durable != self._durable:
                    self._db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                    self._durable = durable
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                fcntl.flock(self._lock, fcntl.LOCK_UN)

    def tally(self, window: Window) -> Tally:
        """The counts of one window, read in one consistent snapshot."""
        with self._turn:
            return self._tally(self._db, window)

    @staticmethod
    def _tally(db: sqlite3.Connection, window: Window) -> Tally:
        counted = sorted(window.counted)
        marks = ", ".join(f":o{i}" for i in range(len(counted))) or "NULL"
        day, wiki_day, account = window.day, window.wiki_day, window.account
        params: dict[str, Any] = {f"o{i}": outcome for i, outcome in enumerate(counted)}
        params.update(
            wiki=account.wiki,
            user=account.user_id,
            task=window.task_type,
            ds=stamp(day.start),
            de=stamp(day.end),
            ws=stamp(wiki_day.start),
            we=stamp(wiki_day.end),
            lo=stamp(min(day.start, wiki_day.start)),
            hi=stamp(max(day.end, wiki_day.end)),
            asof=stamp(window.wiki_as_of) if window.wiki_as_of else None,
            by=stamp(window.wiki_read_by) if window.wiki_read_by else None,
        )
        live = f"state != '{RELEASED}' AND outcome IN ({marks})"
        of_wiki_day = f"{live} AND at >= :ws AND at < :we AND :asof IS NOT NULL"
        row = db.execute(
            f"""SELECT
                coalesce(sum({live} AND at >= :ds AND at < :de), 0),
                coalesce(sum({of_wiki_day} AND (settled_at IS NULL OR settled_at >= :asof)), 0),
                coalesce(max(wiki_warning AND at >= :ws AND at < :we), 0),
                coalesce(sum(state = '{RESERVED}' AND at >= :ds AND at < :de), 0),
                coalesce(sum({of_wiki_day} AND :by IS NOT NULL AND at >= :by), 0)
            FROM answers
            WHERE wiki = :wiki AND user_id = :user AND task_type = :task
              AND at >= :lo AND at < :hi""",
            params,
        ).fetchone()
        return Tally(
            local=row[0], unseen_by_wiki=row[1], warned=bool(row[2]), unsettled=row[3],
            unseen_for_sure=row[4],
        )  # fmt: skip

    def reserve(
        self,
        window: Window,
        title: str,
        outcome: str,
        *,
        now: datetime,
        session: str,
        decide: Callable[[Tally], GateState],
    ) -> int | None:
        """Count the window, ask `decide`, and insert a reservation if it says open: atomically.

        Returns the new row's id, or None when the gate was closed.
        """
        with self._write() as db:
            if not decide(self._tally(db, window)).open:
                return None
            cursor = db.execute(
                "INSERT INTO answers (wiki, user_id, user_name, task_type, title, outcome, state, "
                "day, day_zone, day_start, day_end, at, session, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*self._row_head(window, title, outcome, RESERVED), stamp(now), session,
                 os.getpid()),
            )  # fmt: skip
            return cursor.lastrowid

    def record_skip(self, window: Window, title: str, *, now: datetime, session: str) -> int | None:
        """Note a skip (nothing is sent, nothing counted) for the session's report."""
        with self._write(durable=False) as db:
            cursor = db.execute(
                "INSERT INTO answers (wiki, user_id, user_name, task_type, title, outcome, state, "
                "day, day_zone, day_start, day_end, at, settled_at, session, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*self._row_head(window, title, SKIPPED, COMMITTED), stamp(now), stamp(now),
                 session, os.getpid()),
            )  # fmt: skip
            return cursor.lastrowid

    @staticmethod
    def _row_head(window: Window, title: str, outcome: str, state: str) -> tuple[Any, ...]:
        account, day = window.account, window.day
        local_date = day.start.astimezone(day.tz).date().isoformat()
        return (
            account.wiki, account.user_id, account.user_name, window.task_type, title, outcome,
            state, local_date, day.zone, stamp(day.start), stamp(day.end),
        )  # fmt: skip

    def commit(self, entry_id: int, *, now: datetime, wiki_warning: bool = False) -> None:
        """The wiki took the answer; `wiki_warning` records its "daily tasks exceeded" warning."""
        self._settle(
            entry_id, "state = ?, settled_at = ?, wiki_warning = ?",
            (COMMITTED, stamp(now), int(wiki_warning)),
        )  # fmt: skip

    def release(self, entry_id: int, *, now: datetime, note: str) -> None:
        """The answer definitely did not reach the wiki: its slot is free again."""
        self._settle(entry_id, "state = ?, settled_at = ?, note = ?", (RELEASED, stamp(now), note))

    def mark_unknown(self, entry_id: int, *, now: datetime, note: str) -> None:
        """The answer may have reached the wiki: it stays reserved, and so counted, all day."""
        self._settle(entry_id, "outcome_unknown = 1, settled_at = ?, note = ?", (stamp(now), note))

    def _settle(self, entry_id: int, changes: str, values: tuple[Any, ...]) -> None:
        with self._write(durable=False) as db:
            cursor = db.execute(
                f"UPDATE answers SET {changes} WHERE id = ? AND state = '{RESERVED}' "
                "AND outcome_unknown = 0",
                (*values, entry_id),
            )
        if cursor.rowcount != 1:
            raise LedgerError(f"Ledger row {entry_id} is not an open reservation.")

    def entries(
        self, account: Account, day: UserDay, *, task_type: str | None = None
    ) -> list[Entry]:
        """The user's rows of a day (all states, skips too), oldest first."""
        query = (
            f"SELECT {_COLUMNS} FROM answers WHERE wiki = ? AND user_id = ? AND at >= ? AND at < ?"
        )
        params: list[Any] = [account.wiki, account.user_id, stamp(day.start), stamp(day.end)]
        if task_type is not None:
            query += " AND task_type = ?"
            params.append(task_type)
        with self._turn:
            rows = self._db.execute(query + " ORDER BY at, id", params).fetchall()
        return [entry_of(row) for row in rows]

    def answered(self, account: Account, title: str) -> Entry | None:
        """The user's last yes/no answer on `title` that the wiki took (any day, any task type),
        so a re-run of an answers file never sends it again. An answer whose outcome is unknown
        is not one until the wiki's log shows it (`unknowns`, `confirm`)."""
        query = (
            f"SELECT {_COLUMNS} FROM answers WHERE wiki = ? AND user_id = ? AND title = ? "
            f"AND state = '{COMMITTED}' AND outcome IN (?, ?) ORDER BY at DESC, id DESC LIMIT 1"
        )
        with self._turn:
            row = self._db.execute(
                query, (account.wiki, account.user_id, title, ACCEPTED, REJECTED)
            ).fetchone()
        return entry_of(row) if row is not None else None

    def unknowns(self, account: Account, *, since: datetime) -> list[Entry]:
        """The user's yes/no answers of unknown outcome (still reserved, so counted) sent since
        `since`, oldest first: the wiki's log may tell what became of them."""
        query = (
            f"SELECT {_COLUMNS} FROM answers WHERE wiki = ? AND user_id = ? AND at >= ? "
            f"AND state = '{RESERVED}' AND outcome_unknown = 1 AND outcome IN (?, ?) "
            "ORDER BY at, id"
        )
        with self._turn:
            rows = self._db.execute(
                query, (account.wiki, account.user_id, stamp(since), ACCEPTED, REJECTED)
            ).fetchall()
        return [entry_of(row) for row in rows]

    def taken(self, account: Account, title: str, outcome: str, *, since: datetime) -> int:
        """How many of the user's `outcome` answers on `title` sent since `since` the wiki took:
        log rows that an answer of unknown outcome cannot claim."""
        query = (
            "SELECT count(*) FROM answers WHERE wiki = ? AND user_id = ? AND title = ? "
            f"AND outcome = ? AND state = '{COMMITTED}' AND at >= ?"
        )
        with self._turn:
            (count,) = self._db.execute(
                query, (account.wiki, account.user_id, title, outcome, stamp(since))
            ).fetchone()
        return int(count)

    def confirm(self, entry_id: int, *, now: datetime, note: str) -> None:
        """An answer of unknown outcome is in the wiki's log: it was taken (committed)."""
        self._resolve(entry_id, COMMITTED, now, note)

    def dismiss(self, entry_id: int, *, now: datetime, note: str) -> None:
        """An answer of unknown outcome provably never reached the wiki: its slot is free."""
        self._resolve(entry_id, RELEASED, now, note)

    def _resolve(self, entry_id: int, state: str, now: datetime, note: str) -> None:
        with self._write(durable=False) as db:
            cursor = db.execute(
                "UPDATE answers SET state = ?, settled_at = ?, note = ? "
                f"WHERE id = ? AND state = '{RESERVED}' AND outcome_unknown = 1",
                (state, stamp(now), note, entry_id),
            )
        if cursor.rowcount != 1:
            raise LedgerError(f"Ledger row {entry_id} is not an answer of unknown outcome.")

    def in_flight(self, window: Window) -> list[int]:
        """The process ids of the window's answers sent before the wiki's count was read whose
        outcome has not come back: once they have, a new read of the count holds them or not."""
        query = (
            f"SELECT pid FROM answers WHERE wiki = ? AND user_id = ? AND task_type = ? "
            f"AND state = '{RESERVED}' AND settled_at IS NULL AND at >= ? AND at < ?"
        )
        day = window.wiki_day
        end = min(day.end, window.wiki_read_by) if window.wiki_read_by else day.end
        params = (window.account.wiki, window.account.user_id, window.task_type,
                  stamp(day.start), stamp(end))  # fmt: skip
        with self._turn:
            return [pid for (pid,) in self._db.execute(query, params)]

    def unsettled(self, account: Account, day: UserDay) -> list[Entry]:
        """Reservations of the day still open: in flight, outcome unknown, or left by a dead
        process. They count until the day ends, since each answer may have reached the wiki."""
        return [entry for entry in self.entries(account, day) if entry.state == RESERVED]
