"""CampaignEvents' English texts for its EventFactory error keys (contract campaignevents §5)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from policies.problems import Problem

MESSAGES: Mapping[str, str] = MappingProxyType({
    "campaignevents-error-empty-title": "Enter an event page title.",
    "campaignevents-error-invalid-title": "The event page title is invalid: {0}.",
    "campaignevents-error-invalid-title-interwiki": "Specify an event page on the local wiki.",
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
    "campaignevents-error-too-many-types": "Enter a maximum of {0} event {1}.",
    "campaignevents-error-invalid-types": "The following event types are not recognized: {0}.",
    "campaignevents-error-invalid-other-selection":
        "You cannot choose 'Other' along with other event types. Please choose only 'Other' or "
        "remove it to choose other options.",
    "campaignevents-error-too-many-wikis": "Enter a maximum of {0}.",
    "campaignevents-error-invalid-wikis": "The following wiki IDs are not recognized: {0}.",
    "campaignevents-error-too-many-topics": "Enter a maximum of {0}.",
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
    "campaignevents-error-goal-type-required":
        "You must add a goal metric and target number in order to save an event goal.",
    "campaignevents-error-goal-type-invalid": "You must choose a valid goal metric.",
    "campaignevents-error-goal-target-required":
        "You must add a goal metric and target number in order to save an event goal.",
    "campaignevents-error-goal-target-invalid": "Goal target number must be a positive number.",
    "campaignevents-error-trackingtool-without-eventid":
        "Provide the identifier of the event on the given tracking tool.",
    "campaignevents-error-trackingtool-eventid-without-toolid":
        "Provide the identifier of the tracking tool",
    "campaignevents-error-invalid-trackingtool": "Provide a valid tracking tool identifier",
})  # fmt: skip


def problem(code: str, field_name: str | None, *params: object) -> Problem:
    """A Problem with the server's English text for `code`, its `$1`, `$2` filled in."""
    return Problem(code, MESSAGES[code].format(*params), field_name)
