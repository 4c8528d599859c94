"""An events-file row and a wiki's registration, both ways: what a checked row asks the wiki to
hold (`registration_from_draft`), and a registration written back as a row (`row_from_registration`,
for `events export`). Export, then read the file back, gives the same registration again.
"""

from __future__ import annotations

from typing import Any

from bot.campaignevents.model import HIDEABLE_FIELDS, NOT_SHOWN, MaybeShown, Registration
from bot.filerows import COLUMNS
from policies import values
from policies.registration import RegistrationDraft


def registration_from_draft(
    draft: RegistrationDraft, *, current: Registration | None = None
) -> Registration:
    """The registration a checked row means. Given the wiki's `current` one (an update), an empty
    status keeps the wiki's, and a URL, country or address the row leaves empty that the wiki
    hid from the caller stays hidden (NOT_SHOWN: never wiped by a write)."""
    hidden = {
        name: NOT_SHOWN
        for name in HIDEABLE_FIELDS
        if current is not None and getattr(current, name) is NOT_SHOWN
        and getattr(draft, name) is None
    }  # fmt: skip
    status = draft.status or (current.status if current is not None else "open")
    return Registration(
        event_page=draft.event_page,
        timezone=draft.timezone,
        start_time=draft.start_time,
        end_time=draft.end_time,
        types=tuple(draft.types),
        wikis=tuple(draft.wikis),
        tracks_contributions=draft.tracks_contributions,
        topics=tuple(draft.topics),
        online_meeting=draft.online_meeting is True,
        inperson_meeting=draft.inperson_meeting is True,
        meeting_url=hidden.get("meeting_url", draft.meeting_url),
        meeting_country_code=hidden.get("meeting_country_code", draft.meeting_country_code),
        meeting_address=hidden.get("meeting_address", draft.meeting_address),
        chat_url=hidden.get("chat_url", draft.chat_url),
        is_test_event=draft.is_test_event,
        goal_type=draft.goal_type,
        goal_target=draft.goal_target,
        tracking_tool_id=draft.tracking_tool_id,
        tracking_tool_event_id=draft.tracking_tool_event_id,
        status=status,
        id=current.id if current is not None else None,
    )


def row_from_registration(reg: Registration) -> dict[str, Any]:
    """The registration as an events-file row: every column of `COLUMNS` in order, None where the
    cell is empty. Lists stay lists (`[]` wikis = no specific wiki); statistics are written `on`
    or `off` (empty = auto, when an older wiki did not say); a field the wiki hid is empty (see
    `hidden_fields`)."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(
        event_page=reg.event_page,
        event_id=reg.id,
        timezone=reg.timezone,
        start=local_time_text(reg.start_time),
        end=local_time_text(reg.end_time),
        types=list(reg.types),
        wikis=list(reg.wikis),
        topics=list(reg.topics) or None,
        participation=reg.participation,
        country=_shown(reg.meeting_country_code),
        address=_shown(reg.meeting_address),
        meeting_url=_shown(reg.meeting_url),
        chat_url=_shown(reg.chat_url),
        contribution_statistics=_setting(reg.tracks_contributions),
        goal_type=reg.goal_type,
        goal_target=reg.goal_target,
        tracking_tool_id=reg.tracking_tool_id,
        tracking_tool_event_id=reg.tracking_tool_event_id,
        test_event=reg.is_test_event,
        status=reg.status,
    )
    return row


def hidden_fields(reg: Registration) -> list[str]:
    """The fields the wiki withheld from the caller, which an exported row leaves empty."""
    return [name for name in HIDEABLE_FIELDS if getattr(reg, name) is NOT_SHOWN]


def local_time_text(stamp: str) -> str:
    """A 14-digit local timestamp as people write it: `2026-12-01T10:00` (seconds when set);
    anything else unchanged, for the file's reader to judge."""
    if len(stamp) != 14 or not stamp.isascii() or not stamp.isdigit():
        return stamp
    text = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}"
    return text if stamp[12:] == "00" else f"{text}:{stamp[12:]}"


def _shown(value: MaybeShown) -> str | None:
    return value if isinstance(value, str) else None


def _setting(tracks: bool | None) -> str | None:
    if tracks is None:
        return None
    return values.ON if tracks else values.OFF
