"""A minimal apply loop over the journal, run in a child process that the tests kill.

It follows the protocol the real `events apply` will: reconcile what a killed run left open by
reading back, then for each row find the event (journal first, then the wiki), skip it when the
journal's fingerprint matches, and record every write before and after it is sent. The wiki is
a file of JSON lines (one per registration created or updated), fsynced like a server's commit,
so the tests can count what really reached it.

    python -m tests.journal.applier STATE WIKI ROWS [--crash N:POINT] [--hold S] [--pace S]

POINT is where the N-th write is killed with SIGKILL: `before-begin`, `after-begin` (recorded,
not sent), `after-post` (the wiki has it, the journal does not), `after-finish`; or `timeout`
(the wiki has it, the client hears nothing, records the outcome as unknown and goes on).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bot.journal import Journal, JournalBusy, Run, Write, fingerprint

WIKI = "http://127.0.0.1:8780/w/api.php"
TOKEN = "secret-csrf-token+\\"


class FileWiki:
    """Registrations in a JSON-lines file; a line per create or update, as the wiki saw it."""

    def __init__(self, path: Path):
        self.path = path

    def log(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines()]

    def lookup(self, page: str) -> dict[str, Any] | None:
        """The page's registration as it stands (its latest line), if any."""
        lines = [line for line in self.log() if line["page"] == page]
        return lines[-1] if lines else None

    def send(self, action: str, page: str, body: dict[str, Any], event_id: int | None) -> int:
        if body.get("refuse"):
            raise Refused("campaignevents-error-invalid-title", "The event page title is invalid.")
        if event_id is None:
            event_id = len({line["id"] for line in self.log()}) + 1
        line = {"action": action, "id": event_id, "page": page, "fingerprint": fingerprint(body)}
        with self.path.open("a") as stream:
            stream.write(json.dumps(line) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        return event_id


class Refused(Exception):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key, self.message = key, message


def reconcile(run: Run, wiki: FileWiki, write: Write) -> None:
    """Read back an open write: there with the same content means it happened."""
    found = wiki.lookup(write.page)
    landed = found is not None and found["fingerprint"] == write.fingerprint
    run.reconcile(write, found["id"] if landed and found else None)


def apply(
    run: Run,
    wiki: FileWiki,
    rows: list[dict[str, Any]],
    crash: tuple[int, str] | None,
    pace: float = 0.0,
) -> None:
    for write in run.pending():
        reconcile(run, wiki, write)
    writes = 0
    for number, row in enumerate(rows, start=2):
        page, body = row["page"], {"token": TOKEN, **row}
        known = run.known(page)
        if known and known.fingerprint == fingerprint(body):
            continue  # unchanged since the journal last wrote it
        found = None if known else wiki.lookup(page)
        event_id = known.event_id if known else (found["id"] if found else None)
        action = "create" if event_id is None else "update"
        writes += 1
        time.sleep(pace)
        point = crash[1] if crash and crash[0] == writes else None
        kill_if(point == "before-begin")
        write = run.begin(page, action, body, event_id=event_id, row=number)
        kill_if(point == "after-begin")
        try:
            new_id = wiki.send(action, page, body, event_id)
        except Refused as refusal:
            run.fail(write, refusal.key, refusal.message)
            continue
        kill_if(point == "after-post")
        if point == "timeout":
            run.unknown(write, "no answer within 30 s")
            continue
        run.finish(write, new_id)
        kill_if(point == "after-finish")


def kill_if(condition: bool) -> None:
    if condition:
        os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("wiki", type=Path)
    parser.add_argument("rows", type=Path)
    parser.add_argument("--crash")
    parser.add_argument("--hold", type=float, default=0.0)
    parser.add_argument("--pace", type=float, default=0.0, help="seconds before each write")
    args = parser.parse_args(argv)
    crash = None
    if args.crash:
        index, point = args.crash.split(":")
        crash = (int(index), point)
    rows = json.loads(args.rows.read_text())
    with Journal.open(args.state) as journal:
        try:
            with journal.run(WIKI, source=str(args.rows)) as run:
                print("locked", flush=True)
                time.sleep(args.hold)
                apply(run, FileWiki(args.wiki), rows, crash, args.pace)
        except JournalBusy as busy:
            print(busy, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
