"""An acceptance checklist: each criterion with its result, the evidence and what to do on ❌.

The evidence is what was sent and what the wiki answered, shortened, never a token or cookie
(`request_text`, `answer_text`), so a tester can paste the checklist on the task as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"
EVIDENCE_LIMIT = 400  # characters of one evidence item; the rest is cut with "…"
_SECRET_KEYS = frozenset({"token", "lgtoken", "lgpassword", "password"})


@dataclass(frozen=True)
class Check:
    """One criterion: `status` is PASSED, FAILED or NOT_RUN; `todo` says what to do when it
    did not pass; `note` is what a tester should know either way."""

    criterion: str
    status: str
    evidence: tuple[str, ...] = ()
    todo: str = ""
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def as_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "result": self.status,
            "evidence": list(self.evidence),
            "todo": self.todo or None,
            "note": self.note or None,
        }


def check(criterion: str, ok: bool, evidence: list[str], *, todo: str, note: str = "") -> Check:
    """A check that passed or failed; `todo` is kept only for a failure."""
    status = PASSED if ok else FAILED
    return Check(criterion, status, tuple(evidence), todo if not ok else "", note)


def not_run(criterion: str, why: str, evidence: list[str] | None = None) -> Check:
    """A criterion that could not be checked: never counted as passed."""
    return Check(criterion, NOT_RUN, tuple(evidence or ()), todo=why)


@dataclass
class Checklist:
    """The checks of one run against one wiki, with what the run wrote and left behind."""

    name: str
    wiki: str
    user: str
    checks: list[Check] = field(default_factory=list)
    writes: int = 0
    notes: list[str] = field(default_factory=list)
    left: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, item: Check) -> Check:
        self.checks.append(item)
        return item

    def count(self, status: str) -> int:
        return sum(1 for item in self.checks if item.status == status)

    @property
    def ok(self) -> bool:
        """Every criterion passed: a criterion not run is not a pass."""
        return bool(self.checks) and all(item.passed for item in self.checks)

    def summary(self) -> str:
        return (
            f"{self.count(PASSED)} passed, {self.count(FAILED)} failed, "
            f"{self.count(NOT_RUN)} not run"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "checklist": self.name,
            "wiki": self.wiki,
            "user": self.user,
            "ok": self.ok,
            "summary": {
                PASSED: self.count(PASSED),
                FAILED: self.count(FAILED),
                NOT_RUN: self.count(NOT_RUN),
            },
            "checks": [item.as_json() for item in self.checks],
            "writes": self.writes,
            "notes": list(self.notes),
            "left": {kind: list(items) for kind, items in self.left.items()},
            **self.details,
        }


def shorten(text: str, limit: int = EVIDENCE_LIMIT) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def compact(value: Any) -> str:
    """JSON without spaces and without secret keys, for evidence."""
    return json.dumps(_without_secrets(value), ensure_ascii=False, separators=(",", ":"))


def _without_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [_without_secrets(item) for item in value]
    return value


def request_text(method: str, path: str, body: Any = None) -> str:
    """`PUT /campaignevents/v0/event_registration/7 {"types":["meetup"]}`, token removed."""
    return f"{method} {path}" + (f" {compact(body)}" if body is not None else "")


def exchange(request: str, answer: str) -> str:
    """One evidence item: the request and the wiki's answer, shortened."""
    return shorten(f"{request} → {answer}")
