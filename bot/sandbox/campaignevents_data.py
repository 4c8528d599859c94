"""How the sandbox stores an event registration and how GET shows it (campaignevents §1.1, §1.3).

Storing canonicalises like the server: the whole farm becomes `["*"]`, types go in registry
order, the address is trimmed and cut at 8192 bytes, the zone gets its canonical name.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox import ce_vocabulary as vocab
from bot.sandbox.config import Account
from bot.sandbox.timecorrection import php_zone
from bot.sandbox.wiki import SandboxWiki, parse_title

MAX_ADDRESS_BYTES = 8192


def _zone_name(given: str) -> str:
    """`DateTimeZone::getName()`: `europe/lisbon` is stored as `Europe/Lisbon`."""
    zone = php_zone(given)
    return zone[1] if zone else given


def stored_event(
    wiki: SandboxWiki, values: dict[str, Any], title: str, status: str, questions: list[int]
) -> dict[str, Any]:
    """The stored form of a validated create/update body (PUT replaces every field)."""
    wikis = list(values["wikis"])
    if wikis == [vocab.ALL_WIKIS] or (wikis and set(wikis) == set(wiki.config.farm_wikis)):
        wikis = [vocab.ALL_WIKIS]
    address = values["meeting_address"]
    if address is not None:
        address = address.strip().encode("utf-8")[:MAX_ADDRESS_BYTES].decode("utf-8", "ignore")
    tool = values["tracking_tool_id"]
    return {
        "event_page": title, "timezone": _zone_name(values["timezone"]),
        "start_time": values["start_time"], "end_time": values["end_time"], "status": status,
        "types": vocab.registry_order(values["types"]) or [vocab.OTHER],
        "wikis": wikis, "topics": list(values["topics"] or []),
        "online_meeting": bool(values["online_meeting"]),
        "inperson_meeting": bool(values["inperson_meeting"]),
        "meeting_country_code": values["meeting_country_code"], "meeting_address": address,
        "meeting_url": values["meeting_url"], "chat_url": values["chat_url"],
        "is_test_event": bool(values["is_test_event"]),
        "tracks_contributions": values["tracks_contributions"],
        "goal_type": values["goal_type"], "goal_target": values["goal_target"],
        "tracking_tools": [{"tool_id": tool, "tool_event_id": values["tracking_tool_event_id"]}]
        if tool else [],
        "questions": questions,
    }  # fmt: skip


def organizer_ids(wiki: SandboxWiki, event_id: int) -> set[int]:
    return {row["user_id"] for row in wiki.store.organizers(event_id, 0, 1000)}


def user_page(name: str) -> dict[str, str]:
    key = name.replace(" ", "_")
    return {"path": f"/wiki/User:{key}", "title": f"User:{name}", "classes": "mw-userlink"}


def _may_see_urls(wiki: SandboxWiki, event_id: int, viewer: Account | None) -> bool:
    """Participants (private too) and organizers see meeting/chat URLs; nobody else does."""
    if viewer is None:
        return False
    return (
        viewer.user_id in organizer_ids(wiki, event_id)
        or wiki.store.participant(event_id, viewer.user_id) is not None
    )


def event_json(
    wiki: SandboxWiki, event_id: int, data: dict[str, Any], viewer: Account | None
) -> dict[str, Any]:
    """GET's object, keys in the server's order; a URL you may not see is absent, not null."""
    title = parse_title(data["event_page"])
    answer: dict[str, Any] = {
        "id": event_id, "name": title.text if title else data["event_page"],
        "event_page": data["event_page"], "event_page_wiki": wiki.config.wiki_id,
        "status": data["status"], "timezone": data["timezone"],
        "start_time": data["start_time"], "end_time": data["end_time"],
        "types": data["types"], "wikis": data["wikis"], "topics": data["topics"],
        "online_meeting": data["online_meeting"], "inperson_meeting": data["inperson_meeting"],
        "meeting_country_code": data["meeting_country_code"],
        "meeting_address": data["meeting_address"], "is_test_event": data["is_test_event"],
        "tracks_contributions": data["tracks_contributions"], "goal_type": data["goal_type"],
        "goal_target": data["goal_target"], "tracking_tools": data["tracking_tools"],
        "questions": data["questions"],
    }  # fmt: skip
    visible = None
    for key in ("meeting_url", "chat_url"):
        if data[key] is None:
            answer[key] = None
            continue
        if visible is None:
            visible = _may_see_urls(wiki, event_id, viewer)
        if visible:
            answer[key] = data[key]
    return answer
