"""Quota race across the user's midnight with real processes: the sandbox and 8 gatebot
processes of one user (6 answers files, a pseudo-terminal, the review page) run under
libfaketime with one offset that puts them seconds before midnight in Volunteer's zone. Each seat
that started before midnight comes back once after it (a re-run of the file skips the rows
already answered). Each day's log gets exactly the limit, and every ledger row is dated on the
day the wiki logged it.

libfaketime fakes the monotonic clock too (FAKETIME_DONT_FAKE_MONOTONIC=1 makes Python's
`time.sleep` fail with EINVAL, libfaketime #426); with it faked, a timed lock wait in a child
(`Event.wait(0.5)`) only ends when it is woken (glibc's `sem_clockwait` is not intercepted), which
gatebot's waits always are. FAKETIME_NO_CACHE is not needed: the offset is in the environment,
and re-reading it every 10 s moves no clock. This process is not faked: every wait here is
bounded."""

from __future__ import annotations

import json
import math
import os
import queue
import random
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import policies
from bot.ledger import Account, Ledger
from bot.sandbox.config import load_config
from bot.sandbox.seed import ARTICLES, add_article
from bot.sandbox.server import serve
from tests.faults.conftest import environment, finished, gatebot
from tests.faults.seats import TYPE, answers_file, at_the_terminal, through_the_page

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
LIMIT, FILES, EACH = 25, 6, 40
EXTRA = [f"Midnight Article {n}" for n in range(20)]  # two days need more than the seed's 40
TITLES = [title for title, _ in ARTICLES] + EXTRA
LEAD = 4.0  # seconds from the seats' start to midnight
SETUP = 5.0  # seconds allowed for the sandbox to start before that
POLICY = policies.load()
UTC = timezone.utc


@dataclass(frozen=True)
class FakeClock:
    """The children's shared clock: the real time moved by one whole number of seconds."""

    offset: int

    @property
    def env(self) -> dict[str, str]:
        return {"LD_PRELOAD": str(LIBFAKETIME), "FAKETIME": f"{self.offset:+d}s"}

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.offset, UTC)

    def sleep_until(self, moment: datetime) -> None:
        time.sleep(max(0.0, (moment - self.now()).total_seconds()))


@dataclass(frozen=True)
class ChildWiki:
    """`gatebot sandbox` in a child process, known by its Action API URL."""

    api_url: str

    def logged(self) -> list[tuple[datetime, str]]:
        """Volunteer's `addimage` log rows (time, title), oldest first, from the wiki's API."""
        query = urllib.parse.urlencode({
            "action": "query", "list": "logevents", "leaction": "growthexperiments/addimage",
            "leuser": "Volunteer", "lelimit": 500, "ledir": "newer", "format": "json",
            "formatversion": 2,
        })  # fmt: skip
        with urllib.request.urlopen(f"{self.api_url}?{query}", timeout=30) as answer:
            rows = json.loads(answer.read())["query"]["logevents"]
        return [(datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00")), r["title"])
                for r in rows]  # fmt: skip


def require_faketime() -> None:
    """Skip without libfaketime, except where the real parts must run (CI)."""
    if LIBFAKETIME.exists():
        return
    reason = f"libfaketime is not installed ({LIBFAKETIME}; apt-get install faketime)"
    if os.environ.get("GATEBOT_REQUIRE_MEDIAWIKI") == "1" or os.environ.get("CI"):
        pytest.fail(f"GATEBOT_REQUIRE_MEDIAWIKI=1 or CI but {reason}", pytrace=False)
    pytest.skip(reason)


def seeded(data: Path) -> Path:
    """A sandbox data folder with the seed and the extra articles, written in this process."""
    server = serve(load_config(), data_dir=data)
    for number, title in enumerate(EXTRA, start=len(ARTICLES)):
        add_article(server.wiki, title, "an article added for the midnight race", number)
    server.stop()
    return data


@pytest.fixture
def child_wiki(tmp_path: Path) -> Iterator[Callable[[FakeClock], ChildWiki]]:
    """`gatebot sandbox` as a child process on the fake clock; stopped with SIGTERM afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(clock: FakeClock) -> ChildWiki:
        data = seeded(tmp_path / "wiki")
        child = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "sandbox", "--port", "0", "--latency", "20",
             "--data", str(data)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, env=environment(tmp_path / "sandbox-state", "Admin", clock.env),
        )  # fmt: skip
        started.append(child)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in child.stdout or ()],
                         daemon=True).start()  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line.strip().startswith("Action API"):
                return ChildWiki(line.split()[-1])
        raise AssertionError("the sandbox printed no Action API URL within 30 s")

    yield start
    for child in started:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
            raise AssertionError("the sandbox did not stop on SIGTERM") from None


def seat(clock: FakeClock, midnight: datetime, answer: Callable[[], object]) -> list[object]:
    """One way of answering, run once; when that run began before midnight, once more after."""
    began = clock.now()
    results = [answer()]
    if began < midnight:
        clock.sleep_until(midnight + timedelta(seconds=0.05))
        results.append(answer())
    return results


def by_day(moments: list[datetime], midnight: datetime) -> tuple[int, int]:
    return sum(m < midnight for m in moments), sum(m >= midnight for m in moments)


def test_eight_processes_across_midnight_send_the_limit_on_each_day_and_never_more(
    child_wiki, tmp_path
):
    require_faketime()
    began = time.monotonic()
    config = load_config()
    volunteer = config.account("Volunteer")
    assert volunteer is not None
    zone, real = (volunteer.timecorrection, config.timezone), datetime.now(UTC)
    midnight = POLICY.user_day(*zone, real).end  # the wiki's day ends with it (§4.2)
    assert POLICY.server_day(*zone, real).end == midnight
    start = midnight - timedelta(seconds=LEAD)
    clock = FakeClock(math.ceil((start - real).total_seconds() - SETUP))
    wiki = child_wiki(clock)
    account = Account(wiki.api_url.removesuffix("/api.php"), volunteer.user_id, "Volunteer",
                      *zone)  # fmt: skip
    assert clock.now() < start, f"the sandbox took over {SETUP} s to start"
    state, chance = tmp_path / "state", random.Random(12)
    files = [answers_file(tmp_path / f"answers{n}.csv", chance.sample(TITLES, EACH))
             for n in range(FILES)]  # fmt: skip

    def from_file(path: Path) -> Callable[[], object]:
        def run() -> object:
            child = gatebot(wiki, state, "Volunteer", "images", "session", "--answers", str(path),
                            "--task-type", TYPE, "--json", extra=clock.env)  # fmt: skip
            _, report, err = finished(child, timeout=60)
            assert report, err[-3000:]
            return report["answered"], report["stopped"]

        return run

    answering = [from_file(path) for path in files] + [
        lambda: at_the_terminal(wiki, state, EACH, clock.env),
        lambda: through_the_page(wiki, state, EACH, clock.env),
    ]
    outcomes: dict[int, list[object]] = {}
    clock.sleep_until(start)
    threads = [
        threading.Thread(
            target=lambda n=n, a=a: outcomes.setdefault(n, seat(clock, midnight, a)), daemon=True
        )
        for n, a in enumerate(answering)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, 50 - (time.monotonic() - began)))
        assert not thread.is_alive(), "a seat did not finish in time"
    assert len(outcomes) == len(answering), "a seat failed (see the thread's exception above)"

    logged = wiki.logged()
    days = by_day([at for at, _ in logged], midnight)
    seconds = Counter(int((at - midnight).total_seconds()) for at, _ in logged)
    print(
        f"midnight CLI race: {days[0]} sent before midnight, {days[1]} after; log seconds "
        f"from midnight {seconds}; seats {outcomes}; {time.monotonic() - began:.1f} s"
    )
    assert days == (LIMIT, LIMIT), f"{days}: was day 1 not full by midnight, {LEAD} s after?"
    assert start - timedelta(seconds=1) <= logged[0][0] and logged[-1][0] <= clock.now()
    first_runs = [outcomes[n][0] for n in range(FILES)]  # a closed gate sent them back later
    assert "daily-limit" in [stopped for _, stopped in first_runs]
    with Ledger.open(state) as ledger:
        for after, moment in ((False, start), (True, midnight + timedelta(seconds=1))):
            day = POLICY.user_day(*zone, moment)
            assert midnight in (day.start, day.end)
            entries = ledger.entries(account, day, task_type=TYPE)
            assert [e.state for e in entries] == ["committed"] * LIMIT, (after, entries)
            titles = sorted(title for at, title in logged if (at >= midnight) == after)
            assert sorted(e.title for e in entries) == titles, "a row dated on another day"
    quota = gatebot(wiki, state, "Volunteer", "images", "quota", "--json", "--task-type", TYPE,
                    extra=clock.env)  # fmt: skip
    _, report, err = finished(quota, timeout=60)
    assert (report.get("count"), report.get("remaining")) == (LIMIT, 0), err[-3000:]
