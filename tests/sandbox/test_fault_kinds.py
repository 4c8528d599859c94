"""The sandbox's fault kinds: which statuses an injected failure answers with, maxlag refusals,
answers lost after a write."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from bot.sandbox.config import SandboxConfigError, load_config
from tests.sandbox.helpers import session_of


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sandbox.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_injected_failures_use_each_configured_status_with_retry_after(start_sandbox, tmp_path):
    path = config_file(
        tmp_path, "[faults]\nerror_rate = 1.0\nerror_statuses = [429, 500, 502]\nretry_after = 3\n"
    )
    wiki = start_sandbox(load_config(path))
    answers = [
        requests.get(wiki.api_url, params={"action": "query", "format": "json"}, timeout=10)
        for _ in range(40)
    ]
    assert {a.status_code for a in answers} == {429, 500, 502}
    assert {a.headers["Retry-After"] for a in answers} == {"3"}
    tally = wiki.requests.snapshot()
    assert tally["429 fault"] + tally["500 fault"] + tally["502 fault"] == 40
    assert tally["api:query"] == 0  # refused before the wiki acted


def test_maxlag_fault_refuses_a_write_unsaved_and_leaves_reads_without_maxlag(
    start_sandbox, tmp_path
):
    path = config_file(tmp_path, "[faults]\nmaxlag_rate = 1.0\nretry_after = 0\n")
    wiki = start_sandbox(load_config(path))
    admin = session_of(wiki, "Admin")
    answer = admin.edit("Lagged page", "not saved", maxlag=5)
    assert answer.json()["error"]["code"] == "maxlag"
    assert (answer.headers["MediaWiki-API-Error"], answer.headers["Retry-After"]) == ("maxlag", "0")
    assert int(answer.headers["X-Database-Lag"]) > 5
    info = admin.get(action="query", prop="info", titles="Lagged page").json()
    assert "missing" in info["query"]["pages"][0]
    assert wiki.requests.snapshot()["maxlag fault"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("error_statuses = [418]", "faults.error_statuses[1] = 418 must be one of 429, 500,"),
        ("error_statuses = []", "faults.error_statuses = [] must name at least one of 429"),
        ("error_statuses = 503", "faults.error_statuses = 503 must be a list"),
        ("maxlag_rate = 1.5", "faults.maxlag_rate = 1.5 must be a share from 0 to 1"),
        ("error_after_write_rate = -1", "faults.error_after_write_rate = -1 must be a share"),
    ],
)
def test_nonsense_fault_kinds_are_refused_naming_the_key(tmp_path, text, expected):
    with pytest.raises(SandboxConfigError, match=expected.replace("[", r"\[")):
        load_config(config_file(tmp_path, f"[faults]\n{text}\n"))


def test_a_dropped_answer_after_a_write_is_tallied(start_sandbox, tmp_path):
    wiki = start_sandbox(
        load_config(config_file(tmp_path, "[faults]\ndrop_after_write_rate = 1.0\n"))
    )
    with pytest.raises(requests.ConnectionError):
        session_of(wiki, "Admin").edit("Dropped answer", "saved anyway")
    tally = wiki.requests.snapshot()
    assert (tally["api:edit"], tally["drop fault"]) == (1, 1)


def test_a_500_after_a_write_answers_an_edit_the_wiki_saved(start_sandbox, tmp_path):
    wiki = start_sandbox(
        load_config(config_file(tmp_path, "[faults]\nerror_after_write_rate = 1.0\n"))
    )
    admin = session_of(wiki, "Admin")
    answer = admin.edit("Answered 500", "saved anyway")
    assert (answer.status_code, answer.text) == (500, "Internal Server Error\n")
    info = admin.get(action="query", prop="revisions", titles="Answered 500", rvprop="content")
    assert info.json()["query"]["pages"][0]["revisions"][0]["content"] == "saved anyway"
    tally = wiki.requests.snapshot()
    assert (tally["api:edit"], tally["500 after write fault"]) == (1, 1)
