"""An event registration as a typed value, both ways to the REST JSON (campaignevents §1.1–§1.3).

What the GET did not show (a `meeting_url` hidden from non-participants, §10) is `NOT_SHOWN`,
never None: PUT replaces every field, so a value gatebot never saw must not be sent as empty.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Literal

from bot.campaignevents.errors import RegistrationNotWritable, UnexpectedResponse
from policies.event_types import ALL_WIKIS, PARTICIPATION_OPTIONS

MAX_ADDRESS_BYTES = 8192


class NotShown(enum.Enum):
    """The wiki's GET withheld this field from the caller: unknown, not empty."""

    NOT_SHOWN = "not shown"

    def __repr__(self) -> str:
        return "NOT_SHOWN"


NOT_SHOWN = NotShown.NOT_SHOWN
MaybeShown = str | None | Literal[NotShown.NOT_SHOWN]


@dataclass(frozen=True)
class Registration:
    """One event registration in API form. `tracks_contributions=None` means the wiki did not
    say (an older CampaignEvents, §8): it must be decided before any write. `id`, `name`,
    `event_page_wiki` and `questions` are what GET reports; they are never sent."""

    event_page: str
    timezone: str
    start_time: str
    end_time: str
    types: tuple[str, ...]
    wikis: tuple[str, ...]
    tracks_contributions: bool | None
    topics: tuple[str, ...] = ()
    online_meeting: bool = False
    inperson_meeting: bool = False
    meeting_url: MaybeShown = None
    meeting_country_code: MaybeShown = None
    meeting_address: MaybeShown = None
    chat_url: MaybeShown = None
    is_test_event: bool = False
    goal_type: str | None = None
    goal_target: int | None = None
    tracking_tool_id: str | None = None
    tracking_tool_event_id: str | None = None
    status: str = "open"
    id: int | None = field(default=None, compare=False)
    name: str | None = field(default=None, compare=False)
    event_page_wiki: str | None = field(default=None, compare=False)
    questions: tuple[int, ...] = field(default=(), compare=False)

    @property
    def participation(self) -> str | None:
        """`online`, `in-person` or `hybrid` from the two booleans; None when neither is set."""
        wanted = (self.online_meeting, self.inperson_meeting)
        return next((name for name, bits in PARTICIPATION_OPTIONS.items() if bits == wanted), None)

    @classmethod
    def from_get_json(cls, data: Any) -> Registration:
        """Read GET `/event_registration/{id}`'s object (§1.3); an absent optional text field
        is NOT_SHOWN, an absent `tracks_contributions` None (unknown)."""
        if not isinstance(data, Mapping):
            kind = type(data).__name__
            raise UnexpectedResponse(f"The wiki sent {kind} for an event, not an object.")
        read = _Reader(data)
        tool_id, tool_event_id = _tracking_tool(read.tracking_tools())
        return cls(
            event_page=read.text("event_page"),
            timezone=read.text("timezone"),
            start_time=read.text("start_time"),
            end_time=read.text("end_time"),
            types=read.texts("types"),
            wikis=read.texts("wikis"),
            tracks_contributions=read.flag("tracks_contributions", absent=None),
            topics=read.texts("topics", absent=()),
            online_meeting=read.flag("online_meeting") is True,
            inperson_meeting=read.flag("inperson_meeting") is True,
            meeting_url=read.maybe_shown("meeting_url"),
            meeting_country_code=read.maybe_shown("meeting_country_code"),
            meeting_address=read.maybe_shown("meeting_address"),
            chat_url=read.maybe_shown("chat_url"),
            is_test_event=read.flag("is_test_event", absent=False) is True,
            goal_type=read.optional_text("goal_type"),
            goal_target=read.optional_int("goal_target"),
            tracking_tool_id=tool_id,
            tracking_tool_event_id=tool_event_id,
            status=read.text("status"),
            id=read.optional_int("id"),
            name=read.optional_text("name"),
            event_page_wiki=read.optional_text("event_page_wiki"),
            questions=read.ints("questions"),
        )

    def to_body(self, *, update: bool) -> dict[str, Any]:
        """The JSON body of POST (`update=False`) or PUT (`update=True`, adds `status`), in
        §1.1's order; the transport adds the CSRF token. Refuses what would lose data."""
        self._check_writable(update=update)
        body: dict[str, Any] = {
            "event_page": self.event_page,
            "timezone": self.timezone,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "types": list(self.types),
            "wikis": list(self.wikis),
        }
        if self.topics:
            body["topics"] = list(self.topics)
        body["online_meeting"] = self.online_meeting
        body["inperson_meeting"] = self.inperson_meeting
        optional = {
            "meeting_url": self.meeting_url,
            "meeting_country_code": self.meeting_country_code,
            "meeting_address": self.meeting_address,
            "chat_url": self.chat_url,
        }
        body.update((key, value) for key, value in optional.items() if value is not None)
        body["is_test_event"] = self.is_test_event
        body["tracks_contributions"] = self.tracks_contributions
        goal_and_tool = {
            "goal_type": self.goal_type,
            "goal_target": self.goal_target,
            "tracking_tool_id": self.tracking_tool_id,
            "tracking_tool_event_id": self.tracking_tool_event_id,
        }
        body.update((key, value) for key, value in goal_and_tool.items() if value is not None)
        if update:
            body["status"] = self.status
        return body

    def with_changes(self, **changes: Any) -> Registration:
        """A copy with some writable fields changed; a read-only or unknown name is refused."""
        require_writable(changes)
        return replace(self, **changes)

    def _check_writable(self, *, update: bool) -> None:
        subject = f"Event {self.id} ({self.event_page})" if self.id else self.event_page
        for name, why in HIDEABLE_FIELDS.items():
            if getattr(self, name) is NOT_SHOWN:
                raise RegistrationNotWritable(
                    f"{subject}: the wiki did not show you its {name} ({why}), and a write "
                    "replaces every field, so sending it empty would erase it. Set "
                    f"{name} explicitly and try again.",
                    field=name,
                )
        if self.tracks_contributions is None:
            raise RegistrationNotWritable(
                f"{subject}: the wiki did not say whether contribution statistics are on (an "
                "older CampaignEvents), and every write must say it. Set tracks_contributions "
                "to true or false.",
                field="tracks_contributions",
            )
        if not update and self.status != "open":
            raise RegistrationNotWritable(
                f"{subject}: a new registration is always open; create it open, then update "
                f"its status to {self.status!r}.",
                field="status",
            )


# Fields a write sends (the compared ones); the rest of the dataclass only says what GET said.
WRITABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Registration) if f.compare)
# Optional text fields a GET may leave out, and why it would.
_URL_HIDDEN = "only the event's participants and organizers see it"
_OLD_WIKI = "an older CampaignEvents does not report it"
HIDEABLE_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "meeting_url": _URL_HIDDEN,
        "meeting_country_code": _OLD_WIKI,
        "meeting_address": _OLD_WIKI,
        "chat_url": _URL_HIDDEN,
    }
)


def require_writable(changes: Mapping[str, Any]) -> None:
    """Raise TypeError naming any key of `changes` that is not a writable field."""
    unknown = sorted(set(changes) - set(WRITABLE_FIELDS))
    if unknown:
        raise TypeError(f"not writable fields of a registration: {', '.join(unknown)}")


@dataclass(frozen=True)
class FieldChange:
    """One field a write would change: its name, the value now and the value wanted."""

    field: str
    before: Any
    after: Any


def changed_fields(
    current: Registration, wanted: Registration, *, farm_wikis: Collection[str] | None = None
) -> tuple[FieldChange, ...]:
    """The fields where `wanted` differs from `current` as the wiki would store them (§10):
    types in any order, the whole farm as `["*"]` (given `farm_wikis`), a trimmed address and
    the title's spelling (underscores, the first letter's case) are no change."""
    farm = frozenset(farm_wikis) if farm_wikis else None
    return tuple(
        FieldChange(name, getattr(current, name), getattr(wanted, name))
        for name in WRITABLE_FIELDS
        if _stored(name, getattr(current, name), farm) != _stored(name, getattr(wanted, name), farm)
    )


def _stored(name: str, value: Any, farm: frozenset[str] | None) -> Any:
    """The value in the form the wiki stores it, for comparing."""
    if value is None or value is NOT_SHOWN:
        return value
    if name == "event_page":
        return title_key(value)
    if name == "timezone":
        return value.casefold()
    if name in ("types", "topics"):
        return frozenset(value)
    if name == "wikis":
        wikis = frozenset(value)
        return frozenset({ALL_WIKIS}) if farm is not None and wikis == farm else wikis
    if name == "meeting_address":
        return value.strip().encode("utf-8")[:MAX_ADDRESS_BYTES].decode("utf-8", "ignore")
    return value


def title_key(title: str) -> str:
    """A prefixed page title as MediaWiki normalises it: namespace case aside, then as
    `name_key` (event pages always have a namespace, Event: or Project:)."""
    prefix, colon, rest = title.partition(":")
    if not colon:
        return name_key(title)
    return f"{' '.join(prefix.replace('_', ' ').split()).casefold()}:{name_key(rest)}"


def name_key(text: str) -> str:
    """A title without namespace as MediaWiki normalises it: spaces for underscores, one space
    between words, the first letter upper case."""
    words = " ".join(text.replace("_", " ").split())
    return words[:1].upper() + words[1:]


def _tracking_tool(tools: list[Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """GET's `tracking_tools` as the body's one tool (§10); more than one cannot round-trip."""
    if not tools:
        return None, None
    if len(tools) > 1:
        raise UnexpectedResponse(
            f"The event has {len(tools)} tracking tools; a write can keep only one, so gatebot "
            "will not touch it. Edit it on the wiki."
        )
    tool_id, tool_event_id = tools[0].get("tool_id"), tools[0].get("tool_event_id")
    if not isinstance(tool_id, str) or not isinstance(tool_event_id, str):
        raise UnexpectedResponse("The event's tracking tool lacks its tool_id or tool_event_id.")
    return tool_id, tool_event_id


class _Reader:
    """Typed reads of a GET object; a wrong type or a missing required key is an
    `UnexpectedResponse` naming the key."""

    _REQUIRED = object()

    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    def _get(self, key: str, kinds: tuple[type, ...], absent: Any) -> Any:
        if key not in self.data:
            if absent is self._REQUIRED:
                raise UnexpectedResponse(f"The wiki's event has no {key!r}.")
            return absent
        value = self.data[key]
        if value is None and absent is not self._REQUIRED:
            return None
        if not isinstance(value, kinds) or (int in kinds and isinstance(value, bool)):
            raise UnexpectedResponse(
                f"The wiki's event has {key!r} = {value!r}, not a {kinds[0].__name__}."
            )
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, (str,), self._REQUIRED))

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, (str,), None)
        return None if value is None else str(value)

    def maybe_shown(self, key: str) -> MaybeShown:
        value = self._get(key, (str,), NOT_SHOWN)
        return value if value is None or value is NOT_SHOWN else str(value)

    def optional_int(self, key: str) -> int | None:
        value = self._get(key, (int,), None)
        return None if value is None else int(value)

    def flag(self, key: str, absent: Any = _REQUIRED) -> bool | None:
        value = self._get(key, (bool,), absent)
        return None if value is None else bool(value)

    def texts(self, key: str, absent: Any = _REQUIRED) -> tuple[str, ...]:
        values = self._get(key, (list,), absent) or ()
        if not all(isinstance(v, str) for v in values):
            raise UnexpectedResponse(f"The wiki's event has {key!r} = {values!r}, not strings.")
        return tuple(values)

    def ints(self, key: str) -> tuple[int, ...]:
        values = self._get(key, (list,), ()) or ()
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise UnexpectedResponse(f"The wiki's event has {key!r} = {values!r}, not integers.")
        return tuple(values)

    def tracking_tools(self) -> list[Mapping[str, Any]]:
        tools = self._get("tracking_tools", (list,), []) or []
        if not all(isinstance(t, Mapping) for t in tools):
            raise UnexpectedResponse(f"The wiki's event has tracking_tools = {tools!r}.")
        return list(tools)
