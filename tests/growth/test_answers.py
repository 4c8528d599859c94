"""Answers as the web editor sends them through `visualeditoredit` (§3.1, §3.2, §3.4, §3.5)."""

from __future__ import annotations

import pytest

from bot.growth import (
    Accept,
    EditConflict,
    InvalidAnswer,
    Reject,
    Skip,
    SubmissionRefused,
)
from tests.growth.conftest import BASE_TIMESTAMP, LEAD, START, fixture, make_offer, ok, sent

CAPTION = "The bridge seen from the east bank"
IMAGE = f"[[File:Tana_bridge_2019.jpg|thumb|{CAPTION}]]"
# The plugin data of the contract's examples, byte for byte (§3.2).
ACCEPT_DATA = (
    '{"taskType":"image-recommendation","filename":"Tana_bridge_2019.jpg","accepted":true,'
    '"reasons":[],"caption":"The bridge seen from the east bank","sectionNumber":null,'
    '"sectionTitle":null}'
)
REJECT_DATA = (
    '{"taskType":"image-recommendation","filename":"Tana_bridge_2019.jpg","accepted":false,'
    '"reasons":["notrelevant","lowquality"],"caption":"","sectionNumber":null,"sectionTitle":null}'
)
SECTION_DATA = (
    '{"taskType":"section-image-recommendation","filename":"Old_mill_1910.jpg","accepted":true,'
    '"reasons":[],"caption":"The mill in 1910","sectionNumber":2,"sectionTitle":"History"}'
)
ARTICLE = "'''Old Mill''' is a mill.\n\n== Location ==\nLisbon.\n\n== History ==\nBuilt in 1910.\n"


def saves(fake) -> list[dict[str, str]]:
    return sent(fake, "visualeditoredit")


@pytest.fixture
def configured(fake):
    """The wiki answers the configuration read (caption minimum 5) before the first answer."""
    fake.then("query", ok(fixture("ge_community_config.json")))
    return fake


def test_yes_is_a_real_edit_with_the_image_and_the_tasks_plugin_data(growth, configured) -> None:
    configured.then("visualeditoredit", ok(fixture("ge_ve_accept.json")))
    result = growth.submit(make_offer(), Accept(CAPTION))
    (request,) = saves(configured)
    assert (request["paction"], request["page"], request["wikitext"]) == (
        "save", "Lake Tana Bridge", f"{IMAGE}\n{LEAD}",
    )  # fmt: skip
    assert (request["oldid"], request["basetimestamp"], request["starttimestamp"]) == (
        "1234567890", BASE_TIMESTAMP, START,
    )  # fmt: skip
    assert request["summary"] == "/* growthexperiments-addimage-summary-summary: 1 */"
    assert request["plugins"] == "ge-task-image-recommendation"
    assert request["data-ge-task-image-recommendation"] == ACCEPT_DATA
    assert (result.outcome, result.log_id, result.rev_id, result.recorded) == (
        "accepted", 998877, 1234567999, True,
    )  # fmt: skip
    assert result.daily_limit_reached is False


def test_no_is_a_null_edit_with_the_reasons(growth, configured) -> None:
    configured.then("visualeditoredit", ok(fixture("ge_ve_reject_at_limit.json")))
    result = growth.submit(make_offer(), Reject(("notrelevant", "lowquality")))
    (request,) = saves(configured)
    assert request["wikitext"] == LEAD
    assert request["data-ge-task-image-recommendation"] == REJECT_DATA
    assert (result.outcome, result.log_id, result.rev_id) == ("rejected", 998878, None)


def test_the_wikis_daily_limit_warning_is_a_flag_on_the_result(growth, configured) -> None:
    configured.then("visualeditoredit", ok(fixture("ge_ve_reject_at_limit.json")))
    result = growth.submit(make_offer(), Reject(("notrelevant",)))
    assert result.daily_limit_reached is True
    assert result.warnings == {"geimagerecommendationdailytasksexceeded": True}


def test_a_section_image_goes_into_its_section_with_the_section_keys(growth, configured) -> None:
    reached = fixture("ge_ve_accept.json")
    reached["visualeditoredit"]["gewarnings"] = [
        {"gesectionimagerecommendationdailytasksexceeded": True}
    ]
    configured.then("visualeditoredit", ok(reached))
    offer = make_offer(ARTICLE, task_type="section-image-recommendation", section=True)
    result = growth.submit(offer, Accept("The mill in 1910"))
    (request,) = saves(configured)
    assert request["plugins"] == "ge-task-section-image-recommendation"
    assert request["data-ge-task-section-image-recommendation"] == SECTION_DATA
    assert request["summary"] == "/* growthexperiments-addsectionimage-summary-summary: 1 */"
    assert request["wikitext"] == ARTICLE.replace(
        "== History ==\n", "== History ==\n[[File:Old_mill_1910.jpg|thumb|The mill in 1910]]\n"
    )
    assert result.daily_limit_reached is True


def test_skip_sends_nothing(growth, fake) -> None:
    before = len(fake.labels)
    result = growth.submit(make_offer(), Skip())
    assert (result.outcome, result.sent, result.recorded) == ("skipped", False, False)
    assert len(fake.labels) == before


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (Accept("日本語"), "caption"),  # 9 bytes: the wiki would take it; 3 characters is short
        (Accept("  Brid  "), "caption"),  # 4 characters after trimming
        (Accept("Left | right"), "caption"),
        (Reject(()), "reasons"),
        (Reject(("ugly",)), "reasons"),
        (Reject(("sectionnotappropriate",)), "reasons"),  # a whole-article image
        (Reject(("other", "other")), "reasons"),
    ],
)
def test_answers_the_wiki_would_take_but_no_one_means_are_refused_before_sending(
    growth, configured, answer, field
) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        growth.submit(make_offer(), answer)
    assert caught.value.field == field
    assert saves(configured) == []


def test_section_not_appropriate_is_a_reason_for_section_images(growth, configured) -> None:
    configured.then("visualeditoredit", ok(fixture("ge_ve_reject_at_limit.json")))
    offer = make_offer(ARTICLE, task_type="section-image-recommendation", section=True)
    growth.submit(offer, Reject(("sectionnotappropriate",)))
    assert (
        '"reasons":["sectionnotappropriate"]'
        in saves(configured)[0]["data-ge-task-section-image-recommendation"]
    )


def test_the_wikis_refusal_is_a_typed_error_with_its_text(growth, configured) -> None:
    configured.then("visualeditoredit", ok(fixture("ge_ve_validation_error.json")))
    with pytest.raises(SubmissionRefused, match="Captions must be 5 characters") as caught:
        growth.submit(make_offer(), Accept(CAPTION))
    assert caught.value.code == "hookaborted"


def test_a_page_changed_since_the_task_was_opened_is_an_edit_conflict(growth, configured) -> None:
    configured.then(
        "visualeditoredit",
        (200, {"MediaWiki-API-Error": "editconflict"},
         {"error": {"code": "editconflict", "info": "Edit conflict."}}),
    )  # fmt: skip
    with pytest.raises(EditConflict, match="edited by someone else"):
        growth.submit(make_offer(), Accept(CAPTION))


def test_an_edit_the_wiki_did_not_save_is_refused(growth, configured) -> None:
    captcha = {"visualeditoredit": {"result": "error", "edit": {"result": "Failure",
               "captcha": {"type": "image", "id": "1"}}}}  # fmt: skip
    configured.then("visualeditoredit", ok(captcha))
    with pytest.raises(SubmissionRefused, match="captcha"):
        growth.submit(make_offer(), Accept(CAPTION))


def test_an_answer_the_wiki_saved_but_did_not_log_is_not_recorded(growth, configured) -> None:
    saved = fixture("ve_null_edit.json")  # plugin data ignored: no gelogid, no gewarnings
    configured.then("visualeditoredit", ok(saved))
    result = growth.submit(make_offer(), Reject(("notrelevant",)))
    assert (result.sent, result.recorded) == (True, False)


def test_a_yes_saved_as_a_null_edit_is_logged_and_so_counted(growth, configured) -> None:
    body = fixture("ge_ve_accept.json")  # another session saved the same text first
    del body["visualeditoredit"]["newrevid"]
    configured.then("visualeditoredit", ok(body))
    result = growth.submit(make_offer(), Accept(CAPTION))
    assert (result.outcome, result.sent, result.recorded, result.rev_id) == (
        "accepted", True, True, None,
    )  # fmt: skip


def test_a_handler_failure_after_the_save_is_reported(growth, configured) -> None:
    body = fixture("ge_ve_accept.json")
    body["visualeditoredit"]["errors"] = ["Invalid task type(s): image-recommendation"]
    configured.then("visualeditoredit", ok(body))
    result = growth.submit(make_offer(), Accept(CAPTION))
    assert result.handler_errors == ("Invalid task type(s): image-recommendation",)
