"""The three ways one user answers in the quota races, each a real gatebot process: an answers
file, a pseudo-terminal and the review page over its HTTP API (shared by both race suites)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from tests.faults.conftest import Wiki, environment
from tests.suggestions.terminal import Terminal

TYPE = "image-recommendation"
QUESTION = r"\[q\]uit: $"


def answers_file(path: Path, titles: list[str]) -> Path:
    """Alternately no (low quality) and yes (with a caption) for each title, in this order."""
    path.write_text("title,answer,reasons,caption\n" + "".join(
        f"{t},yes,,{t} seen from above\n" if n % 2 else f"{t},no,lowquality,\n"
        for n, t in enumerate(titles)
    ))  # fmt: skip
    return path


def at_the_terminal(
    wiki: Wiki, state: Path, most: int, extra: Mapping[str, str] | None = None
) -> int:
    """Answer "no, low quality" at every question, `most` at most, until the session ends;
    how many were typed."""
    term = Terminal(["images", "session", "--wiki", wiki.api_url, "--task-type", TYPE],
                    environment(state, "Volunteer", extra))  # fmt: skip
    typed = 0
    for _ in range(most):
        screen = term.read_until(QUESTION + "|Session over", timeout=60)
        if re.search(r"Session over", screen[-2000:]):
            break
        term.type("n")
        term.read_until(r"Reasons .*: $", timeout=60)
        term.raw = ""
        term.type("4")
        typed += 1
    term.wait(timeout=60)
    return typed


def through_the_page(
    wiki: Wiki, state: Path, most: int, extra: Mapping[str, str] | None = None
) -> int:
    """`images review`, answered over its HTTP API with the token its link carries, `most` at
    most, until the page ends; how many were answered."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "images", "review", "--no-browser", "--wiki",
         wiki.api_url, "--task-type", TYPE],
        env=environment(state, "Volunteer", extra), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
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

    answered, deadline = 0, time.monotonic() + 120
    try:
        while answered < most and time.monotonic() < deadline and process.poll() is None:
            shown = call("/api/state").get("suggestion")
            if shown is None:
                time.sleep(0.05)
                continue
            call("/api/answer", {"id": shown["id"], "answer": "no", "reasons": ["lowquality"]})
            answered += 1
    except OSError:
        pass  # the page closed as the session ended
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)
            raise AssertionError("the review page did not end on SIGTERM") from None
    return answered
