"""The typed GrowthExperiments "Add an image" client: tasks and the wiki's daily counts,
suggestions fetched one at a time, the wiki's limits, and answers sent as the web editor sends
them (contract growthexperiments). The gate that stops at the limit wraps this; it is not here.
"""

from bot.growth.answers import REJECTION_REASONS, Accept, Answer, Reject, Skip, Submission
from bot.growth.client import GrowthClient, TaskFeed
from bot.growth.errors import (
    ConfigUnreadable,
    EditConflict,
    GrowthError,
    InvalidAnswer,
    PlacementError,
    SubmissionRefused,
    TaskTypeUnavailable,
    UnexpectedAnswer,
)
from bot.growth.limits import WikiLimits
from bot.growth.placement import ImageLink, place_image
from bot.growth.suggestions import BaseRevision, ImageSuggestion, Offer
from bot.growth.tasks import (
    COUNT_FROM_WIKI,
    IMAGE,
    IMAGE_TASK_TYPES,
    NO_COUNT,
    SECTION_IMAGE,
    DailyCount,
    QualityGate,
    Task,
    TaskBatch,
    TaskQuery,
)

__all__ = [
    "COUNT_FROM_WIKI",
    "IMAGE",
    "IMAGE_TASK_TYPES",
    "NO_COUNT",
    "REJECTION_REASONS",
    "SECTION_IMAGE",
    "Accept",
    "Answer",
    "BaseRevision",
    "ConfigUnreadable",
    "DailyCount",
    "EditConflict",
    "GrowthClient",
    "GrowthError",
    "ImageLink",
    "ImageSuggestion",
    "InvalidAnswer",
    "Offer",
    "PlacementError",
    "QualityGate",
    "Reject",
    "Skip",
    "Submission",
    "SubmissionRefused",
    "Task",
    "TaskBatch",
    "TaskFeed",
    "TaskQuery",
    "TaskTypeUnavailable",
    "UnexpectedAnswer",
    "WikiLimits",
    "place_image",
]
