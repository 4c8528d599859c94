"""`prop=growthimagesuggestiondata` for one task, fetched together with the article's current
revision (contract growthexperiments §2.1, §3.2, §9.7).

The wiki allows 500 of these calls a day per user, so the only request here is for ONE title:
a task is opened when it is about to be shown, never in bulk. The same request reads the
revision the answer will be based on (`oldid`, `basetimestamp`) and the wiki's clock
(`starttimestamp`), as the web editor does when it opens, so a later change to the article is
caught as an edit conflict instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.growth.errors import UnexpectedAnswer
from bot.growth.tasks import IMAGE_TASK_TYPES, Task


@dataclass(frozen=True)
class ImageSuggestion:
    """The suggested image: `filename` is the unprefixed DB-key name the answer must send;
    `description`/`author`/`license` are the wiki's sanitized HTML (or None)."""

    task_type: str
    article: str
    filename: str
    display_filename: str
    source: str
    projects: tuple[str, ...]
    description: str | None
    thumb_url: str
    file_page_url: str
    full_url: str
    reason: str
    section_number: int | None
    section_title: str | None
    author: str | None = None
    license: str | None = None
    caption: str | None = None
    dataset_id: str = ""


@dataclass(frozen=True)
class BaseRevision:
    """The article as it was when the task was opened: what an answer is based on."""

    rev_id: int
    timestamp: str
    text: str


@dataclass(frozen=True)
class Offer:
    """An opened task: its suggestion, the revision it is based on, and when it was opened."""

    task: Task
    suggestion: ImageSuggestion
    base: BaseRevision
    start_timestamp: str


def open_params(task: Task) -> dict[str, str]:
    """One request for one title: its suggestion, its latest revision and the wiki's clock."""
    if task.task_type not in IMAGE_TASK_TYPES:
        raise UnexpectedAnswer(f"{task.title}: task type {task.task_type} has no image data.")
    return {
        "action": "query",
        "prop": "growthimagesuggestiondata|revisions",
        "titles": task.title,
        "gisdtasktype": task.task_type,
        "rvprop": "ids|timestamp|content",
        "rvslots": "main",
        "curtimestamp": "1",
    }


def _image(task: Task, item: Mapping[str, Any], dataset_id: str) -> ImageSuggestion:
    meta = item.get("metadata") or {}
    try:
        return ImageSuggestion(
            task_type=task.task_type,
            article=task.title,
            filename=str(item["image"]),
            display_filename=str(item.get("displayFilename") or item["image"]).replace("_", " "),
            source=str(item["source"]),
            projects=tuple(str(p) for p in item.get("projects") or ()),
            description=meta.get("description"),
            thumb_url=str(meta["thumbUrl"]),
            file_page_url=str(meta["descriptionUrl"]),
            full_url=str(meta.get("fullUrl") or ""),
            reason=str(meta.get("reason") or ""),
            section_number=item.get("sectionNumber"),
            section_title=item.get("sectionTitle"),
            author=meta.get("author"),
            license=meta.get("license"),
            caption=meta.get("caption"),
            dataset_id=dataset_id,
        )
    except KeyError as missing:
        raise UnexpectedAnswer(
            f"The image suggestion for {task.title} lacks {missing.args[0]!r}."
        ) from None


def parse_suggestion(task: Task, page: Mapping[str, Any]) -> ImageSuggestion | None:
    """The page's first suggested image; None when the wiki has none (no key, or only errors)."""
    for entry in page.get("growthimagesuggestiondata") or []:
        images = entry.get("images") or []
        if images:
            suggestion = _image(task, images[0], str(entry.get("datasetId") or ""))
            if task.task_type == IMAGE_TASK_TYPES[1] and (
                not isinstance(suggestion.section_number, int) or not suggestion.section_title
            ):
                raise UnexpectedAnswer(
                    f"The section image suggestion for {task.title} names no section."
                )
            return suggestion
    return None


def parse_base(page: Mapping[str, Any]) -> BaseRevision | None:
    """The page's latest revision from `prop=revisions` (None for a missing page)."""
    revisions = page.get("revisions") or []
    if page.get("missing") or not revisions:
        return None
    revision = revisions[0]
    slot = (revision.get("slots") or {}).get("main") or {}
    try:
        return BaseRevision(int(revision["revid"]), str(revision["timestamp"]), slot["content"])
    except KeyError as missing:
        raise UnexpectedAnswer(
            f"The revision of {page.get('title')} lacks {missing.args[0]!r}."
        ) from None


def parse_offer(task: Task, answer: Mapping[str, Any]) -> Offer | None:
    """The opened task, or None when the article is gone or has no usable suggestion now."""
    pages = (answer.get("query") or {}).get("pages") or []
    if isinstance(pages, dict):
        pages = list(pages.values())
    if len(pages) != 1:
        raise UnexpectedAnswer(f"Opening {task.title} returned {len(pages)} pages, not one.")
    page = pages[0]
    suggestion, base = parse_suggestion(task, page), parse_base(page)
    if suggestion is None or base is None:
        return None
    start = answer.get("curtimestamp")
    if not isinstance(start, str):
        raise UnexpectedAnswer("The wiki did not return curtimestamp.")
    return Offer(task, suggestion, base, start)
