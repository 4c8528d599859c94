"""The batch journal of `gatebot events apply`: every write recorded before and after it is sent.

One SQLite file, `<state_dir>/journal.sqlite3` (0600, folder 0700), in WAL mode with
`synchronous=FULL`: a record is on disk before the request leaves and again after the answer,
so a run killed at any moment leaves either nothing, a `sending` write (the request may or may
not have reached the wiki) or a finished one. The next run reconciles the open ones by reading
back, so no registration is made twice and no row is lost. Only a fingerprint of each request
body is kept, never the body, its token or cookies.

    journal = Journal.open(state_dir)
    with journal.run(wiki, source="events.csv") as run:   # one apply per wiki at a time
        for write in run.pending():                       # left open by a killed run
            run.reconcile(write, event_id=...)            # read back: the id found, or None
        write = run.begin(page, "create", body, row=12)
        ... POST ...
        run.finish(write, event_id=42)   # or run.fail(write, key, text) / run.unknown(write, why)
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.wiki.session import private_dir
from policies.errors import GatebotError, InputError

SCHEMA_VERSION = 1
APPLICATION_ID = 0x67617465  # "gate": tells a gatebot journal from any other SQLite file
FILE_NAME = "journal.sqlite3"
ACTIONS = ("create", "update", "stats")
SENDING, DONE, FAILED, UNKNOWN = "sending", "done", "failed", "unknown"
NOT_APPLIED = "gatebot-write-not-applied"  # error key of a write the read-back did not find
SECRET_KEYS = frozenset({"token"})

_SCHEMA = """
CREATE TABLE runs (
    id TEXT PRIMARY KEY, wiki TEXT NOT NULL, source TEXT, pid INTEGER NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT
);
CREATE TABLE events (
    wiki TEXT NOT NULL, page TEXT NOT NULL, event_id INTEGER NOT NULL,
    fingerprint TEXT NOT NULL, action TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (wiki, page)
);
CREATE TABLE writes (
    id INTEGER PRIMARY KEY, run TEXT NOT NULL REFERENCES runs (id), wiki TEXT NOT NULL,
    page TEXT NOT NULL, action TEXT NOT NULL CHECK (action IN ('create', 'update', 'stats')),
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'done', 'failed', 'unknown')),
    event_id INTEGER, error_key TEXT, error_message TEXT, source TEXT, source_row INTEGER,
    started_at TEXT NOT NULL, ended_at TEXT
);
CREATE INDEX writes_open ON writes (wiki, state) WHERE state IN ('sending', 'unknown');
"""
_WRITE_COLUMNS = (
    "id, run, wiki, page, action, fingerprint, state, event_id, error_key, error_message, "
    "source, source_row, started_at, ended_at"
)


class JournalBusy(GatebotError):
    """Another process holds the run lock of this wiki (its pid when known)."""


@dataclass(frozen=True)
class Write:
    """One attempted write as the journal holds it."""

    id: int
    run: str
    wiki: str
    page: str
    action: str
    fingerprint: str
    state: str
    event_id: int | None
    error_key: str | None
    error_message: str | None
    source: str | None
    source_row: int | None
    started_at: str
    ended_at: str | None


@dataclass(frozen=True)
class Known:
    """What the last successful write left for a page: its event id and content fingerprint."""

    event_id: int
    fingerprint: str
    action: str
    updated_at: str


def fingerprint(body: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a request body without its token: same content, same
    fingerprint, whatever the key order; a row edited between runs gets another one."""
    content = {key: value for key, value in body.items() if key not in SECRET_KEYS}
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Journal:
    """The open journal file; `run()` takes a wiki's run lock for writing, lookups need none."""

    def __init__(self, path: Path, connection: sqlite3.Connection, clock: Callable[[], datetime]):
        self.path, self._db, self._clock = path, connection, clock

    @classmethod
    def open(cls, state_dir: Path, *, clock: Callable[[], datetime] = _utc_now) -> Journal:
        """Open (or create) `<state_dir>/journal.sqlite3`; InputError naming the file when it is
        damaged, not a gatebot journal, or written by a newer gatebot."""
        folder = private_dir(Path(state_dir))
        path = folder / FILE_NAME
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        path.chmod(0o600)
        connection = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        try:
            _prepare(connection, path)
        except BaseException:
            connection.close()
            raise
        return cls(path, connection, clock)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def run(self, wiki: str, *, source: str | None = None) -> Iterator[Run]:
        """Hold the wiki's run lock for one apply; JournalBusy at once if another process has it.

        The lock is an `flock` on `<state_dir>/locks/…`: it dies with its process, so a killed
        apply never blocks the next one.
        """
        lock = _RunLock.acquire(self.path.parent, wiki)
        try:
            run = Run(self, wiki, source)
            with self._transaction():
                self._db.execute(
                    "INSERT INTO runs (id, wiki, source, pid, started_at) VALUES (?, ?, ?, ?, ?)",
                    (run.id, wiki, source, os.getpid(), self._now()),
                )
            yield run
            with self._transaction():
                self._db.execute("UPDATE runs SET ended_at = ? WHERE id = ?", (self._now(), run.id))
        finally:
            lock.release()

    def known(self, wiki: str, page: str) -> Known | None:
        """The event id and content the journal last wrote for `page` on `wiki`, if any."""
        with self._transaction(write=False):
            found = self._db.execute(
                "SELECT event_id, fingerprint, action, updated_at FROM events "
                "WHERE wiki = ? AND page = ?",
                (wiki, page),
            ).fetchone()
        return Known(*found) if found else None

    def pending(self, wiki: str) -> list[Write]:
        """Writes on `wiki` whose outcome is not known (`sending`, `unknown`), oldest first."""
        with self._transaction(write=False):
            rows = self._db.execute(
                f"SELECT {_WRITE_COLUMNS} FROM writes WHERE wiki = ? "
                "AND state IN ('sending', 'unknown') ORDER BY id",
                (wiki,),
            ).fetchall()
        return [Write(*row) for row in rows]

    def writes(self, wiki: str) -> list[Write]:
        """Every write recorded on `wiki`, oldest first (for reports and tests)."""
        with self._transaction(write=False):
            rows = self._db.execute(
                f"SELECT {_WRITE_COLUMNS} FROM writes WHERE wiki = ? ORDER BY id", (wiki,)
            ).fetchall()
        return [Write(*row) for row in rows]

    def _now(self) -> str:
        return self._clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[None]:
        """One transaction (`BEGIN IMMEDIATE` for writes); SQLite's errors said as the file's."""
        try:
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise _journal_error(self.path, error) from None


class Run:
    """One apply of one wiki under its run lock: records each write before and after it."""

    def __init__(self, journal: Journal, wiki: str, source: str | None):
        self.journal, self.wiki, self.source = journal, wiki, source
        self.id = uuid.uuid4().hex

    def known(self, page: str) -> Known | None:
        return self.journal.known(self.wiki, page)

    def pending(self) -> list[Write]:
        return self.journal.pending(self.wiki)

    def begin(
        self,
        page: str,
        action: str,
        body: Mapping[str, Any],
        *,
        event_id: int | None = None,
        row: int | None = None,
    ) -> Write:
        """Record a write as `sending`, durably, before its request is sent."""
        if action not in ACTIONS:
            raise ValueError(f"unknown journal action {action!r}; one of {', '.join(ACTIONS)}")
        if action != "create" and event_id is None:
            raise ValueError(f"a {action} write needs the event id it changes")
        journal, now = self.journal, self.journal._now()
        values = (self.id, self.wiki, page, action, fingerprint(body), SENDING, event_id)
        with journal._transaction():
            cursor = journal._db.execute(
                "INSERT INTO writes (run, wiki, page, action, fingerprint, state, event_id, "
                "source, source_row, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, self.source, row, now),
            )
        assert cursor.lastrowid is not None
        return Write(cursor.lastrowid, *values, None, None, self.source, row, now, None)

    def finish(self, write: Write, event_id: int | None = None) -> Write:
        """The wiki confirmed the write: `done`, and the page's event id and content are known."""
        event_id = event_id if event_id is not None else write.event_id
        if event_id is None:
            raise ValueError("a finished create needs the event id the wiki gave it")
        with self.journal._transaction():
            done = self._settle(write, DONE, event_id=event_id)
            self.journal._db.execute(
                "INSERT INTO events (wiki, page, event_id, fingerprint, action, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (wiki, page) DO UPDATE SET "
                "event_id = excluded.event_id, fingerprint = excluded.fingerprint, "
                "action = excluded.action, updated_at = excluded.updated_at",
                (self.wiki, write.page, event_id, write.fingerprint, write.action, done.ended_at),
            )
        return done

    def fail(self, write: Write, key: str, message: str) -> Write:
        """The wiki refused the write (its error key and message): nothing changed there."""
        with self.journal._transaction():
            return self._settle(write, FAILED, error_key=key, error_message=message)

    def unknown(self, write: Write, message: str) -> Write:
        """No answer proves what happened (timeout, 5xx): read back later, never resend blindly."""
        with self.journal._transaction():
            return self._settle(write, UNKNOWN, error_message=message, allowed=(SENDING,))

    def reconcile(self, write: Write, event_id: int | None) -> Write:
        """Settle an open write from a read-back: found with its id (`done`), or not there
        (`failed`, key NOT_APPLIED): the caller may then send it again."""
        if event_id is not None:
            return self.finish(write, event_id)
        return self.fail(write, NOT_APPLIED, "read back: the write did not reach the wiki")

    def _settle(
        self,
        write: Write,
        state: str,
        *,
        event_id: int | None = None,
        error_key: str | None = None,
        error_message: str | None = None,
        allowed: tuple[str, ...] = (SENDING, UNKNOWN),
    ) -> Write:
        """Move an open write to `state`, inside the caller's transaction."""
        if write.wiki != self.wiki:
            raise ValueError(f"write {write.id} is on {write.wiki}, not on this run's {self.wiki}")
        now = self.journal._now()
        changed = self.journal._db.execute(
            "UPDATE writes SET state = ?, event_id = COALESCE(?, event_id), error_key = ?, "
            "error_message = ?, ended_at = ? WHERE id = ? AND state IN "
            f"({', '.join('?' for _ in allowed)})",
            (state, event_id, error_key, error_message, now, write.id, *allowed),
        ).rowcount
        if changed != 1:
            raise ValueError(f"write {write.id} is not open (in {' or '.join(allowed)} state)")
        return Write(
            write.id, write.run, write.wiki, write.page, write.action, write.fingerprint, state,
            event_id if event_id is not None else write.event_id, error_key, error_message,
            write.source, write.source_row, write.started_at, now,
        )  # fmt: skip


class _RunLock:
    """An exclusive `flock` per wiki, with the holder's pid in the file for the error message."""

    def __init__(self, descriptor: int):
        self._descriptor = descriptor

    @classmethod
    def acquire(cls, state_dir: Path, wiki: str) -> _RunLock:
        folder = private_dir(state_dir / "locks")
        digest = hashlib.sha256(wiki.encode("utf-8")).hexdigest()[:20]
        descriptor = os.open(folder / f"apply-{digest}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(descriptor)
            raise JournalBusy(
                f"another gatebot apply is running for {wiki} (pid {holder}); wait for it to "
                "finish, or stop it, then run this again"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        return cls(descriptor)

    def release(self) -> None:
        os.ftruncate(self._descriptor, 0)
        os.close(self._descriptor)  # closing the descriptor releases the flock


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    """Check that `path` is a gatebot journal this version can read; create the schema if new."""
    try:
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application_id != APPLICATION_ID and (application_id or tables):
            raise InputError(
                "this SQLite file is not a gatebot journal; move it away or choose another "
                "--state-dir",
                path=str(path),
            )
        if version > SCHEMA_VERSION:
            raise InputError(
                f"the journal was written by a newer gatebot (schema {version}; this one reads "
                f"up to {SCHEMA_VERSION}); upgrade gatebot to go on with it",
                path=str(path),
            )
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        if not tables:
            _create_schema(db)
    except sqlite3.DatabaseError as error:
        raise _journal_error(path, error) from None


def _create_schema(db: sqlite3.Connection) -> None:
    """Create the tables once, even when two processes open a new journal at the same moment."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _journal_error(path: Path, error: sqlite3.DatabaseError) -> GatebotError:
    """SQLite's complaint as a sentence naming the journal file and what to do."""
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        return JournalBusy(
            f"{path}: the journal stayed locked by another gatebot process; try again when it "
            "has finished"
        )
    return InputError(
        f"the journal cannot be read ({error}); it is damaged or not a gatebot journal. Move "
        "it away to start a new one: rows already applied are then found on the wiki",
        path=str(path),
    )
