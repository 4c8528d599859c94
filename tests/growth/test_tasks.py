"""`growthtasks` in list and generator mode, with the contract's exact shapes (§1.3–§1.7)."""

from __future__ import annotations

import copy

import pytest

from bot.growth import (
    IMAGE,
    NO_COUNT,
    SECTION_IMAGE,
    TaskFeed,
    TaskQuery,
    TaskTypeUnavailable,
    UnexpectedAnswer,
)
from bot.growth.tasks import parse_generator, parse_list
from tests.growth.conftest import fixture, ok, opened, queries, shown

GATE = fixture("ge_growthtasks.json")["query"]["growthtasks"]["qualityGateConfig"]


def generator_answer(*pages: tuple[int, str, str], gate: object = GATE) -> dict:
    """A generator-mode answer (§1.7): task keys on each page, totals at the root."""
    return {
        "batchcomplete": True,
        "query": {
            "pages": [
                {
                    "pageid": page_id, "ns": 0, "title": title, "tasktype": task_type,
                    "difficulty": "medium", "order": order, "qualityGateIds": ["dailyLimit"],
                    "qualityGateConfig": gate, "token": "k3v9x0c1m2n8b7a6s5d4f3g2h1j0l9q8",
                }
                for order, (page_id, title, task_type) in enumerate(pages)
            ]
        },
        "growthtasks": {"totalCount": 4821, "qualityGateConfig": gate},
    }  # fmt: skip


def test_list_mode_reads_tasks_and_the_wikis_daily_counts() -> None:
    batch = parse_list(fixture("ge_growthtasks.json"), TaskQuery())
    assert [(t.title, t.task_type, t.order) for t in batch.tasks] == [
        ("Lake Tana Bridge", IMAGE, 0),
        ("Oskar Brenner", SECTION_IMAGE, 1),
    ]
    assert batch.tasks[0].page_id is None  # the list gives titles only
    assert batch.total_count == 4821
    image = batch.gate.for_type(IMAGE)
    assert (image.count, image.limit_reached, image.source) == (7, False, "wiki")
    assert batch.gate.for_type("link-recommendation").count == 2


def test_generator_mode_reads_page_ids_and_the_totals_at_the_root() -> None:
    answer = generator_answer((12, "Oskar Brenner", SECTION_IMAGE), (5, "Lake Tana Bridge", IMAGE))
    answer["query"]["pages"].reverse()  # page order in query.pages is not meaningful
    batch = parse_generator(answer, TaskQuery())
    assert [(t.title, t.page_id) for t in batch.tasks] == [
        ("Oskar Brenner", 12),
        ("Lake Tana Bridge", 5),
    ]
    assert batch.total_count == 4821
    assert batch.gate.for_type(SECTION_IMAGE).count == 0


def test_an_empty_gate_means_the_wiki_reports_no_count_not_zero() -> None:
    answer = copy.deepcopy(fixture("ge_growthtasks.json"))
    answer["query"]["growthtasks"]["qualityGateConfig"] = []
    count = parse_list(answer, TaskQuery()).gate.for_type(IMAGE)
    assert (count.count, count.limit_reached, count.source, count.reported) == (
        None, None, NO_COUNT, False,
    )  # fmt: skip
    zero = parse_generator(generator_answer(gate={IMAGE: {"dailyLimit": False, "dailyCount": 0}}),
                           TaskQuery()).gate.for_type(IMAGE)  # fmt: skip
    assert (zero.count, zero.source) == (0, "wiki")


def test_the_old_mobile_only_key_is_ignored_and_a_bad_count_is_refused() -> None:
    old = {IMAGE: {"mobileOnly": True, "dailyLimit": True, "dailyCount": 25}}
    assert parse_generator(generator_answer(gate=old), TaskQuery()).gate.for_type(IMAGE).count == 25
    with pytest.raises(UnexpectedAnswer, match="dailyCount"):
        parse_generator(generator_answer(gate={IMAGE: {"dailyLimit": "no", "dailyCount": "3"}}),
                        TaskQuery())  # fmt: skip


def test_tasks_of_types_not_asked_for_are_dropped() -> None:
    answer = generator_answer((5, "Lake Tana Bridge", IMAGE), (6, "Copy", "copyedit"))
    assert [t.title for t in parse_generator(answer, TaskQuery((IMAGE,))).tasks] == [
        "Lake Tana Bridge"
    ]


def test_a_task_type_the_wiki_only_warns_about_is_refused(growth, fake) -> None:
    answer = generator_answer((5, "Lake Tana Bridge", IMAGE))
    answer["warnings"] = {
        "growthtasks": {
            "warnings": 'Unrecognized value for parameter "ggttasktypes": '
            "section-image-recommendation."
        }
    }
    fake.then("query", ok(answer))
    with pytest.raises(TaskTypeUnavailable, match="ggttasktypes"):
        growth.tasks(TaskQuery())


def test_the_request_carries_types_topics_mode_limit_and_exclusions_but_no_offset(
    growth, fake
) -> None:
    fake.then("query", ok(generator_answer((5, "Lake Tana Bridge", IMAGE))))
    query = TaskQuery((IMAGE,), topics=("africa", "architecture"), topics_mode="AND", limit=5)
    growth.tasks(query, exclude_page_ids=[3, 4])
    sent = queries(fake)[-1]
    assert sent["generator"] == "growthtasks"
    assert (sent["ggttasktypes"], sent["ggttopics"], sent["ggttopicsmode"]) == (
        IMAGE, "africa|architecture", "AND",
    )  # fmt: skip
    assert (sent["ggtlimit"], sent["ggtexcludepageids"]) == ("5", "3|4")
    assert not any(key.endswith("offset") for key in sent)


def test_quality_gate_is_one_list_mode_request(growth, fake) -> None:
    fake.then("query", ok(fixture("ge_growthtasks.json")))
    gate = growth.quality_gate()
    sent = queries(fake)[-1]
    assert (sent["list"], sent["gtlimit"]) == ("growthtasks", "1")
    assert gate.for_type(IMAGE).count == 7


def test_the_feed_pages_by_excluding_what_it_has_seen(growth, fake) -> None:
    fake.then(
        "query",
        ok(generator_answer((5, "Lake Tana Bridge", IMAGE))),
        ok(opened()),
        ok(generator_answer((5, "Lake Tana Bridge", IMAGE), (8, "Vltava Weir", IMAGE))),
        ok({"batchcomplete": True, "curtimestamp": "2026-08-21T07:00:00Z",
            "query": {"pages": [{"pageid": 8, "ns": 0, "title": "Vltava Weir"}]}}),
        ok(generator_answer()),
    )  # fmt: skip
    feed = TaskFeed(growth, TaskQuery((IMAGE,)))
    assert shown(feed.next_offer()).task.title == "Lake Tana Bridge"
    assert feed.next_offer() is None  # Vltava Weir has no suggestion any more; then none left
    fetches = [q for q in queries(fake) if q.get("generator") == "growthtasks"]
    assert [q.get("ggtexcludepageids") for q in fetches] == [None, "5", "5|8"]


@pytest.mark.parametrize(
    "kwargs",
    [{"task_types": ("copyedit",)}, {"topics_mode": "XOR"}, {"limit": 251}, {"task_types": ()}],
)
def test_queries_the_client_cannot_answer_are_refused(kwargs) -> None:
    with pytest.raises(TaskTypeUnavailable):
        TaskQuery(**kwargs)


def test_only_the_last_thousand_seen_pages_are_excluded() -> None:
    sent = TaskQuery().params("ggt", list(range(1, 1201)))["ggtexcludepageids"].split("|")
    assert (len(sent), sent[0], sent[-1]) == (1000, "201", "1200")
