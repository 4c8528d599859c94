"""Drift: where the wiki's disallowed countries and the local policy's disagree, and what each
direction means for the person who keeps the policy (contract campaignevents §2.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.qa.checklist import Check, check, exchange, not_run
from policies.countries import country_name

STALE = (
    "DRIFT: the wiki allows {countries}, which the local list forbids: the local list is "
    "stricter than the wiki's or stale; check the wiki's "
    "$wgCampaignEventsContributionTrackingDisallowedCountries and the policy's review."
)
MISSING = (
    "DRIFT: the wiki forbids {countries}, which the local list allows: add them to the "
    "policy's disallowed countries (gatebot policy show names the file)."
)


@dataclass
class Answers:
    """The countries where the wiki's answer differs from the policy's, and those the wiki
    refused for another reason than the country (code -> its answer)."""

    wiki_allows: list[str] = field(default_factory=list)
    wiki_forbids: list[str] = field(default_factory=list)
    other: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"wiki_allows": self.wiki_allows, "wiki_forbids": self.wiki_forbids}


def drift_checks(
    disallowed: Sequence[str], sample: Sequence[str], answers: Answers, request: str
) -> list[Check]:
    """Two criteria: the wiki refuses every locally disallowed country; it allows the sample."""
    return [
        _agreement(
            f"The wiki refuses statistics for each of the {len(disallowed)} countries of the "
            "local disallowed list",
            disallowed,
            "refused",
            answers.wiki_allows,
            answers,
            request,
            STALE,
        ),
        _agreement(
            f"The wiki allows statistics for a sample of {len(sample)} countries the local list "
            "allows",
            sample,
            "accepted",
            answers.wiki_forbids,
            answers,
            request,
            MISSING,
        ),
    ]


def _agreement(
    criterion: str,
    asked: Sequence[str],
    expected: str,
    drifted: list[str],
    answers: Answers,
    request: str,
    meaning: str,
) -> Check:
    if not asked:
        return not_run(criterion, "No country to ask about.")
    other = {code: answer for code, answer in answers.other.items() if code in asked}
    agreed = len(asked) - len(drifted) - len(other)
    evidence = [
        exchange(f"{request} for {', '.join(asked)}", f"{expected} for {agreed} of {len(asked)}")
    ]
    evidence += [f"{code} ({country_name(code)}): the wiki disagrees" for code in drifted]
    evidence += [f"{code} refused for another reason: {answer}" for code, answer in other.items()]
    todo = meaning.format(countries=", ".join(drifted)) if drifted else ""
    if other:
        todo += " Some countries were refused for another reason: read the answers."
    return check(criterion, not drifted and not other, evidence, todo=todo.strip())
