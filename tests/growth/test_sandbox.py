"""End to end against the built-in sandbox: fetch tasks and suggestions, answer yes and no as
Volunteer, and read the wiki's count back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

import policies
from bot.growth import (
    IMAGE,
    SECTION_IMAGE,
    Accept,
    EditConflict,
    GrowthClient,
    Reject,
    Skip,
    TaskFeed,
    TaskQuery,
)
from bot.sandbox.config import SandboxConfig, load_config
from bot.sandbox.server import SandboxServer, serve
from bot.wiki import BACKEND_NAMES, BotPassword, WikiClient, connect
from tests.growth.conftest import shown

NOON = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)


def start(config: SandboxConfig | None = None) -> SandboxServer:
    return serve(config or load_config(), clock=lambda: NOON)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = start()
    yield server
    server.stop()


def login(server: SandboxServer, user: str, state: Path, backend: str = "mwclient") -> WikiClient:
    return connect(
        server.api_url,
        backend=backend,
        credentials=BotPassword(f"{user}@gatebot", "sandbox"),
        state_dir=state / user,
        environ={},
        min_interval=0,
    )


def page_text(wiki: WikiClient, title: str) -> dict:
    answer = wiki.api_get({"action": "query", "prop": "revisions", "titles": title,
                           "rvprop": "content|comment", "rvslots": "main"})  # fmt: skip
    revision = answer["query"]["pages"][0]["revisions"][0]
    return {"text": revision["slots"]["main"]["content"], "comment": revision["comment"]}


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_a_volunteer_answers_yes_and_no_and_the_wiki_counts_both(
    sandbox, tmp_path, backend
) -> None:
    wiki = login(sandbox, "Volunteer", tmp_path, backend)
    growth = GrowthClient(wiki)
    assert growth.quality_gate().for_type(IMAGE).count == 0
    feed = TaskFeed(growth, TaskQuery((IMAGE,)))
    first = feed.next_offer()
    assert first is not None and first.suggestion.file_page_url.startswith("https://commons")
    assert first.suggestion.reason and first.suggestion.thumb_url
    accepted = growth.submit(first, Accept("Seen from the south bank"))
    assert accepted.recorded and accepted.rev_id is not None
    saved = page_text(wiki, first.task.title)
    assert saved["text"].startswith(
        f"[[File:{first.suggestion.filename}|thumb|Seen from the south bank]]\n'''"
    )
    assert saved["comment"] == "/* growthexperiments-addimage-summary-summary: 1 */"
    second = feed.next_offer()
    assert second is not None and second.task.title != first.task.title
    rejected = growth.submit(second, Reject(("notrelevant",)))
    assert rejected.recorded and rejected.rev_id is None
    assert page_text(wiki, second.task.title)["text"] == second.base.text
    growth.submit(shown(feed.next_offer()), Skip())
    count = growth.quality_gate().for_type(IMAGE)
    assert (count.count, count.source) == (2, "wiki")


def test_a_section_image_lands_at_the_start_of_its_section(sandbox, tmp_path) -> None:
    wiki = login(sandbox, "Volunteer", tmp_path)
    growth = GrowthClient(wiki)
    offer = TaskFeed(growth, TaskQuery((SECTION_IMAGE,))).next_offer()
    assert offer is not None and offer.suggestion.section_title == "History"
    growth.submit(offer, Accept("The place around 1900"))
    text = page_text(wiki, offer.task.title)["text"]
    assert f"== History ==\n[[File:{offer.suggestion.filename}|thumb|The place around 1900]]\n" in (
        text
    )
    assert growth.quality_gate().for_type(SECTION_IMAGE).count == 1


def test_the_answer_that_reaches_the_wikis_limit_carries_the_warning(tmp_path) -> None:
    config = load_config()
    server = start(
        dataclasses.replace(config, max_tasks_per_day={**config.max_tasks_per_day, IMAGE: 3})
    )
    try:
        growth = GrowthClient(login(server, "Volunteer", tmp_path))
        assert growth.limits().effective_limit(policies.load(), IMAGE) == 3
        feed = TaskFeed(growth, TaskQuery((IMAGE,)))
        flags = [growth.submit(shown(feed.next_offer()), Reject(("noinfo",))).daily_limit_reached
                 for _ in range(3)]  # fmt: skip
        assert flags == [False, False, True]
        assert growth.quality_gate().for_type(IMAGE).limit_reached is True
    finally:
        server.stop()


def test_an_article_edited_after_the_task_was_opened_is_an_edit_conflict(sandbox, tmp_path) -> None:
    growth = GrowthClient(login(sandbox, "Volunteer", tmp_path))
    offer = shown(TaskFeed(growth, TaskQuery((IMAGE,))).next_offer())
    admin = login(sandbox, "Admin", tmp_path)
    admin.api_post({"action": "edit", "title": offer.task.title, "appendtext": "\nMore text."})
    with pytest.raises(EditConflict):
        growth.submit(offer, Accept("Seen from the south bank"))
    assert growth.quality_gate().for_type(IMAGE).count == 0


def test_a_wiki_with_a_remote_suggester_reports_no_count(tmp_path) -> None:
    server = start(dataclasses.replace(load_config(), suggester="remote"))
    try:
        gate = GrowthClient(login(server, "Volunteer", tmp_path)).quality_gate()
        assert gate.for_type(IMAGE).source == "none"
    finally:
        server.stop()
