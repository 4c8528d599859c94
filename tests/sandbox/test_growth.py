"""The sandbox's GrowthExperiments behaviour against contract growthexperiments §1–§4."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.config import load_config
from bot.sandbox.seed import ARTICLES
from tests.conformance.api import ApiSession
from tests.sandbox.helpers import as_wiki, fixture, session_of, shape_differences

FEEDBACK = "/growthexperiments/v0/suggestions/addimage/feedback/"
IMAGE = "image-recommendation"


@pytest.fixture
def wiki(start_sandbox):
    return start_sandbox()


@pytest.fixture
def volunteer(wiki):
    return session_of(wiki, "Volunteer")


def reject(session, title: str, reasons: list[str] | None = None) -> dict[str, Any]:
    """Answer "no" through the REST feedback route; returns its JSON."""
    answer = session.rest(
        "PUT",
        FEEDBACK + title.replace(" ", "_"),
        json={
            "filename": "Example.jpg",
            "accepted": False,
            "reasons": reasons or ["notrelevant"],
            "caption": None,
            "token": session.csrf_token(),
        },
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def gate(session, task_type: str = IMAGE) -> dict[str, Any]:
    answer = session.get(action="query", list="growthtasks", gttasktypes=task_type, gtlimit=1)
    return answer.json()["query"]["growthtasks"]["qualityGateConfig"][task_type]


def task_titles(session, task_type: str = IMAGE) -> list[str]:
    answer = session.get(action="query", list="growthtasks", gttasktypes=task_type, gtlimit=250)
    return [t["title"] for t in answer.json()["query"]["growthtasks"]["suggestions"]]


def page_text(session, title: str) -> str:
    answer = session.get(
        action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
    ).json()
    return answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def ve_answer(
    session, title: str, data: dict[str, Any], *, accepted_text: bool, task_type: str = IMAGE
) -> dict[str, Any]:
    """Answer through the VisualEditor path, as the web UI does (§3.2)."""
    text = page_text(session, title)
    if accepted_text:
        text = f"[[File:{data['filename']}|thumb|{data['caption']}]]\n{text}"
    return session.post(
        action="visualeditoredit",
        paction="save",
        page=title,
        wikitext=text,
        nocontent=1,
        plugins=f"ge-task-{task_type}",
        token=session.csrf_token(),
        **{f"data-ge-task-{task_type}": json.dumps(data)},
    ).json()


def image_data(**changes: Any) -> dict[str, Any]:
    return {
        "taskType": IMAGE,
        "filename": "Example.jpg",
        "accepted": True,
        "reasons": [],
        "caption": "The bridge seen from the east bank",
        "sectionNumber": None,
        "sectionTitle": None,
        **changes,
    }


def test_growthtasks_answer_has_the_contract_shape(volunteer):
    answer = volunteer.get(
        action="query",
        list="growthtasks",
        gttasktypes=f"{IMAGE}|section-image-recommendation",
        gtlimit=3,
    )
    assert shape_differences(answer.json(), fixture("ge_growthtasks.json")) == []
    assert len(answer.json()["query"]["growthtasks"]["suggestions"]) == 3


def test_generator_mode_puts_the_summary_at_the_root(volunteer):
    answer = volunteer.get(
        action="query", generator="growthtasks", ggttasktypes=IMAGE, ggtlimit=2, prop="info"
    ).json()
    assert set(answer["growthtasks"]) == {"totalCount", "qualityGateConfig"}
    assert [p["order"] for p in answer["query"]["pages"]] == [0, 1]


def test_growthtasks_needs_a_named_user(wiki):
    answer = ApiSession(as_wiki(wiki)).get(action="query", list="growthtasks").json()
    assert answer["error"]["code"] == "mustbeloggedin-generic"


def test_unknown_task_type_is_dropped_with_a_warning(volunteer):
    answer = volunteer.get(action="query", list="growthtasks", gttasktypes="bogus", gtlimit=1)
    assert "bogus" in answer.json()["warnings"]["growthtasks"]["warnings"]


def test_warning_comes_on_the_25th_answer_and_the_26th_is_still_accepted(volunteer):
    titles = [title for title, _ in ARTICLES[:26]]
    warned = [bool(reject(volunteer, title)["warnings"]) for title in titles]
    assert warned == [False] * 24 + [True, True]
    assert gate(volunteer) == {"dailyLimit": True, "dailyCount": 26}
    assert task_titles(volunteer), "over-limit tasks are never hidden by the server"


def test_skips_and_invalidations_are_not_counted(volunteer):
    reject(volunteer, "Lake Tana Bridge")
    answer = volunteer.post(
        action="growthinvalidateimagerecommendation",
        title="Oskar Brenner",
        filename="Example.jpg",
        token=volunteer.csrf_token(),
    ).json()
    assert answer == fixture("ge_invalidate.json")
    assert gate(volunteer)["dailyCount"] == 1


def test_count_resets_at_midnight_in_berlin_for_a_zoneinfo_user(start_sandbox, clock):
    clock.now = datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc)  # 23:30 in Berlin
    wiki = start_sandbox()
    volunteer, tester = session_of(wiki, "Volunteer"), session_of(wiki, "Tester")
    for title in ("Lake Tana Bridge", "Oskar Brenner"):
        reject(volunteer, title)
    reject(tester, "Praia da Ursa")
    clock.advance(minutes=40)  # 00:10 in Berlin, still 23:10 UTC
    assert gate(volunteer)["dailyCount"] == 0
    assert gate(tester)["dailyCount"] == 1


def test_an_offset_user_is_counted_on_the_wiki_calendar(start_sandbox, clock):
    wiki = start_sandbox()
    tester = session_of(wiki, "Tester")
    tester.post(
        action="options",
        optionname="timecorrection",
        optionvalue="Offset|600",
        token=tester.csrf_token(),
    )
    reject(tester, "Lake Tana Bridge")  # 12:00 UTC = 22:00 at +10:00
    clock.advance(hours=2, minutes=30)  # 00:30 the next day at +10:00, still today in UTC
    assert gate(tester)["dailyCount"] == 1
    clock.advance(hours=10)
    assert gate(tester)["dailyCount"] == 0


def test_an_answer_at_exactly_local_midnight_belongs_to_the_day_before(start_sandbox, clock):
    clock.now = datetime(2026, 11, 22, 23, 0, 0, tzinfo=timezone.utc)  # 00:00:00 in Berlin
    wiki = start_sandbox()
    volunteer = session_of(wiki, "Volunteer")
    reject(volunteer, "Lake Tana Bridge")
    assert gate(volunteer)["dailyCount"] == 0
    clock.advance(seconds=1)
    reject(volunteer, "Oskar Brenner")
    assert gate(volunteer)["dailyCount"] == 1


def test_section_images_have_their_own_counter(volunteer):
    reject(volunteer, "Lake Tana Bridge")
    assert gate(volunteer, "section-image-recommendation")["dailyCount"] == 0


def test_ve_accept_has_the_contract_shape_and_hides_the_article(volunteer):
    answer = ve_answer(volunteer, "Lake Tana Bridge", image_data(), accepted_text=True)
    assert shape_differences(answer, fixture("ge_ve_accept.json")) == []
    assert "Lake Tana Bridge" not in task_titles(volunteer)


def test_ve_rejection_that_reaches_the_limit_carries_the_warning(start_sandbox, tmp_path: Path):
    config_file = tmp_path / "limit.toml"
    config_file.write_text('[growth.max_tasks_per_day]\n"image-recommendation" = 2\n')
    volunteer = session_of(start_sandbox(load_config(config_file)), "Volunteer")
    rejection = image_data(accepted=False, reasons=["notrelevant", "lowquality"], caption="")
    first = ve_answer(volunteer, "Lake Tana Bridge", rejection, accepted_text=False)
    assert first["visualeditoredit"]["gewarnings"] == [[]]
    second = ve_answer(volunteer, "Oskar Brenner", rejection, accepted_text=False)
    assert shape_differences(second, fixture("ge_ve_reject_at_limit.json")) == []
    assert second["visualeditoredit"]["gewarnings"] == [
        {"geimagerecommendationdailytasksexceeded": True}
    ]


def test_short_caption_aborts_the_save_and_is_not_counted(volunteer):
    answer = ve_answer(volunteer, "Lake Tana Bridge", image_data(caption="abc"), accepted_text=True)
    expected = fixture("ge_ve_validation_error.json")["error"]
    assert {k: answer["error"][k] for k in expected} == expected
    assert gate(volunteer)["dailyCount"] == 0
    assert not page_text(volunteer, "Lake Tana Bridge").startswith("[[File:")


def test_section_image_needs_its_section_title(volunteer):
    data = image_data(taskType="section-image-recommendation")
    answer = ve_answer(
        volunteer,
        "Lake Tana Bridge",
        data,
        accepted_text=True,
        task_type="section-image-recommendation",
    )
    assert answer["error"]["info"] == (
        "'sectionTitle' parameter must be a string in Add Section Image plugin data, is NULL"
    )


def test_undecided_rejection_keeps_the_article_suggestible(volunteer):
    reject(volunteer, "Lake Tana Bridge", ["unfamiliar"])
    reject(volunteer, "Oskar Brenner", ["notrelevant"])
    titles = task_titles(volunteer)
    assert "Lake Tana Bridge" in titles
    assert "Oskar Brenner" not in titles


def test_invalidation_hides_an_article_for_ten_minutes(volunteer, clock):
    volunteer.post(
        action="growthinvalidateimagerecommendation",
        title="Oskar Brenner",
        filename="Example.jpg",
        token=volunteer.csrf_token(),
    )
    assert "Oskar Brenner" not in task_titles(volunteer)
    clock.advance(minutes=10, seconds=1)
    assert "Oskar Brenner" in task_titles(volunteer)


def test_rest_feedback_answer_has_the_contract_shape(volunteer):
    assert (
        shape_differences(reject(volunteer, "Lake Tana Bridge"), fixture("ge_rest_feedback.json"))
        == []
    )


def test_rest_acceptance_needs_the_revision_that_added_the_image(volunteer):
    answer = volunteer.rest(
        "PUT",
        FEEDBACK + "Lake_Tana_Bridge",
        json={
            "filename": "Example.jpg",
            "accepted": True,
            "reasons": [],
            "caption": "A caption",
            "token": volunteer.csrf_token(),
        },
    )
    assert (answer.status_code, answer.json()["errorKey"]) == (
        400,
        "growthexperiments-addimage-feedback-accepted-editrevid",
    )


def test_image_suggestion_data_has_the_contract_shape(volunteer):
    answer = volunteer.get(
        action="query", prop="growthimagesuggestiondata", titles="Lake Tana Bridge|Main Page"
    ).json()
    pages = {page["title"]: page for page in answer["query"]["pages"]}
    # query.pages is in page-id order (as MediaWiki sorts it), not in the order asked
    answer["query"]["pages"] = [pages["Lake Tana Bridge"]]
    expected = fixture("ge_image_suggestion.json")
    assert shape_differences(answer, expected) == []
    assert "growthimagesuggestiondata" not in pages["Main Page"]


def test_community_config_needs_the_stored_version_asserted(volunteer):
    refused = volunteer.get(
        action="query", meta="communityconfiguration", ccrprovider="GrowthSuggestedEdits"
    ).json()
    assert refused["error"]["code"] == "communityconfiguration-version-assertion-failure"
    assert "(2.0.0 received" in refused["error"]["info"]
    answer = volunteer.get(
        action="query",
        meta="communityconfiguration",
        ccrprovider="GrowthSuggestedEdits",
        ccrassertversion="2.0.0",
    ).json()
    expected = fixture("ge_community_config.json")
    assert list(answer["communityconfiguration"]["data"]) == list(
        expected["communityconfiguration"]["data"]
    )
    assert answer["communityconfiguration"]["data"]["image_recommendation"]["maxTasksPerDay"] == 25


def test_paraminfo_lists_the_enabled_task_types(volunteer, wiki):
    answer = volunteer.get(action="paraminfo", modules="query+growthtasks").json()
    module = answer["paraminfo"]["modules"][0]
    tasktypes = next(p for p in module["parameters"] if p["name"] == "tasktypes")
    assert tasktypes["type"] == list(wiki.wiki.config.task_types)


def test_topics_filter_tasks_with_or_and_and(volunteer):
    def titles(**params: str) -> set[str]:
        answer = volunteer.get(
            action="query", list="growthtasks", gttasktypes=IMAGE, gtlimit=250, **params
        ).json()
        return {t["title"] for t in answer["query"]["growthtasks"]["suggestions"]}

    africans = titles(gttopics="biography|africa", gttopicsmode="AND")
    assert africans == {"Mekonnen Haile", "Amara Okafor", "Zanele Dube", "Kofi Mensah"}
    assert africans < titles(gttopics="biography") < titles(gttopics="biography|africa")
