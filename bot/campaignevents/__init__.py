"""The typed CampaignEvents client: `Registration` <-> REST JSON, routes, typed errors.

`CampaignEventsClient(wiki_client).create(Registration(...)).id` enables a registration;
`.update_fields(event_id, tracks_contributions=False)` reads it, changes one field, writes all.
"""

from __future__ import annotations

from bot.campaignevents.client import CampaignEventsClient, Created, RestWarning, Updated
from bot.campaignevents.errors import (
    BadToken,
    CampaignEventsError,
    EventDeleted,
    EventNotFound,
    InvalidParameter,
    ListingIncomplete,
    MissingCentralAccount,
    MissingRegistrationRight,
    NoCentralId,
    NotAnOrganizer,
    NotPageAuthor,
    PageAlreadyRegistered,
    PageRegistrationDeleted,
    PermissionDenied,
    RegistrationNotWritable,
    RegistrationRefused,
    UnexpectedResponse,
    UserNotFound,
)
from bot.campaignevents.listings import (
    EVENTS_BY_USER_CAP,
    OrganizedEvent,
    Organizer,
    OrganizerEvents,
)
from bot.campaignevents.model import (
    NOT_SHOWN,
    WRITABLE_FIELDS,
    FieldChange,
    NotShown,
    Registration,
    changed_fields,
)

__all__ = [
    "EVENTS_BY_USER_CAP",
    "NOT_SHOWN",
    "WRITABLE_FIELDS",
    "BadToken",
    "CampaignEventsClient",
    "CampaignEventsError",
    "Created",
    "EventDeleted",
    "EventNotFound",
    "FieldChange",
    "InvalidParameter",
    "ListingIncomplete",
    "MissingCentralAccount",
    "MissingRegistrationRight",
    "NoCentralId",
    "NotAnOrganizer",
    "NotPageAuthor",
    "NotShown",
    "OrganizedEvent",
    "Organizer",
    "OrganizerEvents",
    "PageAlreadyRegistered",
    "PageRegistrationDeleted",
    "PermissionDenied",
    "Registration",
    "RegistrationNotWritable",
    "RegistrationRefused",
    "RestWarning",
    "UnexpectedResponse",
    "Updated",
    "UserNotFound",
    "changed_fields",
]
