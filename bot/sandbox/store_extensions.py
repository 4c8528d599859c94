"""The extension tables of the sandbox store: CampaignEvents events, organizers and
participants; GrowthExperiments log rows, invalidations and suggestions.

Mixins of `Store`; `SqliteTables` holds the lock, connection and query helpers they share.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def new_id(cursor: sqlite3.Cursor) -> int:
    """The row id an INSERT just made."""
    if cursor.lastrowid is None:
        raise sqlite3.DatabaseError("INSERT made no row")
    return cursor.lastrowid


class SqliteTables:
    """One SQLite connection under one lock; `Store.__init__` opens both."""

    _lock: threading.RLock
    _db: sqlite3.Connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one SQLite transaction for several statements."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, args).fetchone()
            return row

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()


class CampaignEventsTables(SqliteTables):
    """Event registrations (stored as JSON documents), organizers, participants."""

    def event(self, event_id: int) -> tuple[dict[str, Any], bool] | None:
        row = self._one("SELECT data, deleted FROM events WHERE id = ?", (event_id,))
        return (json.loads(row["data"]), bool(row["deleted"])) if row else None

    def event_for_page(self, title: str) -> tuple[int, bool] | None:
        row = self._one("SELECT id, deleted FROM events WHERE page_title = ?", (title,))
        return (row["id"], bool(row["deleted"])) if row else None

    def create_event(self, data: dict[str, Any], creator_id: int) -> int:
        with self.transaction() as db:
            event_id = new_id(
                db.execute(
                    "INSERT INTO events (page_title, data) VALUES (?, ?)",
                    (data["event_page"], json.dumps(data)),
                )
            )
            db.execute(
                "INSERT INTO organizers (event_id, user_id, role) VALUES (?, ?, ?)",
                (event_id, creator_id, "creator"),
            )
        return event_id

    def update_event(self, event_id: int, data: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE events SET data = ?, page_title = ? WHERE id = ?",
                (json.dumps(data), data["event_page"], event_id),
            )

    def delete_event(self, event_id: int) -> None:
        with self._lock:
            self._db.execute("UPDATE events SET deleted = 1 WHERE id = ?", (event_id,))

    def organizers(self, event_id: int, after: int = 0, limit: int = 11) -> list[sqlite3.Row]:
        return self._all(
            "SELECT * FROM organizers WHERE event_id = ? AND id > ? ORDER BY id LIMIT ?",
            (event_id, after, limit),
        )

    def set_organizers(self, event_id: int, user_roles: list[tuple[int, str]]) -> None:
        """Replace the organizer list, keeping the row ids of those who stay."""
        with self.transaction() as db:
            keep = {uid for uid, _ in user_roles}
            current = {
                r["user_id"]
                for r in db.execute(
                    "SELECT user_id FROM organizers WHERE event_id = ?", (event_id,)
                )
            }
            for uid in current - keep:
                db.execute(
                    "DELETE FROM organizers WHERE event_id = ? AND user_id = ?", (event_id, uid)
                )
            for uid, role in user_roles:
                if uid not in current:
                    db.execute(
                        "INSERT INTO organizers (event_id, user_id, role) VALUES (?,?,?)",
                        (event_id, uid, role),
                    )

    def events_of_organizer(self, user_id: int, limit: int = 50) -> list[sqlite3.Row]:
        return self._all(
            "SELECT e.id, e.page_title, e.deleted FROM events e JOIN organizers o"
            " ON o.event_id = e.id WHERE o.user_id = ? ORDER BY e.id LIMIT ?",
            (user_id, limit),
        )

    def events_of_participant(self, user_id: int, limit: int = 50) -> list[sqlite3.Row]:
        return self._all(
            "SELECT e.id, e.page_title, e.deleted FROM events e JOIN participants p"
            " ON p.event_id = e.id WHERE p.user_id = ? AND p.private = 0 ORDER BY e.id LIMIT ?",
            (user_id, limit),
        )

    def participant(self, event_id: int, user_id: int) -> sqlite3.Row | None:
        return self._one(
            "SELECT * FROM participants WHERE event_id = ? AND user_id = ?", (event_id, user_id)
        )

    def put_participant(
        self, event_id: int, user_id: int, private: bool, prompt: bool, answers: dict[str, Any]
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO participants VALUES (?, ?, ?, ?, ?)",
                (event_id, user_id, int(private), int(prompt), json.dumps(answers)),
            )

    def has_participant_answers(self, event_id: int) -> bool:
        row = self._one(
            "SELECT 1 FROM participants WHERE event_id = ? AND answers != '{}' LIMIT 1", (event_id,)
        )
        return row is not None

    def remove_participant(self, event_id: int, user_id: int) -> bool:
        with self._lock:
            return (
                self._db.execute(
                    "DELETE FROM participants WHERE event_id = ? AND user_id = ?",
                    (event_id, user_id),
                ).rowcount
                > 0
            )

    def event_count(self) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM events")
        return int(row["n"]) if row else 0


class GrowthTables(SqliteTables):
    """Growth log rows (what the daily count counts), invalidations, image suggestions."""

    def add_log_row(
        self,
        *,
        user_id: int,
        user_name: str,
        action: str,
        title: str,
        accepted: bool,
        section: str | None,
        rev_id: int | None,
        timestamp: str,
    ) -> int:
        with self._lock:
            return new_id(
                self._db.execute(
                    "INSERT INTO growth_log (user_id, user_name, action, title, accepted, section,"
                    " rev_id, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (user_id, user_name, action, title, int(accepted), section, rev_id, timestamp),
                )
            )

    def count_log_rows(self, user_id: int, action: str, after: str) -> int:
        """Rows of one subtype strictly after `after` (GrowthExperiments' `>`)."""
        row = self._one(
            "SELECT COUNT(*) AS n FROM growth_log WHERE user_id = ? AND action = ?"
            " AND timestamp > ?",
            (user_id, action, after),
        )
        return int(row["n"]) if row else 0

    def log_rows(
        self,
        *,
        user_name: str | None,
        actions: list[str],
        newest_first: bool,
        start: str | None,
        end: str | None,
        limit: int,
        offset: int,
    ) -> list[sqlite3.Row]:
        marks = ",".join("?" * len(actions))
        sql = f"SELECT * FROM growth_log WHERE action IN ({marks})"
        args: list[Any] = list(actions)
        if user_name is not None:
            sql += " AND user_name = ?"
            args.append(user_name)
        if start is not None:
            sql += " AND timestamp <= ?" if newest_first else " AND timestamp >= ?"
            args.append(start)
        if end is not None:
            sql += " AND timestamp >= ?" if newest_first else " AND timestamp <= ?"
            args.append(end)
        order = "DESC" if newest_first else "ASC"
        sql += f" ORDER BY timestamp {order}, id {order} LIMIT ? OFFSET ?"
        return self._all(sql, (*args, limit, offset))

    def invalidate(self, task_type: str, title: str, until: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO invalidations VALUES (?, ?, ?)", (task_type, title, until)
            )

    def invalidated_titles(self, task_type: str, now: str) -> set[str]:
        return {
            r["title"]
            for r in self._all(
                "SELECT title FROM invalidations WHERE task_type = ? AND until > ?",
                (task_type, now),
            )
        }

    def resolve(self, task_type: str, title: str) -> None:
        """The search index caught up: the article no longer matches the task type."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO resolved VALUES (?, ?)", (task_type, title))

    def suggestion_titles(self, task_type: str) -> list[tuple[int, str]]:
        """(page id, title) of the articles with a suggestion that the index still finds."""
        return [
            (r["id"], r["title"])
            for r in self._all(
                "SELECT p.id, s.title FROM suggestions s JOIN pages p ON p.title = s.title"
                " WHERE s.task_type = ? AND NOT EXISTS (SELECT 1 FROM resolved r WHERE"
                " r.task_type = s.task_type AND r.title = s.title) ORDER BY p.id",
                (task_type,),
            )
        ]

    def put_topics(self, title: str, topics: list[str]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR IGNORE INTO article_topics VALUES (?, ?)",
                [(title, topic) for topic in topics],
            )

    def article_topics(self) -> dict[str, set[str]]:
        """Topics by article title (articles without topics are absent)."""
        topics: dict[str, set[str]] = {}
        for row in self._all("SELECT title, topic FROM article_topics"):
            topics.setdefault(row["title"], set()).add(row["topic"])
        return topics

    def put_suggestion(self, title: str, task_type: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO suggestions VALUES (?, ?, ?)",
                (title, task_type, json.dumps(data)),
            )

    def suggestion(self, title: str, task_type: str) -> dict[str, Any] | None:
        row = self._one(
            "SELECT data FROM suggestions WHERE title = ? AND task_type = ?", (title, task_type)
        )
        return json.loads(row["data"]) if row else None
