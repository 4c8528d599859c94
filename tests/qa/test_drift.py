"""What a disagreement between the wiki's disallowed countries and the policy's is called."""

from __future__ import annotations

from bot.qa.checklist import FAILED, NOT_RUN, PASSED
from bot.qa.drift import Answers, drift_checks


def test_a_country_refused_for_another_reason_is_no_drift_but_still_fails():
    answers = Answers(other={"XK": '400 campaignevents-error-invalid-country-code: "…"'})
    refused, allowed = drift_checks(["BY"], ["XK", "DE"], answers, "PUT /e/2")
    assert refused.status == PASSED
    assert allowed.status == FAILED
    assert not allowed.todo.startswith("DRIFT")
    assert "refused for another reason" in allowed.todo
    assert allowed.evidence[0].endswith("accepted for 1 of 2")
    assert allowed.evidence[1].startswith("XK refused for another reason: 400 ")


def test_an_empty_local_list_has_nothing_to_ask():
    refused, allowed = drift_checks([], ["DE"], Answers(), "PUT /e/2")
    assert (refused.status, allowed.status) == (NOT_RUN, PASSED)
