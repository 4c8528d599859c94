"""The batch journal of `gatebot events apply`: every write recorded before and after it is sent.

One SQLite file, `<state_dir>/journal.sqlite3` (0600, folder 0700), in WAL mode: a `sending`
record is on disk (fsync) before its request leaves; the outcome is written as the answer comes
and reaches the disk with the next fsync, the next write's `sending` record or the run's end
(the WAL is one file, synced whole), so it is there before anything else is sent. A run killed
at any moment leaves either nothing, a `sending` write (the request may or may not have reached
the wiki) or a finished one; a power cut can only turn the last outcome back into `sending`.
The next run reconciles the open ones by reading back, so no registration is made twice and no
row is lost. Only a fingerprint of each request body is kept, never the body, its token or
cookies.

    journal = Journal.open(state_dir)
    with journal.run(wiki, source="events.csv") as run:   # one apply per wiki at a time
        for write in run.pending():                       # left open by a killed run
            run.reconcile(write, event_id=...)            # read back: the id found, or None
        write = run.begin(page, "create", body, row=12, floor=highest_id_read)
        ... POST ...
        run.finish(write, event_id=42)   # or run.fail(write, key, text) / run.unknown(write, why)
"""

from __future__ import annotations

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

from bot.journal.lock import JournalBusy, RunLock
from bot.journal.store import journal_error, prepare
from bot.wiki.session import private_dir
from policies.errors import InputError

__all__ = [
    "NOT_APPLIED", "Journal", "JournalBusy", "Known", "Run", "Write", "fingerprint",
]  # fmt: skip

FILE_NAME = "journal.sqlite3"
ACTIONS = ("create", "update", "stats")
SENDING, DONE, FAILED, UNKNOWN = "sending", "done", "failed", "unknown"
NOT_APPLIED = "gatebot-write-not-applied"  # error key of a write the read-back did not find
SECRET_KEYS = frozenset({"token"})
_WRITE_COLUMNS = (
    "id, run, wiki, page, action, fingerprint, state, event_id, error_key, error_message, "
    "source, source_row, started_at, ended_at, floor"
)


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
    floor: int | None = None  # a create's: the highest event id known when it was sent


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
        self._durable = True  # `prepare` leaves the connection at synchronous=FULL

    @classmethod
    def open(cls, state_dir: Path, *, clock: Callable[[], datetime] = _utc_now) -> Journal:
        """Open (or create) `<state_dir>/journal.sqlite3`; InputError naming the file when it is
        damaged, not a gatebot journal, or written by a newer gatebot."""
        path = Path(state_dir) / FILE_NAME
        try:
            private_dir(path.parent)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            path.chmod(0o600)
        except OSError as error:
            raise InputError(
                f"cannot keep the journal here ({error.strerror}); give a folder of yours with "
                "--state-dir",
                path=str(error.filename or path),
            ) from None
        connection = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        try:
            prepare(connection, path)
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
        lock = RunLock.acquire(self.path.parent, wiki)
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
    def _transaction(self, *, write: bool = True, durable: bool = True) -> Iterator[None]:
        """One transaction (`BEGIN IMMEDIATE` for writes); SQLite's errors said as the file's.
        A durable commit is fsynced before it returns, with every commit before it; the others
        wait for the next durable one (an outcome: lost to a power cut, it is read back)."""
        try:
            if write and durable != self._durable:
                self._db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                self._durable = durable
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise journal_error(self.path, error) from None


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
        floor: int | None = None,
    ) -> Write:
        """Record a write as `sending`, durably, before its request is sent. A create keeps a
        floor: the highest of `floor` (ids the caller has read) and the journal's own known
        ids, so a resume can look for the event it may have made just above it."""
        if action not in ACTIONS:
            raise ValueError(f"unknown journal action {action!r}; one of {', '.join(ACTIONS)}")
        if action != "create" and event_id is None:
            raise ValueError(f"a {action} write needs the event id it changes")
        journal, now = self.journal, self.journal._now()
        values = (self.id, self.wiki, page, action, fingerprint(body), SENDING, event_id)
        with journal._transaction():
            if action == "create":
                known = journal._db.execute(
                    "SELECT max(event_id) FROM events WHERE wiki = ?", (self.wiki,)
                ).fetchone()[0]
                floor = max((i for i in (floor, known) if i is not None), default=None)
            else:
                floor = None
            still_open = journal._db.execute(
                "SELECT id, state FROM writes WHERE wiki = ? AND page = ? "
                "AND state IN ('sending', 'unknown')",
                (self.wiki, page),
            ).fetchone()
            if still_open:
                raise ValueError(
                    f"{page}: write {still_open[0]} is still {still_open[1]}; reconcile it "
                    "(read back) before sending another"
                )
            cursor = journal._db.execute(
                "INSERT INTO writes (run, wiki, page, action, fingerprint, state, event_id, "
                "source, source_row, started_at, floor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, self.source, row, now, floor),
            )
        assert cursor.lastrowid is not None
        return Write(cursor.lastrowid, *values, None, None, self.source, row, now, None, floor)

    def finish(self, write: Write, event_id: int | None = None) -> Write:
        """The wiki confirmed the write: `done`, and the page's event id and content are known."""
        event_id = event_id if event_id is not None else write.event_id
        if event_id is None:
            raise ValueError("a finished create needs the event id the wiki gave it")
        with self.journal._transaction(durable=False):
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
        with self.journal._transaction(durable=False):
            return self._settle(write, FAILED, error_key=key, error_message=message)

    def unknown(self, write: Write, message: str) -> Write:
        """No answer proves what happened (timeout, 5xx): read back later, never resend blindly."""
        with self.journal._transaction(durable=False):
            return self._settle(write, UNKNOWN, error_message=message, allowed=(SENDING,))

    def reconcile(
        self,
        write: Write,
        event_id: int | None,
        why: str = "read back: the write did not reach the wiki",
    ) -> Write:
        """Settle an open write from a read-back: found with its id (`done`), or not there
        (`failed`, key NOT_APPLIED, `why`): the caller may then send it again."""
        if event_id is not None:
            return self.finish(write, event_id)
        return self.fail(write, NOT_APPLIED, why)

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
            write.source, write.source_row, write.started_at, now, write.floor,
        )  # fmt: skip
