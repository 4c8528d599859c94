"""The sandbox wiki's state in SQLite: pages, options, sessions, events, growth log rows.

One connection guarded by a lock (handlers are short), WAL when on disk, `:memory:` otherwise.
Timestamps are stored as MediaWiki ISO strings (`2026-11-22T19:00:00Z`), which sort as time.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bot.sandbox.store_extensions import CampaignEventsTables, GrowthTables, new_id

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY, ns INTEGER NOT NULL, title TEXT NOT NULL UNIQUE, latest INTEGER);
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY, page_id INTEGER NOT NULL, parent_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL, user_name TEXT NOT NULL, timestamp TEXT NOT NULL,
  comment TEXT NOT NULL, content TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS options (
  user_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (user_id, name));
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, csrf TEXT NOT NULL, login_token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, page_title TEXT NOT NULL UNIQUE, data TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS organizers (
  id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS organizers_by_user ON organizers (user_id, event_id);
CREATE TABLE IF NOT EXISTS participants (
  event_id INTEGER NOT NULL, user_id INTEGER NOT NULL, private INTEGER NOT NULL,
  prompt INTEGER NOT NULL, answers TEXT NOT NULL, PRIMARY KEY (event_id, user_id));
CREATE TABLE IF NOT EXISTS growth_log (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, user_name TEXT NOT NULL,
  action TEXT NOT NULL, title TEXT NOT NULL, accepted INTEGER NOT NULL, section TEXT,
  rev_id INTEGER, timestamp TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS growth_log_by_user ON growth_log (user_id, action, timestamp);
CREATE TABLE IF NOT EXISTS invalidations (
  task_type TEXT NOT NULL, title TEXT NOT NULL, until TEXT NOT NULL,
  PRIMARY KEY (task_type, title));
CREATE TABLE IF NOT EXISTS resolved (
  task_type TEXT NOT NULL, title TEXT NOT NULL, PRIMARY KEY (task_type, title));
CREATE TABLE IF NOT EXISTS article_topics (
  title TEXT NOT NULL, topic TEXT NOT NULL, PRIMARY KEY (title, topic));
CREATE TABLE IF NOT EXISTS suggestions (
  title TEXT NOT NULL, task_type TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (title, task_type));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def mw_iso(moment: datetime) -> str:
    """A MediaWiki API timestamp: UTC, whole seconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Revision:
    id: int
    page_id: int
    parent_id: int
    user_id: int
    user_name: str
    timestamp: str
    comment: str
    content: str


@dataclass(frozen=True)
class Page:
    id: int
    ns: int
    title: str
    latest: int


class Store(CampaignEventsTables, GrowthTables):
    """All state of one sandbox wiki; every method is atomic under one lock."""

    def __init__(self, data_dir: Path | None = None):
        if data_dir is None:
            target = ":memory:"
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            target = str(data_dir / "sandbox.sqlite")
        self._lock = threading.RLock()
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if data_dir is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- pages --------------------------------------------------------------------------------
    def page(self, title: str) -> Page | None:
        row = self._one("SELECT * FROM pages WHERE title = ?", (title,))
        return Page(**dict(row)) if row else None

    def page_by_id(self, page_id: int) -> Page | None:
        row = self._one("SELECT * FROM pages WHERE id = ?", (page_id,))
        return Page(**dict(row)) if row else None

    def revision(self, rev_id: int) -> Revision | None:
        row = self._one("SELECT * FROM revisions WHERE id = ?", (rev_id,))
        return Revision(**dict(row)) if row else None

    def existing_page(self, page_id: int) -> Page:
        """The page with `page_id`, which the caller knows exists (LookupError if not: a bug)."""
        page = self.page_by_id(page_id)
        if page is None:
            raise LookupError(f"no page with id {page_id}")
        return page

    def existing_revision(self, rev_id: int) -> Revision:
        """The revision `rev_id`, which the caller knows exists (LookupError if not: a bug)."""
        rev = self.revision(rev_id)
        if rev is None:
            raise LookupError(f"no revision with id {rev_id}")
        return rev

    def first_revision(self, page_id: int) -> Revision | None:
        row = self._one("SELECT * FROM revisions WHERE page_id = ? ORDER BY id LIMIT 1", (page_id,))
        return Revision(**dict(row)) if row else None

    def page_revisions(
        self, page_id: int, *, newest_first: bool, from_id: int | None, limit: int
    ) -> list[Revision]:
        """Up to `limit` revisions of a page from `from_id` on (inclusive), in one direction."""
        order, compare = ("DESC", "<=") if newest_first else ("ASC", ">=")
        rows = self._all(
            f"SELECT * FROM revisions WHERE page_id = ? AND id {compare} ? ORDER BY id {order}"
            " LIMIT ?",
            (page_id, from_id if from_id is not None else (2**62 if newest_first else 0), limit),
        )
        return [Revision(**dict(r)) for r in rows]

    def save_revision(
        self,
        *,
        title: str,
        ns: int,
        user_id: int,
        user_name: str,
        timestamp: str,
        comment: str,
        content: str,
    ) -> tuple[Page, Revision]:
        """Append a revision, creating the page when it does not exist yet."""
        with self.transaction() as db:
            row = db.execute("SELECT * FROM pages WHERE title = ?", (title,)).fetchone()
            if row is None:
                page_id = new_id(
                    db.execute(
                        "INSERT INTO pages (ns, title, latest) VALUES (?, ?, 0)", (ns, title)
                    )
                )
                parent = 0
            else:
                page_id, parent = row["id"], row["latest"]
            rev_id = new_id(
                db.execute(
                    "INSERT INTO revisions (page_id, parent_id, user_id, user_name, timestamp,"
                    " comment, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (page_id, parent, user_id, user_name, timestamp, comment, content),
                )
            )
            db.execute("UPDATE pages SET latest = ? WHERE id = ?", (rev_id, page_id))
        return (
            Page(page_id, ns, title, rev_id),
            Revision(rev_id, page_id, parent, user_id, user_name, timestamp, comment, content),
        )

    def delete_page(self, page_id: int) -> None:
        """Remove a page and its revisions (MediaWiki archives them; nothing here reads those)."""
        with self.transaction() as db:
            db.execute("DELETE FROM revisions WHERE page_id = ?", (page_id,))
            db.execute("DELETE FROM pages WHERE id = ?", (page_id,))

    def revisions_after_base(self, page_id: int, basetimestamp: str) -> list[Revision]:
        """Revisions after the one the editor started from: the first with `basetimestamp`
        (several may share a second), else the last one before it."""
        with self._lock:
            base = (
                self._db.execute(
                    "SELECT id FROM revisions WHERE page_id = ? AND timestamp = ? ORDER BY id"
                    " LIMIT 1",
                    (page_id, basetimestamp),
                ).fetchone()
                or self._db.execute(
                    "SELECT id FROM revisions WHERE page_id = ? AND timestamp < ? ORDER BY id DESC"
                    " LIMIT 1",
                    (page_id, basetimestamp),
                ).fetchone()
            )
            rows = self._db.execute(
                "SELECT * FROM revisions WHERE page_id = ? AND id > ? ORDER BY id",
                (page_id, base["id"] if base else 0),
            )
            return [Revision(**dict(r)) for r in rows.fetchall()]

    # --- options ------------------------------------------------------------------------------
    def options(self, user_id: int) -> dict[str, str]:
        return {
            r["name"]: r["value"]
            for r in self._all("SELECT name, value FROM options WHERE user_id = ?", (user_id,))
        }

    def set_options(self, user_id: int, values: dict[str, str | None]) -> None:
        """Set options; a None value resets the option to its default (removes the row)."""
        with self.transaction() as db:
            for name, value in values.items():
                if value is None:
                    db.execute(
                        "DELETE FROM options WHERE user_id = ? AND name = ?", (user_id, name)
                    )
                else:
                    db.execute(
                        "INSERT OR REPLACE INTO options VALUES (?, ?, ?)", (user_id, name, value)
                    )

    # --- sessions -----------------------------------------------------------------------------
    def session(self, session_id: str) -> sqlite3.Row | None:
        return self._one("SELECT * FROM sessions WHERE id = ?", (session_id,))

    def put_session(self, session_id: str, user_id: int, csrf: str, login_token: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?)",
                (session_id, user_id, csrf, login_token),
            )

    def drop_session(self, session_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
