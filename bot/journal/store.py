"""The journal's SQLite file: its schema, and the checks that it is a journal this gatebot reads.

`application_id` tells a gatebot journal from any other SQLite file and `user_version` is the
schema version, both in the file's header, so a foreign or newer file is refused before any
table is read.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.journal.lock import JournalBusy
from policies.errors import GatebotError, InputError

SCHEMA_VERSION = 2
APPLICATION_ID = 0x67617465  # "gate"

SCHEMA = """
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
    started_at TEXT NOT NULL, ended_at TEXT, floor INTEGER
);
-- `floor`: the highest event id known when a create was sent (the new id is above it)
-- at most one open write per page: a write whose outcome is unknown is never sent twice
CREATE UNIQUE INDEX writes_open ON writes (wiki, page) WHERE state IN ('sending', 'unknown');
"""


def prepare(db: sqlite3.Connection, path: Path) -> None:
    """Check that `path` is a gatebot journal this version can read; create the schema if new.

    The check and the creation are one `BEGIN IMMEDIATE` transaction, so a process opening a
    journal that another is creating at the same moment sees it either empty or whole."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            _check_or_create(db, path)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        _use_wal(db)
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        raise journal_error(path, error) from None


def _use_wal(db: sqlite3.Connection, *, patience: float = 10.0) -> None:
    """Switch to WAL (kept in the file once done). The switch needs the file to itself and SQLite
    does not wait for that, so a process opening the journal just as another does tries again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _check_or_create(db: sqlite3.Connection, path: Path) -> None:
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
    if not tables:
        for statement in filter(str.strip, SCHEMA.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version < SCHEMA_VERSION:
        _upgrade(db, version)


def _upgrade(db: sqlite3.Connection, version: int) -> None:
    """Bring an older journal to SCHEMA_VERSION in place, inside the caller's transaction.
    Schema 1 lacks the writes' `floor`: its open creates keep NULL (no probe above a floor)."""
    if version < 2:
        db.execute("ALTER TABLE writes ADD COLUMN floor INTEGER")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def journal_error(path: Path, error: sqlite3.DatabaseError) -> GatebotError:
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
