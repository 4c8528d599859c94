"""The sandbox suite's fixtures come from tests/sandbox_fixtures.py (shared with conformance).

`pytest_plugins` is only allowed in the top-level conftest, so they are imported here; the
top-level conftest loads the same module as a plugin for the conformance suite.
"""

from tests.sandbox_fixtures import sandbox_server, sandbox_wiki  # noqa: F401
