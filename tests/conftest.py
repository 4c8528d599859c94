"""Session fixtures shared by all test suites: the real local MediaWiki."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mediawiki import LocalMediaWiki, missing_reason
from tests.wikis import WikiUnderTest

# the sandbox's session fixture `sandbox_wiki`, for the conformance suite
pytest_plugins = ["tests.sandbox_fixtures"]

TESTS_DIR = Path(__file__).resolve().parent
MEDIAWIKI_SUITES = (TESTS_DIR / "integration", TESTS_DIR / "conformance")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of the real-wiki suites `mediawiki`, so `-m "not mediawiki"` skips them."""
    for item in items:
        if any(item.path.is_relative_to(suite) for suite in MEDIAWIKI_SUITES):
            item.add_marker(pytest.mark.mediawiki)


@pytest.fixture(scope="session")
def local_mediawiki() -> Iterator[LocalMediaWiki]:
    """A fresh real MediaWiki for the whole session, stopped (workers too) at its end.

    Without the packages the tests skip, unless GATEBOT_REQUIRE_MEDIAWIKI=1 (CI) makes that a
    failure, so a CI run can never pass by not talking to a real wiki.
    """
    reason = missing_reason()
    if reason:
        if os.environ.get("GATEBOT_REQUIRE_MEDIAWIKI") == "1":
            pytest.fail(f"GATEBOT_REQUIRE_MEDIAWIKI=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with LocalMediaWiki() as server:
        yield server


@pytest.fixture(scope="session")
def real_wiki(local_mediawiki: LocalMediaWiki) -> WikiUnderTest:
    """The running local MediaWiki as a WikiUnderTest."""
    return local_mediawiki.wiki
