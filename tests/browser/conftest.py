"""Fixtures of the review page's browser tests: headless Chromium through Selenium and the
system chromedriver (Debian's `chromium` and `chromium-driver`, installed by scripts/setup).

Without them the tests skip with the reason, except under GATEBOT_REQUIRE_BROWSER=1 (set by
.ci/run), where that is a failure: CI cannot pass by not running them. Screenshots go to
$GATEBOT_ARTIFACTS (or a temporary folder) and their paths are listed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

SCREENSHOTS: list[Path] = []
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not any(shutil.which(name) for name in BROWSERS):
        return "Chromium is not installed (apt-get install chromium; scripts/setup does it)"
    if not shutil.which("chromedriver"):
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return None


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are kept: $GATEBOT_ARTIFACTS, else a temporary folder."""
    given = os.environ.get("GATEBOT_ARTIFACTS")
    folder = Path(given) / "browser" if given else tmp_path_factory.mktemp("browser-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser() -> Iterator:
    """A fresh headless Chromium (1280 x 900), its console log kept for the CSP checks."""
    reason = missing_reason()
    if reason:
        if os.environ.get("GATEBOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GATEBOT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)  # fmt: skip
    options.binary_location = next(shutil.which(n) for n in BROWSERS if shutil.which(n))
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS:
        terminalreporter.section("review page screenshots")
        for path in SCREENSHOTS:
            terminalreporter.write_line(str(path))
