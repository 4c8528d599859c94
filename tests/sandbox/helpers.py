"""Helpers of the sandbox suite: contract fixtures, JSON shape comparison, a movable clock."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.sandbox.server import SandboxServer
from tests.conformance.api import ApiSession, logged_in
from tests.wikis import WikiUnderTest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "sandbox"


def fixture(name: str) -> Any:
    """One contract example, stored verbatim under fixtures/."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def shape_differences(actual: Any, expected: Any, path: str = "$") -> list[str]:
    """Where `actual` differs from `expected` in key order or JSON types (values may differ)."""
    if _json_type(actual) != _json_type(expected):
        return [f"{path}: {_json_type(actual)} where the contract has {_json_type(expected)}"]
    if isinstance(expected, dict):
        if list(actual) != list(expected):
            return [f"{path}: keys {list(actual)} where the contract has {list(expected)}"]
        return [
            d
            for key in expected
            for d in shape_differences(actual[key], expected[key], f"{path}.{key}")
        ]
    if isinstance(expected, list) and expected and actual:
        return shape_differences(actual[0], expected[0], f"{path}[0]")
    return []


@dataclass
class MovableClock:
    """The sandbox's clock in tests: starts at `now`, moves only when told."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def as_wiki(server: SandboxServer) -> WikiUnderTest:
    return WikiUnderTest(
        "sandbox",
        server.api_url,
        server.rest_url,
        ("Admin@gatebot", PASSWORD),
        ("Tester@gatebot", PASSWORD),
    )


def session_of(server: SandboxServer, user: str) -> ApiSession:
    """A logged-in cookie session of one of the seeded accounts."""
    return logged_in(as_wiki(server), (f"{user}@gatebot", PASSWORD))
