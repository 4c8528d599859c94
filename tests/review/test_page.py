"""The review page over a real session against the sandbox (daily limit 3): what it shows,
what an answer does, the gate at the limit and shared with a terminal session of the user."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.growth import IMAGE, SECTION_IMAGE, GrowthClient
from bot.sandbox.seed import ARTICLES
from bot.sandbox.server import SandboxServer
from tests.review.harness import LIMIT, PASSWORD, Page, start_page, stop_page, url_host


def wiki_count(page: Page, task_type: str = IMAGE) -> int | None:
    """What the wiki itself counted today (its log rows), read afresh."""
    return GrowthClient(page.wiki).quality_gate([task_type]).for_type(task_type).count


def article_text(page: Page, title: str) -> str:
    answer = page.wiki.api_get({"action": "query", "prop": "revisions", "titles": title,
                                "rvprop": "content", "rvslots": "main"})  # fmt: skip
    return answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def opened_titles(page: Page) -> list[str]:
    return [p["titles"] for p in page.sent if "growthimagesuggestiondata" in p.get("prop", "")]


def test_a_suggestion_shows_article_lead_link_image_and_why(page: Page, sandbox: SandboxServer):
    shown = page.suggestion()
    title = shown["title"]
    summary = dict(ARTICLES)[title]
    assert shown["lead"] == f"{title} is {summary}."
    assert shown["url"] == f"{sandbox.base_url}/w/index.php?title={title.replace(' ', '_')}"
    image = shown["image"]
    assert url_host(image["thumb"]) == url_host(sandbox.api_url)
    assert "/120px-" in image["thumb"] and image["full"] != image["thumb"]
    assert image["description"] == f"{title}, seen from the south"
    assert image["reason"] == "Found in the Wikidata item for this article (strong match)."
    assert image["source"] == "the article's Wikidata item"
    assert (shown["section"], shown["caption_minimum"]) == (None, 5)
    codes = [reason["code"] for reason in shown["reasons"]]
    assert "sectionnotappropriate" not in codes and len(codes) == 7
    assert [reason["key"] for reason in shown["reasons"]] == [str(n) for n in range(1, 8)]


def test_quota_and_the_users_zone_are_always_in_the_state(page: Page):
    (quota,) = page.state()["quota"]
    assert quota["text"] == f"0 of {LIMIT} today"
    assert (quota["zone"], quota["open"]) == ("Europe/Berlin", True)


def test_a_section_suggestion_shows_the_section(sandbox: SandboxServer, state: Path):
    page = start_page(sandbox, state, task_types=(SECTION_IMAGE,))
    try:
        shown = page.suggestion()
        assert shown["section"] == {
            "number": 1,
            "title": "History",
            "text": f"The history of {shown['title']} goes back several centuries.",
        }
        assert "sectionnotappropriate" in [reason["code"] for reason in shown["reasons"]]
        assert shown["image"]["reason"].startswith("Used in an equivalent article section")
    finally:
        stop_page(page)


def test_the_next_suggestion_is_opened_while_the_user_decides(page: Page):
    first = page.suggestion()
    done = threading.Event()
    for _ in range(200):
        if len(opened_titles(page)) >= 2:
            break
        done.wait(0.05)
    assert len(opened_titles(page)) == 2, "the next suggestion was not opened in advance"
    assert page.state()["suggestion"]["id"] == first["id"]
    reply = page.post_answer({"id": first["id"], "answer": "skip"})
    assert reply.json()["state"]["suggestion"]["title"] == opened_titles(page)[1]


def test_yes_adds_the_image_with_the_caption_and_counts(page: Page):
    shown = page.suggestion()
    reply = page.post_answer({"id": shown["id"], "answer": "yes", "caption": "  Seen at dusk  "})
    assert reply.status == 200
    data = reply.json()
    assert data["message"] == f"Added the image to {shown['title']}."
    filename = shown["image"]["name"].replace(" ", "_")
    assert f"[[File:{filename}|thumb|Seen at dusk]]" in article_text(page, shown["title"])
    assert data["state"]["quota"][0]["text"] == f"1 of {LIMIT} today"
    assert data["state"]["suggestion"]["title"] != shown["title"]
    assert wiki_count(page) == 1


def test_a_skip_sends_nothing_and_does_not_count(page: Page):
    shown = page.suggestion()
    data = page.post_answer({"id": shown["id"], "answer": "skip"}).json()
    assert data["message"] == f"Skipped {shown['title']}; nothing was sent."
    assert data["state"]["quota"][0]["text"] == f"0 of {LIMIT} today"
    assert wiki_count(page) == 0


def test_answers_the_wiki_would_refuse_are_refused_before_anything_is_sent(page: Page):
    shown = page.suggestion()
    for payload, field in (
        ({"answer": "yes", "caption": " abcd "}, "caption"),
        ({"answer": "yes"}, "caption"),
        ({"answer": "no", "reasons": []}, "reasons"),
        ({"answer": "no", "reasons": ["sectionnotappropriate"]}, "reasons"),
        ({"answer": "no", "reasons": ["nope"]}, "reasons"),
        ({"answer": "maybe"}, "answer"),
    ):
        reply = page.post_answer({"id": shown["id"], **payload})
        assert (reply.status, reply.json()["field"]) == (422, field), payload
    state = page.state()
    assert state["suggestion"]["id"] == shown["id"]
    assert state["quota"][0]["text"] == f"0 of {LIMIT} today"
    assert wiki_count(page) == 0


def test_an_answer_for_a_suggestion_no_longer_on_offer_is_refused(page: Page):
    shown = page.suggestion()
    assert page.post_answer({"id": shown["id"], "answer": "skip"}).status == 200
    again = page.post_answer({"id": shown["id"], "answer": "no", "reasons": ["notrelevant"]})
    assert again.status == 409
    assert again.json()["state"]["suggestion"]["id"] != shown["id"]
    assert wiki_count(page) == 0


def answer_to_the_limit(page: Page) -> dict:
    """Yes, skip, no, no: the third yes/no answer reaches the limit; the last reply."""
    data = {}
    for payload in (
        {"answer": "yes", "caption": "A fine picture"},
        {"answer": "skip"},
        {"answer": "no", "reasons": ["notrelevant", "lowquality"]},
        {"answer": "no", "reasons": ["unfamiliar"]},
    ):
        current = page.suggestion()
        reply = page.post_answer({"id": current["id"], **payload})
        assert reply.status == 200, reply.body
        data = reply.json()
    return data


def test_at_the_limit_the_page_says_when_it_reopens_and_the_session_ends(page: Page):
    data = answer_to_the_limit(page)
    state = data["state"]
    assert state["suggestion"] is None and state["ended"] is True
    stop = state["stop"]
    assert stop["reason"] == "daily-limit"
    (message,) = stop["messages"]
    assert f"You have answered {LIMIT} of {LIMIT} article images today" in message
    assert "resets at 00:00 Europe/Berlin, in " in message
    assert "Still open: section images." in message
    assert stop["resets"][0].endswith(("+01:00", "+02:00"))  # midnight in Berlin
    report = page.finish()
    assert (report.stopped, report.answered, report.skipped) == ("daily-limit", 3, 1)
    assert wiki_count(page) == LIMIT


def terminal_session(sandbox: SandboxServer, state: Path, tmp_path: Path, titles: list[str]):
    """`gatebot images session --answers FILE` in another process, same user and state folder."""
    answers = tmp_path / "answers.csv"
    rows = "".join(f'"{title}",no,notrelevant,\n' for title in titles)
    answers.write_text("title,answer,reasons,caption\n" + rows, encoding="utf-8")
    environ = {**os.environ, "GATEBOT_USER": "Volunteer@gatebot", "GATEBOT_PASSWORD": PASSWORD}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "images", "session", "--wiki", sandbox.api_url,
         "--state-dir", str(state), "--task-type", IMAGE, "--answers", str(answers)],
        env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def other_titles(page: Page, count: int) -> list[str]:
    opened = set(opened_titles(page))
    return [title for title, _ in reversed(ARTICLES) if title not in opened][:count]


def test_a_terminal_session_using_the_quota_closes_the_page_at_once(
    page: Page, sandbox: SandboxServer, state: Path, tmp_path: Path
):
    shown = page.suggestion()
    done = terminal_session(sandbox, state, tmp_path, other_titles(page, LIMIT))
    assert done.returncode == 0, done.stderr
    state_now = page.state()  # the page's next look at the quota
    assert state_now["stop"]["reason"] == "daily-limit"
    assert state_now["suggestion"] is None
    assert f"{LIMIT} of {LIMIT}" in state_now["stop"]["messages"][0]
    assert state_now["stop"]["messages"][1].startswith("Another session of yours")
    report = page.finish()  # the session ended, and with it the page's server
    assert (report.stopped, report.answered) == ("daily-limit", 0)
    with pytest.raises(OSError):
        page.post_answer({"id": shown["id"], "answer": "no", "reasons": ["notrelevant"]})
    assert wiki_count(page) == LIMIT


def test_the_gate_asks_the_ledger_before_sending_what_the_page_answers(
    page: Page, sandbox: SandboxServer, state: Path, tmp_path: Path
):
    """The terminal uses the last slots while the page is open, and the page's answer comes
    before the page looked at the quota again: the gate refuses it, nothing is sent."""
    first = page.suggestion()
    page.post_answer({"id": first["id"], "answer": "no", "reasons": ["notrelevant"]})
    shown = page.suggestion()
    done = terminal_session(sandbox, state, tmp_path, other_titles(page, LIMIT - 1))
    assert done.returncode == 0, done.stderr
    reply = page.post_answer({"id": shown["id"], "answer": "no", "reasons": ["noinfo"]})
    assert reply.status == 200
    data = reply.json()
    assert data["error"].startswith(f"{shown['title']}: not sent: the daily limit was reached")
    assert data["state"]["stop"]["reason"] == "daily-limit"
    assert page.finish().answered == 1
    assert wiki_count(page) == LIMIT


def test_a_page_opened_after_the_quota_is_used_up_still_says_why(
    sandbox: SandboxServer, state: Path, tmp_path: Path
):
    titles = [title for title, _ in ARTICLES[-LIMIT:]]
    assert terminal_session(sandbox, state, tmp_path, titles).returncode == 0
    page = start_page(sandbox, state)
    try:
        assert page.request("GET", f"/?token={page.token}").status == 200
        shown = page.shown()
        assert shown["suggestion"] is None
        assert shown["stop"]["reason"] == "daily-limit"
        assert "resets at 00:00 Europe/Berlin" in shown["stop"]["messages"][0]
        assert page.finish().stopped == "daily-limit"
    finally:
        stop_page(page)
