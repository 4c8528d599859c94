"""Errors of the GrowthExperiments client, named after what went wrong for the volunteer.

Each says what failed and what to do; refusals made before anything is sent (`InvalidAnswer`,
`PlacementError`) are distinct from what the wiki refused (`SubmissionRefused`, `EditConflict`).
"""

from __future__ import annotations

from policies.errors import GatebotError


class GrowthError(GatebotError):
    """Something about an "Add an image" task, answer or wiki answer is not right."""

    exit_status = 1


class UnexpectedAnswer(GrowthError):
    """The wiki answered in a shape the contract does not describe; nothing is guessed."""


class TaskTypeUnavailable(GrowthError):
    """The wiki does not offer a requested task type or topic (it only warns and drops it)."""


class ConfigUnreadable(GrowthError):
    """The wiki's suggested-edits configuration page holds something gatebot cannot read."""


class InvalidAnswer(GrowthError):
    """An answer gatebot refuses before sending: `field` names what is wrong with it."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


class PlacementError(GrowthError):
    """The image cannot go where the suggestion says (the task is no longer valid)."""


class SubmissionRefused(GrowthError):
    """The wiki refused the answer (`code` as it sent it, e.g. `hookaborted`); nothing counted."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


class EditConflict(GrowthError):
    """The article changed since the task was opened; nothing was saved or counted."""
