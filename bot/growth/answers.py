"""Answers as the web editor sends them (contract growthexperiments §3.1, §3.2, §3.4, §3.5).

Yes is a real edit that adds the image, no is a null edit carrying the reasons, both through
`action=visualeditoredit` with the task's plugin data so the wiki logs, counts and tags them as
its own; skip sends nothing. gatebot refuses more than the wiki (DESIGN §2.4): a caption is
measured in characters after trimming (the wiki counts bytes), a no needs a reason, and
`sectionnotappropriate` is only for section images.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.growth.errors import InvalidAnswer, SubmissionRefused, UnexpectedAnswer
from bot.growth.placement import check_caption
from bot.growth.suggestions import Offer
from bot.growth.tasks import IMAGE, SECTION_IMAGE
from policies.daily_limits import ACCEPTED, REJECTED, SKIPPED

# AddImageSubmissionHandler::REJECTION_REASONS, in the server's order.
REJECTION_REASONS = (
    "notrelevant", "sectionnotappropriate", "noinfo", "offensive", "lowquality", "unfamiliar",
    "foreignlanguage", "other",
)  # fmt: skip
SECTION_ONLY_REASONS = frozenset({"sectionnotappropriate"})
# The web editor's English labels for the reason codes (contract growthexperiments §3.1).
REASON_LABELS = {
    "notrelevant": "Image is not relevant",
    "sectionnotappropriate": "Section should not have an image",
    "noinfo": "Not enough information to decide",
    "offensive": "Image is offensive",
    "lowquality": "Image is low quality",
    "unfamiliar": "I don't know this subject",
    "foreignlanguage": "I can’t read the language in the image details",
    "other": "Other",
}
SUMMARIES = {
    IMAGE: "/* growthexperiments-addimage-summary-summary: 1 */",
    SECTION_IMAGE: "/* growthexperiments-addsectionimage-summary-summary: 1 */",
}
WARNING_KEYS = {
    IMAGE: "geimagerecommendationdailytasksexceeded",
    SECTION_IMAGE: "gesectionimagerecommendationdailytasksexceeded",
}


@dataclass(frozen=True)
class Accept:
    """Yes: add the image with this caption (and, if given, alt text)."""

    caption: str
    alt: str | None = None


@dataclass(frozen=True)
class Reject:
    """No, for these reason codes (at least one)."""

    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Skip:
    """Not sure: nothing is sent, nothing counts."""


Answer = Accept | Reject | Skip


@dataclass(frozen=True)
class Submission:
    """What became of an answer. `log_id` is the wiki's log row (None: the wiki did not record
    it); `daily_limit_reached` is the wiki's warning that this answer reached today's limit."""

    title: str
    task_type: str
    outcome: str
    sent: bool
    log_id: int | None = None
    rev_id: int | None = None
    daily_limit_reached: bool = False
    warnings: Mapping[str, Any] = field(default_factory=dict)
    handler_errors: tuple[str, ...] = ()

    @property
    def recorded(self) -> bool:
        """Did the wiki log (and so count) this answer?"""
        return self.log_id is not None


def outcome(answer: Answer) -> str:
    """`accepted`, `rejected` or `skipped`: the ledger's and the policy's names."""
    if isinstance(answer, Accept):
        return ACCEPTED
    return REJECTED if isinstance(answer, Reject) else SKIPPED


def offered_reasons(task_type: str) -> tuple[str, ...]:
    """The reasons a no may give for `task_type`, in the server's order, as the editor offers
    them (the section-only one for section images only)."""
    return tuple(
        code
        for code in REJECTION_REASONS
        if task_type == SECTION_IMAGE or code not in SECTION_ONLY_REASONS
    )


def check_answer(offer: Offer, answer: Answer, caption_minimum: int) -> None:
    """Raise `InvalidAnswer` for anything the wiki would refuse, or accept but mangle."""
    if isinstance(answer, Accept):
        length = len(answer.caption.strip())
        if length < caption_minimum:
            raise InvalidAnswer(
                f"A caption needs at least {caption_minimum} characters after trimming spaces; "
                f"{answer.caption.strip()!r} has {length}.",
                field="caption",
            )
        check_caption(answer.caption, answer.alt)
    elif isinstance(answer, Reject):
        if not answer.reasons:
            raise InvalidAnswer(
                f"A no needs at least one reason: {', '.join(REJECTION_REASONS)}.", field="reasons"
            )
        for reason in answer.reasons:
            if reason not in REJECTION_REASONS:
                raise InvalidAnswer(
                    f"Unknown reason {reason!r}; use one of {', '.join(REJECTION_REASONS)}.",
                    field="reasons",
                )
            if reason in SECTION_ONLY_REASONS and offer.task.task_type != SECTION_IMAGE:
                raise InvalidAnswer(
                    f"{reason!r} is only for section images; {offer.task.title} has a "
                    "whole-article image suggestion.",
                    field="reasons",
                )
        if len(set(answer.reasons)) != len(answer.reasons):
            raise InvalidAnswer("Each reason may be given only once.", field="reasons")


def plugin_data(offer: Offer, answer: Accept | Reject) -> str:
    """The editor's `data-ge-task-<type>` JSON (getVEPluginData), in its key order."""
    suggestion = offer.suggestion
    accepted = isinstance(answer, Accept)
    data = {
        "taskType": offer.task.task_type,
        "filename": suggestion.filename,
        "accepted": accepted,
        "reasons": list(answer.reasons) if isinstance(answer, Reject) else [],
        "caption": answer.caption.strip() if isinstance(answer, Accept) else "",
        "sectionNumber": suggestion.section_number,
        "sectionTitle": suggestion.section_title,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def save_params(offer: Offer, answer: Accept | Reject, wikitext: str) -> dict[str, Any]:
    """`action=visualeditoredit&paction=save` based on the revision the task was opened on."""
    task_type = offer.task.task_type
    plugin = f"ge-task-{task_type}"
    return {
        "action": "visualeditoredit",
        "paction": "save",
        "page": offer.task.title,
        "wikitext": wikitext,
        "oldid": offer.base.rev_id,
        "basetimestamp": offer.base.timestamp,
        "starttimestamp": offer.start_timestamp,
        "summary": SUMMARIES[task_type],
        "nocontent": 1,
        "plugins": plugin,
        f"data-{plugin}": plugin_data(offer, answer),
    }


def _warnings(value: Any) -> dict[str, Any]:
    """`gewarnings`: a list holding one map, `[[]]` when empty (PHP's empty array)."""
    merged: dict[str, Any] = {}
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            merged.update(item)
    return merged


def parse_save(offer: Offer, answer: Accept | Reject, response: Mapping[str, Any]) -> Submission:
    """The submission's outcome from the `visualeditoredit` answer."""
    result = response.get("visualeditoredit")
    if not isinstance(result, dict):
        raise UnexpectedAnswer("The visualeditoredit answer has no visualeditoredit object.")
    if result.get("result") != "success":
        raise SubmissionRefused(
            f"The wiki did not save the answer for {offer.task.title}: "
            f"{json.dumps(result.get('edit') or result)}. Nothing was counted.",
            code=f"visualeditoredit-{result.get('result')}",
        )
    task_type = offer.task.task_type
    warnings = _warnings(result.get("gewarnings"))
    # An accept may come back as a null edit (another session of the user saved the same
    # text first): the wiki still logs and counts it (§3.2 step 3), so it is an answer taken.
    log_id, rev_id = result.get("gelogid"), result.get("newrevid")
    return Submission(
        title=offer.task.title,
        task_type=task_type,
        outcome=outcome(answer),
        sent=True,
        log_id=int(log_id) if log_id is not None else None,
        rev_id=int(rev_id) if rev_id is not None else None,
        daily_limit_reached=bool(warnings.get(WARNING_KEYS[task_type])),
        warnings=warnings,
        handler_errors=tuple(str(e) for e in result.get("errors") or ()),
    )
