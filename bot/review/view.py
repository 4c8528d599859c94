"""What the page shows, as JSON: a suggestion with its article and image, the quota, the stop.

Everything the wiki wrote (titles, descriptions, authors) goes to the page as plain text, which
the page sets with `textContent`: the wiki's sanitized HTML is reduced to its text here, so no
markup from the wiki is ever parsed by the browser. Nothing of the wiki session (cookies,
tokens) is in these objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from bot.growth import SECTION_IMAGE, Offer
from bot.growth.answers import REASON_LABELS, offered_reasons
from bot.ledger import DAILY_LIMIT, NO_MORE_SUGGESTIONS, Verdict
from bot.review.lead import lead, plain_heading, section_text
from bot.review.security import origin_of
from bot.suggestions.session import FAILED, INTERRUPTED

SOURCE_LABELS = {
    "wikidata": "the article's Wikidata item",
    "wikipedia": "articles in other languages",
    "commons": "Wikimedia Commons",
    "wikidata-section-topics": "the section's topics on Wikidata",
    "wikidata-section-alignment": "the same section in other languages",
    "wikidata-section-intersection": "the section's topics and other languages",
    "wikidata-section": "the section's topics on Wikidata",
}
STOP_MESSAGES = {
    NO_MORE_SUGGESTIONS: "There are no more suggestions for you right now. Try again later.",
    INTERRUPTED: "The session was ended at the terminal.",
    FAILED: "The session stopped because of an error; the terminal says which.",
}
OTHER_SESSION = (
    "Another session of yours (at a terminal or on another page) used the rest of today's "
    "quota; this page saw it before sending anything more."
)
TASK_LABELS = {
    "image-recommendation": "article images",
    SECTION_IMAGE: "section images",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str | None) -> str:
    """The text a reader sees in a fragment of the wiki's sanitized HTML, on one line."""
    if not html:
        return ""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def reasons_for(task_type: str) -> list[dict[str, str]]:
    """The reasons a "no" may give for this task type, numbered for the digit keys."""
    return [
        {"code": code, "label": REASON_LABELS[code], "key": str(number)}
        for number, code in enumerate(offered_reasons(task_type), start=1)
    ]


def image_url(url: str, allowed: tuple[str, ...]) -> str | None:
    """`url` when the page may load it (its origin is an allowed image host), else None."""
    return url if url and origin_of(url) in allowed else None


def suggestion_view(
    offer: Offer, offer_id: str, *, caption_minimum: int, url: str, images: tuple[str, ...]
) -> dict[str, Any]:
    """One suggestion as the page shows it."""
    suggestion = offer.suggestion
    section = None
    if suggestion.section_number is not None and suggestion.section_title is not None:
        section = {
            "number": suggestion.section_number,
            "title": plain_heading(suggestion.section_title),
            "text": section_text(offer.base.text, suggestion.section_number),
        }
    thumb = image_url(suggestion.thumb_url, images)
    return {
        "id": offer_id,
        "task_type": offer.task.task_type,
        "task_label": TASK_LABELS.get(offer.task.task_type, offer.task.task_type),
        "title": offer.task.title,
        "url": url,
        "lead": lead(offer.base.text),
        "section": section,
        "image": {
            "name": suggestion.display_filename,
            "thumb": thumb,
            "full": image_url(suggestion.full_url, images) or thumb,
            "file_page": suggestion.file_page_url if origin_of(suggestion.file_page_url) else None,
            "description": text_of(suggestion.description),
            "caption": suggestion.caption or "",
            "author": text_of(suggestion.author),
            "license": text_of(suggestion.license),
            "source": SOURCE_LABELS.get(suggestion.source, suggestion.source),
            "reason": suggestion.reason,
            "projects": list(suggestion.projects),
        },
        "caption_minimum": caption_minimum,
        "reasons": reasons_for(offer.task.task_type),
    }


def quota_view(verdict: Verdict) -> dict[str, Any]:
    """ "12 of 25 today" for one task type, with the zone the day runs in."""
    label = TASK_LABELS.get(verdict.task_type, verdict.task_type)
    if verdict.limit is None:
        text = f"{verdict.count} today"
    else:
        text = f"{verdict.count} of {verdict.limit} today"
    return {
        "task_type": verdict.task_type,
        "label": label,
        "text": text,
        "open": verdict.open,
        "count": verdict.count,
        "limit": verdict.limit,
        "zone": verdict.zone,
        "reset": verdict.reset_text,
        "source": verdict.source_text(),
    }


def closed_text(verdict: Verdict) -> str:
    """The closed gate for a person: count, limit, reopening in their zone, what is open."""
    others = [TASK_LABELS.get(kind, kind) for kind in verdict.open_task_types]
    still = f" Still open: {', '.join(others)}." if others else " No other task type is open."
    return (
        f"You have answered {verdict.count} of {verdict.limit} "
        f"{TASK_LABELS.get(verdict.task_type, verdict.task_type)} today, the daily limit. "
        f"The limit {verdict.reset_text} ({verdict.resets_at:%Y-%m-%d %H:%M} "
        f"{verdict.reset_zone}).{still}"
    )


def stop_view(
    reason: str, verdicts: Sequence[Verdict], error: str | None = None, *, elsewhere: bool = False
) -> dict[str, Any]:
    """Why the session offers nothing more: the closed gates, or the other reasons;
    `elsewhere` when another session of the user closed the gate."""
    closed = [verdict for verdict in verdicts if not verdict.open]
    if reason == DAILY_LIMIT and closed:
        messages = [closed_text(verdict) for verdict in closed]
    else:
        messages = [STOP_MESSAGES.get(reason, f"The session stopped ({reason}).")]
    if elsewhere:
        messages.append(OTHER_SESSION)
    if error:
        messages.append(error)
    return {
        "reason": reason,
        "messages": messages,
        "resets": [verdict.resets_at.isoformat() for verdict in closed],
    }
