"""Run every conformance test against the real MediaWiki and against gatebot's sandbox wiki."""

from __future__ import annotations

import pytest
from _pytest.fixtures import FixtureLookupError

from tests.wikis import WikiUnderTest

WIKI_FIXTURES = {"mediawiki": "real_wiki", "sandbox": "sandbox_wiki"}


@pytest.fixture(params=list(WIKI_FIXTURES))
def wiki(request: pytest.FixtureRequest) -> WikiUnderTest:
    """The wiki under test; a missing sandbox fixture is an error, never a silent pass."""
    fixture_name = WIKI_FIXTURES[request.param]
    try:
        return request.getfixturevalue(fixture_name)
    except FixtureLookupError:
        pass  # failed below, outside the handler, so the report is one sentence, not a chain
    pytest.fail(
        f"the session fixture {fixture_name!r} is not defined; the sandbox provides it in "
        "tests/sandbox_fixtures.py, loaded by tests/conftest.py (pytest_plugins).",
        pytrace=False,
    )
