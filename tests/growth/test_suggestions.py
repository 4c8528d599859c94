"""`prop=growthimagesuggestiondata`: one title per request, only for the task handed out (§2.1)."""

from __future__ import annotations

import pytest

from bot.growth import IMAGE, SECTION_IMAGE, Task, TaskFeed, TaskQuery, UnexpectedAnswer
from bot.growth.suggestions import parse_offer
from tests.growth.conftest import (
    BASE_TIMESTAMP,
    LEAD,
    START,
    fixture,
    ok,
    opened,
    queries,
    section_suggestion,
    sent,
    shown,
)
from tests.growth.test_tasks import generator_answer

TASK = Task("Lake Tana Bridge", IMAGE, 0, page_id=5123987)


def test_the_suggestion_carries_what_a_volunteer_needs_to_decide() -> None:
    offer = shown(parse_offer(TASK, opened()))
    image = offer.suggestion
    assert image.filename == "Tana_bridge_2019.jpg"  # the DB-key form the answer sends
    assert image.display_filename == "Tana bridge 2019.jpg"
    assert (image.source, image.projects) == ("wikidata", ())
    assert image.description == "The new bridge over the Blue Nile near Bahir Dar"
    assert image.thumb_url.endswith("/120px-Tana_bridge_2019.jpg")
    assert image.file_page_url == "https://commons.wikimedia.org/wiki/File:Tana_bridge_2019.jpg"
    assert image.reason == "Found in the Wikidata item for this article (strong match)."
    assert (image.section_number, image.section_title) == (None, None)
    assert (image.license, image.dataset_id) == ("CC BY-SA 4.0", "2026-08-18")
    assert (offer.base.rev_id, offer.base.timestamp, offer.base.text) == (
        1234567890, BASE_TIMESTAMP, LEAD,
    )  # fmt: skip
    assert offer.start_timestamp == START


def test_a_section_suggestion_names_its_section() -> None:
    answer = section_suggestion()
    answer["query"]["pages"][0]["revisions"] = opened()["query"]["pages"][0]["revisions"]
    answer["curtimestamp"] = START
    image = shown(parse_offer(Task("Lake Tana Bridge", SECTION_IMAGE, 0), answer)).suggestion
    assert (image.section_number, image.section_title) == (2, "History")
    assert (image.source, image.projects) == ("wikidata-section-alignment", ("dewiki", "frwiki"))


def test_a_section_suggestion_without_a_section_is_refused() -> None:
    with pytest.raises(UnexpectedAnswer, match="names no section"):
        parse_offer(Task("Lake Tana Bridge", SECTION_IMAGE, 0), opened())


def test_no_suggestion_key_or_only_errors_means_nothing_to_show() -> None:
    no_key = opened()
    del no_key["query"]["pages"][0]["growthimagesuggestiondata"]
    assert parse_offer(TASK, no_key) is None
    errors = opened()
    page = errors["query"]["pages"][0]
    del page["growthimagesuggestiondata"]
    page["growthimagesuggestiondataerrors"] = [{"code": "x", "text": "Image missing on Commons"}]
    assert parse_offer(TASK, errors) is None


def test_opening_a_task_asks_for_that_one_title_with_its_revision(growth, fake) -> None:
    fake.then("query", ok(opened()))
    growth.open(TASK)
    request = queries(fake)[-1]
    assert request["prop"] == "growthimagesuggestiondata|revisions"
    assert (request["titles"], request["gisdtasktype"]) == ("Lake Tana Bridge", IMAGE)
    assert (request["rvprop"], request["curtimestamp"]) == ("ids|timestamp|content", "1")


def suggestion_calls(fake) -> list[str]:
    return [q["titles"] for q in queries(fake) if "growthimagesuggestiondata" in q.get("prop", "")]


def test_the_feed_fetches_suggestion_data_only_for_the_task_it_hands_out(growth, fake) -> None:
    fake.then(
        "query",
        ok(generator_answer((5, "Lake Tana Bridge", IMAGE), (8, "Vltava Weir", IMAGE),
                            (9, "Spree Tunnel", IMAGE))),
        ok(opened()),
        ok(opened()),
    )  # fmt: skip
    feed = TaskFeed(growth, TaskQuery((IMAGE,)))
    assert suggestion_calls(fake) == []
    feed.next_offer()
    assert suggestion_calls(fake) == ["Lake Tana Bridge"]
    feed.next_offer()
    assert suggestion_calls(fake) == ["Lake Tana Bridge", "Vltava Weir"]


def test_an_article_that_already_has_an_image_is_passed_over_and_invalidated(growth, fake) -> None:
    illustrated = "[[File:Old.jpg|thumb|Old]]\n" + LEAD
    fake.then(
        "query",
        ok(generator_answer((5, "Lake Tana Bridge", IMAGE), (8, "Vltava Weir", IMAGE))),
        ok(opened(illustrated)),
        ok(opened()),
    )  # fmt: skip
    fake.then("growthinvalidateimagerecommendation", ok(fixture("ge_invalidate.json")))
    offer = TaskFeed(growth, TaskQuery((IMAGE,))).next_offer()
    assert offer is not None and offer.task.title == "Vltava Weir"
    (request,) = sent(fake, "growthinvalidateimagerecommendation")
    assert (request["title"], request["filename"], request["tasktype"]) == (
        "Lake Tana Bridge", "Tana_bridge_2019.jpg", IMAGE,
    )  # fmt: skip


def test_a_wiki_refusing_the_invalidation_does_not_stop_the_feed(growth, fake) -> None:
    fake.then(
        "query",
        ok(generator_answer((5, "Lake Tana Bridge", IMAGE), (8, "Vltava Weir", IMAGE))),
        ok(opened("[[File:Old.jpg|thumb|Old]]\n" + LEAD)),
        ok(opened()),
    )  # fmt: skip
    fake.then(
        "growthinvalidateimagerecommendation",
        ok({"error": {"code": "invalidtitle", "info": 'Bad title "Lake Tana Bridge".'}}),
    )
    offer = TaskFeed(growth, TaskQuery((IMAGE,))).next_offer()
    assert shown(offer).task.title == "Vltava Weir"
