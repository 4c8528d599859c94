"""Fixtures of the GrowthExperiments client tests: a scripted wiki behind `responses` (the
transport's FakeWiki) with contract examples as replies, and the client logged in to it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from bot.growth import GrowthClient, Offer, Task
from bot.growth.suggestions import parse_offer
from bot.wiki import BotPassword, RetryPolicy, connect
from tests.wiki.fakewiki import API, LOGIN, SECRET, FakeWiki

FIXTURES = Path(__file__).resolve().parents[1] / "sandbox" / "fixtures"
START = "2026-08-21T07:00:00Z"
BASE_TIMESTAMP = "2026-08-20T10:11:12Z"
LEAD = "'''Lake Tana Bridge''' is a bridge over the Blue Nile near Bahir Dar.\n"


def fixture(name: str) -> Any:
    """A contract example from tests/sandbox/fixtures (read-only, shared with the sandbox)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def ok(body: Any) -> tuple[int, dict[str, str], Any]:
    return 200, {}, body


def opened(text: str = LEAD, *, suggestion: str = "ge_image_suggestion.json") -> dict[str, Any]:
    """The answer to opening one task: the contract's suggestion plus the page's revision."""
    answer = copy.deepcopy(fixture(suggestion))
    answer["query"]["pages"][0]["revisions"] = [
        {
            "revid": 1234567890,
            "parentid": 1234567000,
            "timestamp": BASE_TIMESTAMP,
            "slots": {"main": {"contentmodel": "wikitext", "content": text}},
        }
    ]
    answer["curtimestamp"] = START
    return answer


def section_suggestion() -> dict[str, Any]:
    """The contract's section-image example: Old_mill_1910.jpg for section 2, "History"."""
    answer = copy.deepcopy(fixture("ge_image_suggestion.json"))
    image = answer["query"]["pages"][0]["growthimagesuggestiondata"][0]["images"][0]
    image.update(
        image="Old_mill_1910.jpg",
        displayFilename="Old mill 1910.jpg",
        source="wikidata-section-alignment",
        projects=["dewiki", "frwiki"],
        sectionNumber=2,
        sectionTitle="History",
    )
    image["metadata"]["reason"] = (
        "Used in an equivalent article section in 2 other languages: German, French."
    )
    return answer


@pytest.fixture
def fake() -> Iterator[FakeWiki]:
    wiki = FakeWiki()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wiki.install(rsps)
        yield wiki


@pytest.fixture
def growth(fake: FakeWiki, tmp_path: Path) -> Iterator[GrowthClient]:
    client = connect(
        API,
        credentials=BotPassword(LOGIN, SECRET),
        state_dir=tmp_path / "state",
        sleep=lambda _seconds: None,
        retry_policy=RetryPolicy(attempts=2, total_wait=1.0),
        environ={},
        min_interval=0,
    )
    yield GrowthClient(client)
    client.close()


def sent(fake: FakeWiki, label: str) -> list[dict[str, str]]:
    """The parameters of every request of `label` (the action) the client sent, in order."""
    return [body for name, body in zip(fake.labels, fake.bodies, strict=True) if name == label]


def queries(fake: FakeWiki) -> list[dict[str, str]]:
    """The parameters of every `action=query` request the client sent, in order."""
    return sent(fake, "query")


def shown(offer: Offer | None) -> Offer:
    """The offer a test expects the client to have made."""
    assert offer is not None, "expected a task to show"
    return offer


def make_offer(
    text: str = LEAD, *, task_type: str = "image-recommendation", section: bool = False
) -> Offer:
    """An opened task as the client builds it from contract answers (no request sent)."""
    task = Task("Lake Tana Bridge", task_type, 0, page_id=5123987)
    offer = parse_offer(
        task, opened(text) if not section else _with_text(section_suggestion(), text)
    )
    assert offer is not None
    return offer


def _with_text(answer: dict[str, Any], text: str) -> dict[str, Any]:
    base = opened(text)
    answer["query"]["pages"][0]["revisions"] = base["query"]["pages"][0]["revisions"]
    answer["curtimestamp"] = START
    return answer
