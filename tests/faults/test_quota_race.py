"""Quota race: 8 gatebot processes of one user on one machine answer at once, 40 answers each
(6 from answers files, 1 typed at a pseudo-terminal, 1 through the review page's HTTP API with
its token): exactly the daily limit (25) reaches the wiki, never more, never one short."""

from __future__ import annotations

import json
import random
import threading

from bot.sandbox.config import load_config
from bot.sandbox.seed import ARTICLES
from tests.faults.conftest import gatebot
from tests.faults.seats import TYPE, answers_file, at_the_terminal, through_the_page

LIMIT, PROCESSES, EACH = 25, 8, 40
TITLES = [title for title, _ in ARTICLES][:EACH]


def on_wiki(server) -> int:
    """How many answers of Volunteer the wiki logged (and so counts)."""
    volunteer = server.wiki.config.account("Volunteer")
    return server.wiki.store.count_log_rows(volunteer.user_id, "addimage", "")


def test_eight_processes_of_one_user_never_send_more_than_the_daily_limit(start_wiki, tmp_path):
    server = start_wiki(load_config().with_latency(20))
    state, chance = tmp_path / "state", random.Random(8)
    files = []
    for n in range(PROCESSES - 2):
        order = chance.sample(TITLES, len(TITLES))
        answers = answers_file(tmp_path / f"answers{n}.csv", order)
        files.append(gatebot(server, state, "Volunteer", "images", "session", "--answers",
                             str(answers), "--task-type", TYPE, "--json"))  # fmt: skip
    counts: dict[str, int] = {}

    def seat(name: str, answer) -> None:
        counts[name] = answer(server, state, EACH)

    drivers = [
        threading.Thread(target=seat, args=("terminal", at_the_terminal)),
        threading.Thread(target=seat, args=("page", through_the_page)),
    ]
    for driver in drivers:
        driver.start()
    reports = []
    for child in files:
        out, err = child.communicate(timeout=180)
        assert out.startswith("{"), err[-3000:]
        reports.append(json.loads(out))
    for driver in drivers:
        driver.join(180)
        assert not driver.is_alive()
    sent = on_wiki(server)
    assert sent == LIMIT, sent
    assert "daily-limit" in [report["stopped"] for report in reports]
    quota = json.loads(gatebot(server, state, "Volunteer", "images", "quota", "--json",
                               "--task-type", TYPE).communicate(timeout=60)[0])  # fmt: skip
    assert (quota["count"], quota["remaining"]) == (sent, LIMIT - sent)
    by_files = sum(report["answered"] for report in reports)
    print(f"quota race: {sent} sent; by the files {by_files}; asked at the terminal/page {counts}")
