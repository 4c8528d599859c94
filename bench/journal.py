"""Cost of the batch journal per write: `begin` (fsynced) + `finish` (synced by the next).

Measured in one run, in one temporary folder on the same disk: the journal's pair, next to a
baseline of a bare SQLite insert committed with the same settings (WAL, synchronous=FULL), the
least any durable record costs. Goal: a pair well under 2 ms.

    .venv/bin/python bench/journal.py [--writes 2000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bot.journal import Journal

WIKI = "https://pt.wikipedia.org/w/api.php"
BODY = {
    "token": "0123456789abcdef+\\",
    "event_page": "Event:WikiGap 2099/Lisbon",
    "timezone": "Europe/Lisbon",
    "start_time": "20990306100000",
    "end_time": "20990306180000",
    "types": ["editing-event"],
    "wikis": ["ptwiki"],
    "online_meeting": False,
    "inperson_meeting": True,
    "meeting_country_code": "PT",
    "tracks_contributions": True,
}


def journal_pairs(folder: Path, writes: int) -> float:
    """Seconds per begin+finish pair over `writes` distinct pages."""
    with Journal.open(folder / "state") as journal, journal.run(WIKI, source="bench.csv") as run:
        started = time.perf_counter()
        for number in range(writes):
            page = f"Event:WikiGap 2099/{number}"
            write = run.begin(page, "create", {**BODY, "event_page": page}, row=number + 2)
            run.finish(write, number + 1)
        return (time.perf_counter() - started) / writes


def bare_inserts(folder: Path, writes: int) -> float:
    """Seconds per committed insert of a row of the same size, same pragmas."""
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, page TEXT, fingerprint TEXT, at TEXT)")
    started = time.perf_counter()
    for number in range(writes):
        db.execute(
            "INSERT INTO t (page, fingerprint, at) VALUES (?, ?, ?)",
            (f"Event:WikiGap 2099/{number}", "f" * 64, "2099-03-06T10:00:00.000+00:00"),
        )
    elapsed = (time.perf_counter() - started) / writes
    db.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--dir", type=Path, help="folder to measure in (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        baseline = bare_inserts(folder, args.writes)
        pair = journal_pairs(folder, args.writes)
    print(f"writes: {args.writes} in {folder.parent}")
    print(f"bare SQLite insert (WAL, synchronous=FULL): {baseline * 1000:.3f} ms")
    print(f"journal begin + finish (one fsync): {pair * 1000:.3f} ms per write")
    print(f"journal overhead per write: {pair / baseline:.1f}x a bare insert; goal < 2 ms: "
          f"{'met' if pair < 0.002 else 'NOT met'}")  # fmt: skip
    return 0 if pair < 0.002 else 1


if __name__ == "__main__":
    sys.exit(main())
