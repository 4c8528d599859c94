"""Throughput and peak memory of `gatebot events check` on large CSV files.

Generates files of 10k, 100k and 1M rows in a temporary folder, then for each one
runs the check path in a child process (rows/s, peak RSS) and once through the CLI
(`gatebot events check --json FILE > /dev/null`, wall time and peak RSS).
Goal: at least 20,000 rows/s and under 100 MB peak memory at 1M rows.

    .venv/bin/python bench/events_check.py [--sizes 10000,100000,1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "event_page", "timezone", "start", "end", "types", "wikis", "topics", "participation",
    "country", "address", "meeting_url", "contribution_statistics", "goal_type", "goal_target",
]  # fmt: skip
TEMPLATES = [
    ["Europe/Lisbon", "2099-03-06T10:00", "2099-03-06T18:00", "Editing event", "ptwiki",
     "women;europe", "in-person", "PT", "Campo Grande 83, Lisboa", "", "auto",
     "total_articles_created", "30"],
    ["UTC", "20990308090000", "20990308210000", "editing-event;contest", "*", "women", "online",
     "", "", "https://meet.example.org/x", "on", "total_edits", "500"],
    ["Europe/Istanbul", "2099-03-06T10:00", "2099-03-06T17:00", "Editing event", "trwiki",
     "", "hybrid", "Turkey", "Beyoğlu", "https://meet.example.org/ist", "auto", "", ""],
    ["Europe/Lisbon", "2099-03-20T18:30", "2099-03-20T21:00", "Meetup", "ptwiki", "",
     "in-person", "PT", "Rua Garrett 120", "", "on", "", ""],
    ["America/New_York", "2099-02-30T00:00", "2099-04-30T23:59", "Backlog drive", "enwiki",
     "", "online", "", "", "", "auto", "", ""],
    ["Africa/Nairobi", "2099-03-13T09:00", "2099-03-13T16:00", "editing-event;workshop",
     "swwiki;enwiki", "africa", "hybrid", "KE", "Ngong Road", "https://meet.example.org/n",
     "auto", "", ""],
]  # fmt: skip


def generate(path: Path, rows: int, *, varied: bool) -> None:
    """A campaign of `rows` distinct events (own page, address and meeting URL) cycling through
    realistic templates over 60 days; `varied` gives every row its own start minute and one of
    30 countries, so no two rows share a shape (the worst case for the checker's memo)."""
    countries = ["PT", "DE", "KE", "BR", "IN", "NG", "FR", "ES", "IT", "MX", "AR", "CL", "PE",
                 "CO", "GH", "ZA", "EG", "TR", "BY", "RU", "UA", "PL", "SE", "NO", "FI", "JP",
                 "KR", "ID", "PH", "VN"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for number in range(rows):
            row = list(TEMPLATES[number % len(TEMPLATES)])
            day = date(2099, 3, 1) + timedelta(days=number // len(TEMPLATES) % 60)
            minute = number % 1440 if varied else 0
            row[1] = f"{day.isoformat()}T{9 + minute // 60 % 12:02d}:{minute % 60:02d}"
            row[2] = f"{day.isoformat()}T22:00"
            if row[8]:
                row[8] = f"{row[8]}, door {number}"
                if varied and row[6] != "online":
                    row[7] = countries[number % len(countries)]
            if row[9]:
                row[9] = f"{row[9]}/{number}"
            writer.writerow([f"Event:Campaign 2099/Event {number}", *row])


CHILD = """
import os, resource, sys, time
from datetime import datetime, timezone
import policies
from bot.events.check import check_file
from bot.report import JsonReport
start = time.perf_counter()
report = JsonReport(open(os.devnull, "w"))
for row in check_file(sys.argv[1], policies.load(), now=datetime.now(timezone.utc)):
    report.add_checked(row)  # the path `gatebot events check --json` takes
report.close()
elapsed = time.perf_counter() - start
print(report.summary.rows, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_child(command: list[str], stdout=subprocess.PIPE) -> tuple[str, float, int]:
    """Run a child; return its stdout, wall time and peak RSS in MB (Linux ru_maxrss is KB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    return output, time.perf_counter() - start, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp dir")
    parser.add_argument("--varied", action="store_true", help="no two rows alike (worst case)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gatebot-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'rows':>9}  {'MB file':>7}  {'in-process rows/s':>17}  {'peak MB':>7}  "
          f"{'CLI s':>6}  {'CLI rows/s':>10}  {'CLI peak MB':>11}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        path = folder / f"events-{size}{'-varied' if args.varied else ''}.csv"
        if not path.exists():
            generate(path, size, varied=args.varied)
        output, _, peak = run_child([sys.executable, "-c", CHILD, str(path)])
        rows, elapsed, _ = output.split()
        rate = int(rows) / float(elapsed)
        with open(os.devnull, "w") as null:
            _, cli_seconds, cli_peak = run_child(
                [sys.executable, "-c", "import sys; from bot.cli import main; "
                 "sys.exit(main(sys.argv[1:]))", "events", "check", "--json", str(path)],
                stdout=null,
            )  # fmt: skip
        print(f"{size:>9}  {path.stat().st_size / 1e6:>7.1f}  {rate:>17,.0f}  {peak:>7}  "
              f"{cli_seconds:>6.1f}  {size / cli_seconds:>10,.0f}  {cli_peak:>11}")  # fmt: skip
        if not args.keep:
            path.unlink()
    if not args.keep:
        folder.rmdir()


if __name__ == "__main__":
    main()
