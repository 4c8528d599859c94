"""GrowthExperiments' "Add an image" server logic: the daily gate, plugin-data validation and the
submission handler shared by the VisualEditor and REST paths (contract growthexperiments §3–§4).

The gate is advisory, as on the server: answers over the limit are accepted and logged; only the
answer that reaches the limit (and later ones) carries the warning key.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.config import Account
from bot.sandbox.store import mw_iso
from bot.sandbox.timecorrection import growth_day_start
from bot.sandbox.wiki import SandboxWiki

IMAGE = "image-recommendation"
SECTION_IMAGE = "section-image-recommendation"
LINK = "link-recommendation"
LOG_ACTIONS = {IMAGE: "addimage", SECTION_IMAGE: "addsectionimage", LINK: "addlink"}
WARNING_KEYS = {
    IMAGE: "geimagerecommendationdailytasksexceeded",
    SECTION_IMAGE: "gesectionimagerecommendationdailytasksexceeded",
    LINK: "gelinkrecommendationdailytasksexceeded",
}
DIFFICULTY = {
    "copyedit": "easy",
    "links": "easy",
    "link-recommendation": "easy",
    "references": "medium",
    "update": "medium",
    IMAGE: "medium",
    SECTION_IMAGE: "medium",
    "expand": "hard",
    "revise-tone": "easy",
}
REJECTION_REASONS = (
    "notrelevant",
    "sectionnotappropriate",
    "noinfo",
    "offensive",
    "lowquality",
    "unfamiliar",
    "foreignlanguage",
    "other",
)
UNDECIDED = frozenset({"unfamiliar", "foreignlanguage"})
INVALIDATION = timedelta(minutes=10)
DEFAULT_MAX_TASKS = 25


class SubmissionError(Exception):
    """Plugin data the handler refuses: `key` is the message key (with `apierror-` if any)."""

    def __init__(self, key: str, text: str):
        super().__init__(text)
        self.key, self.text = key, text

    @property
    def code(self) -> str:
        return self.key.removeprefix("apierror-")


def max_tasks(wiki: SandboxWiki, task_type: str) -> int:
    return wiki.config.max_tasks_per_day.get(task_type, DEFAULT_MAX_TASKS)


def daily_count(wiki: SandboxWiki, account: Account, task_type: str) -> int:
    """Log rows of the type's subtype strictly after the user's server-side midnight (§4.2)."""
    timecorrection = wiki.user_options(account).get("timecorrection")
    start = growth_day_start(timecorrection, wiki.config.timezone, wiki.now())
    return wiki.store.count_log_rows(account.user_id, LOG_ACTIONS[task_type], mw_iso(start))


def quality_gate_config(wiki: SandboxWiki, account: Account) -> dict[str, Any] | list[Any]:
    """`qualityGateConfig`: one entry per enabled gated task type; `[]` when there is none,
    and always `[]` behind a remote or static suggester (the decorator is not in front of it)."""
    gate: dict[str, Any] = {}
    if wiki.config.suggester != "local":
        return []
    for task_type in (IMAGE, SECTION_IMAGE, LINK):
        if task_type in wiki.config.task_types:
            count = daily_count(wiki, account, task_type)
            gate[task_type] = {
                "dailyLimit": count >= max_tasks(wiki, task_type),
                "dailyCount": count,
            }
    return gate or []


def _php_type(value: Any) -> str:
    """PHP's gettype() of a JSON-decoded value, as the GE messages print it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    return "string" if isinstance(value, str) else "array"


def validate_submission(data: Any, task_type: str, min_caption: int) -> None:
    """AddImageSubmissionHandler::validate (§3.1); raises the first SubmissionError."""
    prefix = "apierror-growthexperiments-addimage-handler-"
    data = data if isinstance(data, dict) else {}
    if "accepted" not in data:
        raise SubmissionError(
            prefix + "accepted-missing", "'accepted' parameter missing from Add Image plugin data"
        )
    accepted = data["accepted"]
    if not isinstance(accepted, bool):
        raise SubmissionError(
            prefix + "accepted-wrongtype",
            "'accepted' parameter must be a boolean in Add Image plugin "
            f"data, is {_php_type(accepted)}",
        )
    if "reasons" not in data:
        raise SubmissionError(
            prefix + "reason-missing", "'reasons' parameter missing from Add Image plugin data"
        )
    reasons = data["reasons"]
    if not isinstance(reasons, list):
        raise SubmissionError(
            prefix + "reason-wrongtype",
            "'reasons' parameter must be an array in Add Image plugin data, "
            f"is {_php_type(reasons)}",
        )
    for reason in reasons:
        if reason not in REJECTION_REASONS:
            raise SubmissionError(
                prefix + "reason-invaliditem",
                f"Invalid item '{reason}' for 'reasons' parameter, must be "
                f"one of: {', '.join(REJECTION_REASONS)}",
            )
    caption = data.get("caption")
    if accepted and len((caption if isinstance(caption, str) else "").strip().encode()) < (
        min_caption
    ):
        unit = "character" if min_caption == 1 else "characters"
        raise SubmissionError(
            "growthexperiments-addimage-caption-warning-tooshort",
            f"Captions must be {min_caption} {unit} or longer.",
        )
    _validate_section(data, task_type, prefix)


def _validate_section(data: dict[str, Any], task_type: str, prefix: str) -> None:
    for key, name in (("sectionTitle", "section-title"), ("sectionNumber", "section-number")):
        if key not in data:
            raise SubmissionError(
                f"{prefix}{name}-missing", f"'{key}' parameter missing from Add Image plugin data"
            )
    title, number = data["sectionTitle"], data["sectionNumber"]
    if task_type == SECTION_IMAGE:
        section_prefix = "apierror-growthexperiments-addsectionimage-handler-"
        if not isinstance(title, str):
            raise SubmissionError(
                section_prefix + "section-title-wrongtype",
                "'sectionTitle' parameter must be a string in Add Section "
                f"Image plugin data, is {_php_type(title)}",
            )
        if isinstance(number, bool) or not isinstance(number, int):
            # The server's message reports the type of sectionTitle (a copy bug, kept).
            raise SubmissionError(
                section_prefix + "section-number-wrongtype",
                "'sectionNumber' parameter must be an integer in Add Section "
                f"Image plugin data, is {_php_type(title)}",
            )
        return
    if title is not None:
        raise SubmissionError(
            prefix + "section-title-wrongtype",
            "'sectionTitle' parameter must be null in Add Image plugin data, "
            f"is {_php_type(title)}",
        )
    if number is not None:
        raise SubmissionError(
            prefix + "section-number-wrongtype",
            "'sectionNumber' parameter must be null in Add Image plugin data, "
            f"is {_php_type(title)}",
        )


def invalidate(wiki: SandboxWiki, task_type: str, title: str) -> None:
    """Hide (task type, article) from growthtasks for 10 minutes (the WAN-cache filter)."""
    wiki.store.invalidate(task_type, title, mw_iso(wiki.now() + INVALIDATION))


def handle_submission(
    wiki: SandboxWiki,
    account: Account,
    task_type: str,
    title: str,
    data: dict[str, Any],
    rev_id: int | None,
) -> tuple[int, dict[str, bool]]:
    """AddImageSubmissionHandler::handle (§3.5): invalidate, warn, log; never refuses."""
    accepted = data["accepted"]
    if accepted or any(r not in UNDECIDED for r in data["reasons"]):
        for affected in (SECTION_IMAGE, IMAGE) if task_type == SECTION_IMAGE else (task_type,):
            invalidate(wiki, affected, title)
            wiki.store.resolve(affected, title)
    warnings = {}
    if daily_count(wiki, account, task_type) >= max_tasks(wiki, task_type) - 1:
        warnings[WARNING_KEYS[task_type]] = True
    log_id = wiki.store.add_log_row(
        user_id=account.user_id,
        user_name=account.name,
        action=LOG_ACTIONS[task_type],
        title=title,
        accepted=accepted,
        section=data.get("sectionTitle"),
        rev_id=rev_id,
        timestamp=mw_iso(wiki.now()),
    )
    return log_id, warnings


def community_config(wiki: SandboxWiki) -> dict[str, Any]:
    """`MediaWiki:GrowthExperimentsSuggestedEdits.json` as the config API returns it."""
    enabled = set(wiki.config.task_types)

    def entry(task_type: str, **extra: Any) -> dict[str, Any]:
        return {
            "disabled": task_type not in enabled,
            "excludedTemplates": [],
            "excludedCategories": [],
            "learnmore": "",
            **extra,
        }

    return {
        "GEInfoboxTemplates": ["Infobox person", "Infobox settlement"],
        "copyedit": entry("copyedit", templates=["Copy edit"]),
        "links": entry("links", templates=["Underlinked"]),
        "references": entry("references", templates=["Unreferenced"]),
        "update": entry("update", templates=["Update"]),
        "expand": entry("expand", templates=["Expand"]),
        "image_recommendation": entry(IMAGE, maxTasksPerDay=max_tasks(wiki, IMAGE)),
        "section_image_recommendation": entry(
            SECTION_IMAGE, maxTasksPerDay=max_tasks(wiki, SECTION_IMAGE)
        ),
        "link_recommendation": entry(
            LINK,
            maximumLinksToShowPerTask=3,
            excludedSections=[],
            maxTasksPerDay=max_tasks(wiki, LINK),
            underlinkedWeight=0.5,
            minimumLinkScore=0.6,
            maximumEditsTaskIsAvailable="no",
        ),
        "revise_tone": {
            "disabled": "revise-tone" not in enabled,
            "excludedTemplates": [],
            "excludedCategories": [],
        },
    }
