"""`gatebot images review` in headless Chromium against the sandbox (daily limit 3): answered
by keyboard only up to the limit, the page closed at the limit with its reset time, a terminal
session of the same user sharing the quota, and the page on a narrow window. A screenshot is
taken at each state."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.growth import IMAGE, GrowthClient
from bot.sandbox.seed import ARTICLES
from bot.sandbox.server import SandboxServer
from tests.browser.conftest import SCREENSHOTS
from tests.review.harness import LIMIT, PASSWORD, login, small_sandbox

USER = {"GATEBOT_USER": "Volunteer@gatebot", "GATEBOT_PASSWORD": PASSWORD}


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = small_sandbox()
    yield server
    server.stop()


class Review:
    """`gatebot images review --no-browser` in its own process; `url` is its first line."""

    def __init__(self, sandbox: SandboxServer, state: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "images", "review", "--no-browser",
             "--wiki", sandbox.api_url, "--state-dir", str(state), "--task-type", IMAGE],
            env={**os.environ, **USER}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        assert first.startswith("Review page: http://127.0.0.1:"), first
        self.url = first.removeprefix("Review page: ")

    def finish(self, timeout: float = 30) -> tuple[int, str]:
        """Wait for the command to end on its own: its exit status and the rest of stdout."""
        out, _ = self.process.communicate(timeout=timeout)
        return self.process.returncode, out

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.communicate(timeout=30)


@pytest.fixture
def review(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Review]:
    running = Review(sandbox, tmp_path / "state")
    yield running
    running.kill()


def wait_for(condition: Callable[[], object], what: str, timeout: float = 15) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Page:
    """The page in the browser, used by keyboard only."""

    def __init__(self, driver, artifacts: Path, prefix: str):
        self.driver, self.artifacts, self.prefix = driver, artifacts, prefix

    def js(self, script: str):
        return self.driver.execute_script(script)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()

    def text(self, element_id: str) -> str:
        return self.js(f"return document.getElementById('{element_id}').textContent")

    def focused(self) -> str:
        return self.js("return document.activeElement.id || document.activeElement.value")

    def visible(self, element_id: str) -> bool:
        return not self.js(f"return document.getElementById('{element_id}').closest('[hidden]')")

    def title(self) -> str:
        return self.text("title-link") if self.visible("card") else ""

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{self.prefix}-{name}.png"
        self.driver.save_screenshot(str(path))
        SCREENSHOTS.append(path)
        print(f"screenshot: {path}")
        return path

    def next_suggestion(self, after: str) -> str:
        return str(wait_for(lambda: self.title() not in ("", after) and self.title(),
                            f"a suggestion after {after!r}"))  # fmt: skip

    def csp_violations(self) -> list[str]:
        return [entry["message"] for entry in self.driver.get_log("browser")
                if "Content Security Policy" in entry["message"]]  # fmt: skip


def open_page(browser, review: Review, artifacts: Path, prefix: str) -> Page:
    browser.get(review.url)
    page = Page(browser, artifacts, prefix)
    wait_for(page.title, "the first suggestion")
    wait_for(lambda: page.js("return document.getElementById('thumb').naturalWidth"), "the image")
    return page


def wiki_count(sandbox: SandboxServer, state: Path) -> int | None:
    with login(sandbox, state / "reader") as wiki:
        return GrowthClient(wiki).quality_gate([IMAGE]).for_type(IMAGE).count


def test_keyboard_only_up_to_the_daily_limit(browser, review, sandbox, artifacts, tmp_path):
    page = open_page(browser, review, artifacts, "keyboard")
    assert page.focused() == "title", "focus should start on the suggestion's title"
    assert page.text("quota") == f"0 of {LIMIT} today · your day runs in Europe/Berlin"
    first = page.title()
    page.screenshot("1-suggestion")

    page.keys("i")
    wait_for(lambda: page.js("return document.getElementById('full').naturalWidth") == 640,
             "the enlarged image")  # fmt: skip
    assert page.js("return document.getElementById('viewer').open")
    page.screenshot("2-enlarged")
    page.keys("\ue00c")  # Escape closes the viewer
    assert not page.js("return document.getElementById('viewer').open")

    page.keys("y")
    assert page.focused() == "caption"
    page.keys("abc")
    assert page.text("caption-count") == "(3 of 5)"
    page.keys("\ue007")  # Enter: too short, refused on the page, nothing sent
    assert "at least 5 characters" in page.text("error") and page.title() == first
    page.keys(" seen from the south bank")
    page.screenshot("3-yes-with-caption")
    page.keys("\ue007")
    second = page.next_suggestion(first)
    assert page.text("status") == f"Added the image to {first}."
    assert page.text("quota").startswith(f"1 of {LIMIT} today")
    assert page.focused() == "title"

    page.keys("n")
    assert page.focused() != "title"  # the first reason's checkbox
    page.keys("1", "5")
    checked = page.js("return [...document.querySelectorAll('#reasons input:checked')]"
                      ".map(i => i.value)")  # fmt: skip
    assert checked == ["notrelevant", "unfamiliar"]
    page.screenshot("4-no-with-reasons")
    page.keys("\ue007")
    third = page.next_suggestion(second)

    page.keys("s", "\ue007")  # skip: not counted
    fourth = page.next_suggestion(third)
    assert page.text("quota").startswith(f"2 of {LIMIT} today")

    page.keys("n", "3", "\ue007")
    wait_for(lambda: page.visible("stopped"), "the closed gate")
    assert page.text("stopped-heading") == "Daily limit reached"
    closed = page.text("stopped-text")
    assert f"You have answered {LIMIT} of {LIMIT} article images today" in closed
    assert "resets at 00:00 Europe/Berlin, in" in closed and "Still open: section images" in closed
    assert page.text("quota").startswith(f"{LIMIT} of {LIMIT} today")
    assert page.focused() == "stopped-heading"
    page.screenshot("5-daily-limit")

    page.keys("y", "a caption after the limit", "\ue007")  # nothing more is sent
    status, out = review.finish()
    assert status == 0
    assert "Session over: the daily limit is reached (daily-limit)." in out
    assert "answered 3 (accepted 1, rejected 2), skipped 1" in out
    assert wiki_count(sandbox, tmp_path) == LIMIT
    assert fourth != first and page.csp_violations() == []


def terminal_session(sandbox: SandboxServer, state: Path, answers: Path, titles: list[str]):
    rows = "".join(f'"{title}",no,notrelevant,\n' for title in titles)
    answers.write_text("title,answer,reasons,caption\n" + rows, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "images", "session", "--wiki", sandbox.api_url,
         "--state-dir", str(state), "--task-type", IMAGE, "--answers", str(answers)],
        env={**os.environ, **USER}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_terminal_session_shares_the_quota(browser, review, sandbox, artifacts, tmp_path):
    page = open_page(browser, review, artifacts, "shared")
    first = page.title()
    page.keys("n", "1", "\ue007")
    second = page.next_suggestion(first)
    others = [t for t, _ in reversed(ARTICLES) if t not in (first, second)][: LIMIT - 1]
    done = terminal_session(sandbox, tmp_path / "state", tmp_path / "answers.csv", others)
    assert done.returncode == 0, done.stderr
    assert f"answered {LIMIT - 1}" in done.stdout
    # The page sees it at its next look at the quota, before the user does anything.
    wait_for(lambda: page.visible("stopped"), "the gate closed by the terminal session")
    assert page.text("quota").startswith(f"{LIMIT} of {LIMIT} today")
    assert f"{LIMIT} of {LIMIT} article images today" in page.text("stopped-text")
    assert "Another session of yours" in page.text("stopped-text")
    page.screenshot("6-closed-by-the-terminal")
    status, out = review.finish()
    assert (status, "(daily-limit)" in out) == (0, True)
    assert wiki_count(sandbox, tmp_path) == LIMIT


def test_narrow_window_and_screen_reader_labels(browser, review, artifacts):
    browser.set_window_size(400, 900)
    page = open_page(browser, review, artifacts, "narrow")
    assert page.js("return document.documentElement.scrollWidth <= window.innerWidth")
    page.keys("n")
    page.screenshot("7-narrow-no")
    page.keys("\ue00c", "y")
    page.screenshot("8-narrow-yes")
    unlabelled = page.js(
        "return [...document.querySelectorAll('input')].filter(i => !i.labels.length)"
        ".map(i => i.id || i.value)"
    )
    assert unlabelled == []
    live = page.js(
        "return [...document.querySelectorAll('[aria-live],[role=alert]')].map(e => e.id)"
    )
    assert {"quota", "status", "error"} <= set(live)
    assert page.js("return document.getElementById('thumb').alt").startswith("Suggested image: ")
    assert page.csp_violations() == []
