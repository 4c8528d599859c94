"""Quota race: 8 gatebot processes of one user on one machine answer at once, 40 answers each
(6 from answers files, 1 typed at a pseudo-terminal, 1 through the review page's HTTP API with
its token): exactly the daily limit (25) reaches the wiki, never more, never one short."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bot.sandbox.config import load_config
from bot.sandbox.seed import ARTICLES
from tests.faults.conftest import environment, gatebot
from tests.suggestions.terminal import Terminal

LIMIT, PROCESSES, EACH = 25, 8, 40
TITLES = [title for title, _ in ARTICLES][:EACH]
TYPE = "image-recommendation"
QUESTION = r"\[q\]uit: $"


def on_wiki(server) -> int:
    """How many answers of Volunteer the wiki logged (and so counts)."""
    volunteer = server.wiki.config.account("Volunteer")
    return server.wiki.store.count_log_rows(volunteer.user_id, "addimage", "")


def answers_file(path: Path, titles: list[str]) -> Path:
    path.write_text("title,answer,reasons,caption\n" + "".join(
        f"{t},yes,,{t} seen from above\n" if n % 2 else f"{t},no,lowquality,\n"
        for n, t in enumerate(titles)
    ))  # fmt: skip
    return path


def at_the_terminal(server, state: Path, answered: list[int]) -> None:
    """Answer "no, low quality" at every question, 40 at most, until the session ends."""
    term = Terminal(["images", "session", "--wiki", server.api_url, "--task-type", TYPE],
                    environment(state, "Volunteer"))  # fmt: skip
    for _ in range(EACH):
        screen = term.read_until(QUESTION + "|Session over", timeout=60)
        if re.search(r"Session over", screen[-2000:]):
            break
        term.type("n")
        term.read_until(r"Reasons .*: $", timeout=60)
        term.raw = ""
        term.type("4")
        answered[0] += 1
    term.wait(timeout=60)


def through_the_page(server, state: Path, answered: list[int]) -> None:
    """`images review`, answered over its HTTP API with the token its link carries."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "images", "review", "--no-browser", "--wiki",
         server.api_url, "--task-type", TYPE],
        env=environment(state, "Volunteer"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    link = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", process.stdout.readline())
    assert link, "the review page printed no link"
    base, token = f"http://127.0.0.1:{link[1]}", link[2]

    def call(path: str, body: dict | None = None) -> dict:
        headers = {"X-Gatebot-Token": token}
        if body is not None:
            headers |= {"Origin": base, "Content-Type": "application/json"}
        request = urllib.request.Request(base + path, json.dumps(body).encode() if body else None,
                                         headers)  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())

    deadline = time.monotonic() + 120
    try:
        while answered[0] < EACH and time.monotonic() < deadline and process.poll() is None:
            shown = call("/api/state").get("suggestion")
            if shown is None:
                time.sleep(0.05)
                continue
            call("/api/answer", {"id": shown["id"], "answer": "no", "reasons": ["lowquality"]})
            answered[0] += 1
    except OSError:
        pass  # the page closed as the session ended
    finally:
        process.terminate()
        process.communicate(timeout=60)


def test_eight_processes_of_one_user_never_send_more_than_the_daily_limit(start_wiki, tmp_path):
    server = start_wiki(load_config().with_latency(20))
    state, chance = tmp_path / "state", random.Random(8)
    files = []
    for n in range(PROCESSES - 2):
        order = chance.sample(TITLES, len(TITLES))
        answers = answers_file(tmp_path / f"answers{n}.csv", order)
        files.append(gatebot(server, state, "Volunteer", "images", "session", "--answers",
                             str(answers), "--task-type", TYPE, "--json"))  # fmt: skip
    counts: dict[str, list[int]] = {"terminal": [0], "page": [0]}
    drivers = [
        threading.Thread(target=at_the_terminal, args=(server, state, counts["terminal"])),
        threading.Thread(target=through_the_page, args=(server, state, counts["page"])),
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
