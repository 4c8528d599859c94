"""CampaignEvents' EventFactory as the server runs it (contract campaignevents §5, §2.2, §3, §6).

The sandbox's own reading of the contract, apart from gatebot's `policies`, so that an end-to-end
test compares two readings instead of one with itself. The checks run in the table's order and the
first failure is the answer, as the REST layer reports only the first. Input is the body after the
parameter layer (`rest_params.validate`): names to values, None for an omitted field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox import ce_vocabulary as vocab
from bot.sandbox.config import SandboxConfig
from bot.sandbox.timecorrection import php_zone
from bot.sandbox.wiki import parse_title

# §5 (and §2.4 for the tracking rows): key -> English text, `{0}` for `$1`.
MESSAGES: dict[str, str] = {
    "campaignevents-error-empty-title": "Enter an event page title.",
    "campaignevents-error-invalid-title": "The event page title is invalid: {0}.",
    "campaignevents-error-page-namespace-not-allowed":
        "The event page must be in one of the permitted namespaces",
    "campaignevents-error-page-with-section": "The event page must not contain a section name.",
    "campaignevents-error-page-not-found": "There is no event page with this name.",
    "campaignevents-error-invalid-status": "Indicate whether the event is open or closed.",
    "campaignevents-error-invalid-timezone": "Enter a valid timezone.",
    "campaignevents-error-empty-start": "Choose a start time.",
    "campaignevents-error-invalid-start": "The event start time is invalid.",
    "campaignevents-error-start-past": "Enter a start time in the future.",
    "campaignevents-error-empty-end": "Enter an end time.",
    "campaignevents-error-invalid-end": "The event end time is invalid.",
    "campaignevents-error-start-after-end": "Enter an end date that comes after the start date.",
    "campaignevents-error-no-types": "Enter at least one type",
    "campaignevents-error-too-many-types": "Enter a maximum of {0} event types.",
    "campaignevents-error-invalid-types": "The following event types are not recognized: {0}.",
    "campaignevents-error-invalid-other-selection":
        "You cannot choose 'Other' along with other event types. Please choose only 'Other' or "
        "remove it to choose other options.",
    "campaignevents-error-too-many-wikis": "Enter a maximum of {0} wikis.",
    "campaignevents-error-invalid-wikis": "The following wiki IDs are not recognized: {0}.",
    "campaignevents-error-too-many-topics": "Enter a maximum of {0} topics.",
    "campaignevents-error-invalid-topics": "The following topics are not recognized: {0}.",
    "campaignevents-error-no-participation-options": "Choose at least one participation option.",
    "campaignevents-error-invalid-meeting-url": "Enter a valid event meeting URL.",
    "campaignevents-error-meeting-url-not-online":
        "The meeting URL must not be specified if the event is not online.",
    "campaignevents-error-invalid-country-code": "Enter a valid country code.",
    "campaignevents-error-invalid-address": "Enter a valid address.",
    "campaignevents-error-countryoraddress-not-in-person":
        "The meeting country and address must not be specified if the event is not in-person.",
    "campaignevents-error-invalid-chat-url": "Enter a valid chat URL.",
    "campaignevents-error-contribs-tracking-disallowed-country":
        "Contribution statistics cannot be enabled for the selected country.",
    "campaignevents-error-contribs-tracking-invalid-type":
        "Contribution statistics can only be enabled for events with the following types: {0}",
    "campaignevents-error-contribs-tracking-no-wikis":
        "Contribution statistics can only be enabled for events with at least one target wiki.",
    "campaignevents-error-goal-type-required":
        "You must add a goal metric and target number in order to save an event goal.",
    "campaignevents-error-goal-type-invalid": "You must choose a valid goal metric.",
    "campaignevents-error-goal-target-required":
        "You must add a goal metric and target number in order to save an event goal.",
    "campaignevents-error-goal-target-invalid": "Goal target number must be a positive number.",
    "campaignevents-error-goal-requires-contribution-tracking":
        "You must turn on Contribution statistics in order to add an event goal.",
    "campaignevents-error-trackingtool-without-eventid":
        "Provide the identifier of the event on the given tracking tool.",
    "campaignevents-error-trackingtool-eventid-without-toolid":
        "Provide the identifier of the tracking tool",
    "campaignevents-error-invalid-trackingtool": "Provide a valid tracking tool identifier",
}  # fmt: skip

# Core's MalformedTitleException texts, the `$1` of `campaignevents-error-invalid-title`.
_TITLE_EMPTY = "The requested page title is empty or contains only the name of a namespace."
_TITLE_CHARACTERS = 'The requested page title contains invalid characters: "{0}".'
_TITLE_RELATIVE = (
    "Title has relative path. Relative page titles (./, ../) are invalid, because they will "
    "often be unreachable when handled by user's browser."
)
_TITLE_TILDE = (
    "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>)."
)
_TITLE_TOO_LONG = (
    "The requested page title is too long. It must be no longer than 255 bytes in UTF-8 encoding."
)
_TITLE_COLON = "The requested page title contains an invalid colon at the beginning."
_BAD_TITLE_CHAR = re.compile(r"[<>\[\]{}|\x00-\x1f\x7f\ufffd]|%[0-9A-Fa-f]{2}")
_RELATIVE = re.compile(r"^\.\.?(/|$)|/\.\.?(/|$)")
_TS_MW = re.compile(r"[0-9]{14}")
_URL_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")
STATUSES = ("open", "closed")


@dataclass(frozen=True)
class Refusal:
    """The server's answer to a bad body: message key and English text (a 400)."""

    key: str
    text: str


def refusal(key: str, *params: object) -> Refusal:
    return Refusal(key, MESSAGES[key].format(*params))


@dataclass(frozen=True)
class Facts:
    """What the checks need besides the body: the wiki's settings, its pages, the clock."""

    config: SandboxConfig
    page_exists: Callable[[str], bool]
    now: datetime | None  # None on update: a start in the past is allowed (§1.1)
    updating: bool = False
    previous_page: str | None = None  # an update keeping this page skips the namespace check


Values = Mapping[str, Any]
Check = Callable[[Values, Facts], Refusal | None]


def title_reason(text: str) -> str | None:
    """Why core's TitleParser refuses `text` (prefix and all), or None."""
    if text.startswith(":"):
        return _TITLE_COLON
    bad = _BAD_TITLE_CHAR.search(text)
    if bad:
        return _TITLE_CHARACTERS.format(bad.group())
    parsed = parse_title(text)
    if parsed is None or not parsed.text.strip():
        return _TITLE_EMPTY
    if _RELATIVE.search(parsed.text):
        return _TITLE_RELATIVE
    if "~~~" in parsed.text:
        return _TITLE_TILDE
    if len(parsed.text.replace(" ", "_").encode("utf-8")) > 255:
        return _TITLE_TOO_LONG
    return None


def _page(values: Values, facts: Facts) -> Refusal | None:
    """Rows 2–8 (one lookup on the server, so one answer); there are no interwikis (row 4)."""
    raw = values["event_page"]
    if not raw.strip():
        return refusal("campaignevents-error-empty-title")
    base, _, section = raw.partition("#")
    reason = title_reason(base)
    if reason:
        return refusal("campaignevents-error-invalid-title", reason)
    title = parse_title(base)
    if title is None:  # title_reason has named what parse_title cannot read; kept for the type
        return refusal("campaignevents-error-invalid-title", _TITLE_EMPTY)
    if title.ns < 0:
        return refusal("campaignevents-error-page-namespace-not-allowed")
    if section:
        return refusal("campaignevents-error-page-with-section")
    if not facts.page_exists(title.prefixed):
        return refusal("campaignevents-error-page-not-found")
    previous = parse_title(facts.previous_page) if facts.previous_page else None
    kept = previous is not None and previous.prefixed == title.prefixed
    if not kept and title.ns not in facts.config.event_namespaces:
        return refusal("campaignevents-error-page-namespace-not-allowed")
    return None


def _status(values: Values, facts: Facts) -> Refusal | None:
    if facts.updating and values.get("status") not in STATUSES:
        return refusal("campaignevents-error-invalid-status")
    return None


def _local(stamp: str) -> datetime | None:
    """A 14-digit wall-clock time, or None when it is not one."""
    if not _TS_MW.fullmatch(stamp):
        return None
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _times(values: Values, facts: Facts) -> Refusal | None:
    """Rows 10–16; the dates are read only in a valid zone."""
    zone = php_zone(values["timezone"])
    if zone is None:
        return refusal("campaignevents-error-invalid-timezone")
    start_text, end_text = values["start_time"], values["end_time"]
    start, end = _local(start_text), _local(end_text)
    if start_text == "":
        return refusal("campaignevents-error-empty-start")
    if start is None:
        return refusal("campaignevents-error-invalid-start")
    if facts.now is not None and start.replace(tzinfo=zone[0]) < facts.now:
        return refusal("campaignevents-error-start-past")
    if end_text == "":
        return refusal("campaignevents-error-empty-end")
    if end is None:
        return refusal("campaignevents-error-invalid-end")
    if start.replace(tzinfo=zone[0]) > end.replace(tzinfo=zone[0]):
        return refusal("campaignevents-error-start-after-end")
    return None


def _types(values: Values, facts: Facts) -> Refusal | None:
    """Rows 17–20; duplicates collapse first."""
    types = list(dict.fromkeys(values["types"]))
    unknown = [t for t in types if t not in vocab.TYPE_IDS]
    if not types:
        return refusal("campaignevents-error-no-types")
    if len(types) > vocab.MAX_TYPES:
        return refusal("campaignevents-error-too-many-types", vocab.MAX_TYPES)
    if unknown:
        return refusal("campaignevents-error-invalid-types", ", ".join(unknown))
    if vocab.OTHER in types and len(types) > 1:
        return refusal("campaignevents-error-invalid-other-selection")
    return None


def _listed(name: str, values: list[str], known: tuple[str, ...], limit: int) -> Refusal | None:
    unique = list(dict.fromkeys(values))
    if len(unique) > limit:
        return refusal(f"campaignevents-error-too-many-{name}", limit)
    unknown = [value for value in unique if value not in known]
    if unknown:
        return refusal(f"campaignevents-error-invalid-{name}", ", ".join(unknown))
    return None


def _wikis(values: Values, facts: Facts) -> Refusal | None:
    """Rows 21–22; `["*"]` is all wikis and needs no check."""
    wikis = values["wikis"]
    if wikis == [vocab.ALL_WIKIS]:
        return None
    return _listed("wikis", wikis, facts.config.farm_wikis, vocab.MAX_WIKIS)


def _topics(values: Values, facts: Facts) -> Refusal | None:
    """Rows 23–24."""
    return _listed("topics", values["topics"] or [], facts.config.topics, vocab.MAX_TOPICS)


def valid_url(value: str) -> bool:
    """§5: http or https (`//` means https) with a host, after trimming."""
    url = value.strip()
    if url.startswith("//"):
        url = "https:" + url
    if not url or _URL_SPACE.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def _meeting(values: Values, facts: Facts) -> Refusal | None:
    """Rows 25–30: participation options, then what each one allows."""
    online, in_person = bool(values["online_meeting"]), bool(values["inperson_meeting"])
    url, country, address = (
        values["meeting_url"], values["meeting_country_code"], values["meeting_address"]
    )  # fmt: skip
    if not online and not in_person:
        return refusal("campaignevents-error-no-participation-options")
    if online and url is not None and not valid_url(url):
        return refusal("campaignevents-error-invalid-meeting-url")
    if not online and url is not None:
        return refusal("campaignevents-error-meeting-url-not-online")
    if in_person and country not in vocab.COUNTRY_CODES:
        return refusal("campaignevents-error-invalid-country-code")
    if in_person and address is not None and not address.strip():
        return refusal("campaignevents-error-invalid-address")
    if not in_person and (country is not None or address is not None):
        return refusal("campaignevents-error-countryoraddress-not-in-person")
    return None


def _chat(values: Values, facts: Facts) -> Refusal | None:
    """Row 31."""
    chat = values["chat_url"]
    if chat is not None and not valid_url(chat):
        return refusal("campaignevents-error-invalid-chat-url")
    return None


def _tracking(values: Values, facts: Facts) -> Refusal | None:
    """Rows 32–34 (§2.2), only with statistics on: country (config keys), type, wikis."""
    if not values["tracks_contributions"]:
        return None
    config = facts.config
    if values["meeting_country_code"] in config.disallowed_countries:  # the keys (§10)
        return refusal("campaignevents-error-contribs-tracking-disallowed-country")
    if not set(values["types"]) & set(config.contribution_types):
        labels = (vocab.TYPE_LABELS.get(t, t) for t in config.contribution_types)
        return refusal(
            "campaignevents-error-contribs-tracking-invalid-type", vocab.text_list(labels)
        )
    if values["wikis"] == []:
        return refusal("campaignevents-error-contribs-tracking-no-wikis")
    return None


def _goal(values: Values, facts: Facts) -> Refusal | None:
    """Rows 35–39: a metric and a positive target together, and statistics on."""
    goal_type, target = values["goal_type"], values["goal_target"]
    if goal_type is None and target is not None:
        return refusal("campaignevents-error-goal-type-required")
    if goal_type is None:
        return None
    if goal_type not in vocab.GOAL_TYPES:
        return refusal("campaignevents-error-goal-type-invalid")
    if target is None:
        return refusal("campaignevents-error-goal-target-required")
    if target < 1:
        return refusal("campaignevents-error-goal-target-invalid")
    if not values["tracks_contributions"]:
        return refusal("campaignevents-error-goal-requires-contribution-tracking")
    return None


def _tracking_tool(values: Values, facts: Facts) -> Refusal | None:
    """Rows 40–42."""
    tool, event_id = values["tracking_tool_id"], values["tracking_tool_event_id"]
    if tool is not None and event_id is None:
        return refusal("campaignevents-error-trackingtool-without-eventid")
    if tool is None and event_id is not None:
        return refusal("campaignevents-error-trackingtool-eventid-without-toolid")
    if tool is not None and tool not in vocab.TRACKING_TOOLS:
        return refusal("campaignevents-error-invalid-trackingtool")
    return None


# §5's order. Row 1 (id ≤ 0) is internal: the REST handlers look the event up before this runs.
CHECKS: tuple[Check, ...] = (
    _page, _status, _times, _types, _wikis, _topics, _meeting, _chat, _tracking, _goal,
    _tracking_tool,
)  # fmt: skip


def first_refusal(values: Values, facts: Facts) -> Refusal | None:
    """The server's answer to a create/update body: its first problem, or None when it passes."""
    for check in CHECKS:
        found = check(values, facts)
        if found is not None:
            return found
    return None
