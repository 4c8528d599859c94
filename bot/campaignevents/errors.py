"""CampaignEvents' REST errors as typed errors that name the event field they concern.

The wiki answers one error at a time (contract campaignevents §4.3, §5): a localised envelope
(`errorKey`, `messageTranslations`) or a parameter error (`failureCode`, `name`). Each becomes a
subclass of `bot.wiki.RestError`, so code that catches the transport's errors still catches it.
"""

from __future__ import annotations

from typing import Any

from bot.wiki.errors import RestError, WikiError
from policies.errors import GatebotError

ENABLE_RIGHT = "campaignevents-enable-registration"
ORGANIZE_RIGHT = "campaignevents-organize-events"
DELETE_RIGHT = "campaignevents-delete-registration"
PARAMETER_ERROR = "parameter-validation-failed"

_PREFIX = "campaignevents-error-"
# EventFactory's keys (contract §5) and the save command's, by the body field they concern;
# the same field names as the policy layer's problems (policies.registration).
_FIELDS_BY_KEY: dict[str, tuple[str, ...]] = {
    "event_page": (
        "empty-title", "invalid-title", "invalid-title-interwiki", "page-namespace-not-allowed",
        "page-with-section", "page-not-found", "page-already-registered",
        "page-already-registered-deleted",
    ),
    "status": ("invalid-status",),
    "timezone": ("invalid-timezone",),
    "start_time": ("empty-start", "invalid-start", "start-past"),
    "end_time": ("empty-end", "invalid-end", "start-after-end"),
    "types": (
        "no-types", "too-many-types", "invalid-types", "invalid-other-selection",
        "contribs-tracking-invalid-type",
    ),
    "wikis": ("too-many-wikis", "invalid-wikis", "contribs-tracking-no-wikis"),
    "topics": ("too-many-topics", "invalid-topics"),
    "online_meeting": ("no-participation-options",),
    "meeting_url": ("invalid-meeting-url", "meeting-url-not-online"),
    "meeting_country_code": (
        "invalid-country-code", "countryoraddress-not-in-person",
        "contribs-tracking-disallowed-country",
    ),
    "meeting_address": ("invalid-address",),
    "chat_url": ("invalid-chat-url",),
    "goal_type": (
        "goal-type-required", "goal-type-invalid", "goal-requires-contribution-tracking",
    ),
    "goal_target": ("goal-target-required", "goal-target-invalid"),
    "tracking_tool_id": ("trackingtool-eventid-without-toolid", "invalid-trackingtool"),
    "tracking_tool_event_id": ("trackingtool-without-eventid",),
}  # fmt: skip
FIELD_OF_KEY: dict[str, str] = {
    _PREFIX + suffix: name for name, suffixes in _FIELDS_BY_KEY.items() for suffix in suffixes
}
FIELD_OF_KEY.update({
    "campaignevents-enable-registration-not-allowed-page": "event_page",
    "campaignevents-rest-edit-page-nonlocal": "event_page",
    "campaignevents-rest-delete-event-nonlocal-error-message": "event_page",
    "campaignevents-event-dates-cannot-be-changed": "end_time",
})  # fmt: skip
_TRACKING_TOOL_PREFIX = "campaignevents-tracking-tool-"
_NOT_FOUND = "campaignevents-rest-event-not-found"
_DELETED = frozenset({
    "campaignevents-rest-get-registration-deleted", "campaignevents-rest-delete-already-deleted",
    "campaignevents-edit-registration-deleted",
})  # fmt: skip
_REGISTERED = "campaignevents-error-page-already-registered"
_REGISTERED_DELETED = "campaignevents-error-page-already-registered-deleted"


def field_of(error_key: str | None, parameter: str | None = None) -> str | None:
    """The event field an error concerns: a parameter error's `name`, else by error key."""
    if parameter:
        return parameter
    key = error_key or ""
    if key.startswith(_TRACKING_TOOL_PREFIX):
        return "tracking_tool_id"
    return FIELD_OF_KEY.get(key)


class CampaignEventsError(RestError):
    """A CampaignEvents REST error: `field` is the event field it concerns (None: the whole
    request), `event_id`/`event_page` the event it was about, as far as the caller said."""

    def __init__(
        self,
        cause: RestError,
        message: str,
        *,
        field: str | None = None,
        event_id: int | None = None,
        event_page: str | None = None,
    ):
        super().__init__(
            cause.http_code,
            cause.error_key,
            cause.messages,
            name=cause.name,
            failure_code=cause.failure_code,
            data=cause.data,
            method=cause.method,
            url=cause.url,
        )
        self.args = (message,)
        self.field = field
        self.event_id = event_id
        self.event_page = event_page


class EventNotFound(CampaignEventsError):
    """No event registration with this id (404)."""


class EventDeleted(EventNotFound):
    """The event registration was deleted (a soft delete: it stays listed, flagged)."""


class UserNotFound(CampaignEventsError):
    """No visible account with this central id (404 from the per-user listings)."""


class RegistrationRefused(CampaignEventsError):
    """The wiki refused the registration's content (400); `field` says which part."""


class InvalidParameter(RegistrationRefused):
    """Core's parameter validation refused `field` (`failure_code`: missingparam, badvalue…)."""


class PageAlreadyRegistered(RegistrationRefused):
    """`event_page` already has a registration: look it up (`find_by_page`), never create a
    second one."""


class PageRegistrationDeleted(PageAlreadyRegistered):
    """`event_page` had a registration that was deleted; the page can never get a new one."""


class PermissionDenied(CampaignEventsError):
    """The wiki refused the caller (403); the message says which right or rule is missing."""


class MissingRegistrationRight(PermissionDenied):
    """The session may not enable registrations at all: the whole run stops (exit status 3)."""

    exit_status = 3


class NotPageAuthor(PermissionDenied):
    """Only the author of the event page's first revision may enable its registration."""


class NotAnOrganizer(PermissionDenied):
    """The caller is not an organizer of the event (or lacks the organizer rights)."""


class BadToken(PermissionDenied):
    """The wiki kept refusing the session's CSRF token (`rest-badtoken`)."""


class MissingCentralAccount(CampaignEventsError):
    """The account has no central (global) account, which CampaignEvents requires."""

    exit_status = 3


class NoCentralId(WikiError):
    """The session's user has no central id (anonymous, temporary or not attached)."""

    exit_status = 3


class UnexpectedResponse(WikiError):
    """The wiki answered in a shape the contract does not describe; names the key."""


class ListingIncomplete(WikiError):
    """A listing stopped at the wiki's cap, so what was looked for may be beyond it."""


class RegistrationNotWritable(GatebotError):
    """gatebot refuses to send this registration (it would lose or invent data); `field`
    names the field the caller must decide."""

    exit_status = 1

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def _subject(event_id: int | None, event_page: str | None) -> str:
    if event_id is not None and event_page:
        return f"Event {event_id} ({event_page})"
    if event_id is not None:
        return f"Event {event_id}"
    return event_page or "The event registration"


def from_rest_error(
    error: RestError,
    *,
    user: str | None = None,
    has_right: bool = False,
    event_id: int | None = None,
    event_page: str | None = None,
) -> CampaignEventsError:
    """The typed error for `error`. `user` is the caller's name; `has_right` says whether the
    session's rights include `campaignevents-enable-registration` (for the 403 wording)."""
    key = error.error_key or ""
    text = error.messages.get("en") or next(iter(error.messages.values()), "")
    field = field_of(key, error.name)
    subject = _subject(event_id, event_page)
    who = user or "This account"
    context: dict[str, Any] = {"field": field, "event_id": event_id, "event_page": event_page}
    refused = f"{subject}: the wiki refused it ({key or f'HTTP {error.http_code}'}"
    refused += f", field {field}): {text}" if field else f"): {text}"
    if error.data.get("error") == PARAMETER_ERROR or error.failure_code:
        return InvalidParameter(
            error,
            f"{subject}: the wiki refused the value of {field or 'a parameter'} "
            f"({error.failure_code or key}): {text}",
            **context,
        )
    if key == _NOT_FOUND:
        return EventNotFound(error, f"{subject} does not exist on this wiki ({key}).", **context)
    if key in _DELETED:
        return EventDeleted(error, f"{subject} was deleted ({key}): {text}", **context)
    if key == "campaignevents-rest-user-not-found":
        return UserNotFound(error, f"{text} ({key})", **context)
    if key == _REGISTERED_DELETED:
        return PageRegistrationDeleted(
            error,
            f"{subject}: the page's registration was deleted, and CampaignEvents never lets a "
            f"page be registered again ({key}).",
            **context,
        )
    if key == _REGISTERED:
        return PageAlreadyRegistered(
            error,
            f"{subject}: the page already has a registration ({key}); update that one instead "
            "of creating a second.",
            **context,
        )
    if key == "campaignevents-edit-need-central-account":
        return MissingCentralAccount(
            error,
            f"{who} has no central (global) account, which CampaignEvents needs to enable or "
            f"edit registrations ({key}); log in once on the wiki's central login first.",
            **context,
        )
    if error.http_code == 403:
        return _permission_error(error, subject, who, has_right, context)
    return RegistrationRefused(error, refused, **context)


def _permission_error(
    error: RestError, subject: str, who: str, has_right: bool, context: dict[str, Any]
) -> PermissionDenied:
    """A 403 in plain words: the right, the grant or the page-author rule that is missing."""
    key = error.error_key or ""
    text = error.messages.get("en") or ""
    if key == "campaignevents-rest-enable-registration-permission-denied":
        if has_right:
            reason = (
                f"the session has the right {ENABLE_RIGHT}, so the account is probably blocked "
                "sitewide or a temporary account"
            )
        else:
            reason = (
                f"the session lacks the right {ENABLE_RIGHT} (group event-organizer or sysop); "
                "a bot password or OAuth session only has the rights its grants include, so "
                "check the account's groups and the bot password's grants (gatebot whoami "
                "shows the session's rights)"
            )
        return MissingRegistrationRight(
            error, f"{who} may not enable event registrations on this wiki: {reason} ({key}).",
            **context,
        )  # fmt: skip
    if key == "campaignevents-enable-registration-not-allowed-page":
        return NotPageAuthor(
            error,
            f"{subject}: {who} did not create the event page, and CampaignEvents only lets the "
            "author of a page's first revision enable its registration. Create the event page "
            f"as {who}, or ask the page's creator to enable the registration ({key}).",
            **context,
        )
    if key in (
        "campaignevents-edit-not-allowed-registration",
        "campaignevents-delete-not-allowed-registration",
    ):
        action = "edit" if "-edit-" in key else "delete"
        extra = (
            f"and have {ENABLE_RIGHT} or {ORGANIZE_RIGHT}"
            if action == "edit"
            else f"or have {DELETE_RIGHT}"
        )
        return NotAnOrganizer(
            error,
            f"{subject}: {who} may not {action} it; only the event's organizers may ({extra}). "
            f"Ask an organizer to add {who} to the organizers ({key}).",
            **context,
        )
    if key == "rest-badtoken":
        return BadToken(
            error,
            f"{subject}: the wiki refused the session's CSRF token, even after gatebot fetched "
            f"a fresh one ({text}); the session may have expired: run again to log in afresh.",
            **context,
        )
    return PermissionDenied(
        error, f"{subject}: the wiki refused {who} ({key or 'HTTP 403'}): {text}", **context
    )
