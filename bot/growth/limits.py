"""The wiki's own limits for suggested edits: community configuration, else its raw page, else
the legacy `MediaWiki:NewcomerTasks.json` (contract growthexperiments §4.3, §7, §9.14).

The effective daily limit is the smaller of the wiki's `maxTasksPerDay` and the local policy's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.growth.errors import ConfigUnreadable
from bot.growth.tasks import GATED_TASK_TYPES, IMAGE_TASK_TYPES
from bot.wiki import ApiError, WikiClient
from policies.policy import Policy

PROVIDER = "GrowthSuggestedEdits"
SCHEMA_VERSION = "2.0.0"
CONFIG_PAGE = "MediaWiki:GrowthExperimentsSuggestedEdits.json"
LEGACY_PAGE = "MediaWiki:NewcomerTasks.json"
FROM_COMMUNITY_CONFIGURATION = "communityconfiguration"
FROM_DEFAULTS = "defaults"
DEFAULT_MAX_TASKS_PER_DAY = 25
DEFAULT_CAPTION_MINIMUM = 5
DEFAULT_IMAGE_WIDTH = 100
_VERSION_FAILURE = "communityconfiguration-version-assertion-failure"
_RECEIVED = re.compile(r"\(([^\s,()]+) received")


@dataclass(frozen=True)
class WikiLimits:
    """What the wiki configures per task type; missing values take the extension's defaults.

    `source` says where they were read: `communityconfiguration`, a page title, or `defaults`.
    """

    source: str
    version: str | None = None
    max_tasks_per_day: Mapping[str, int] = field(default_factory=dict)
    minimum_caption_length: Mapping[str, int] = field(default_factory=dict)
    minimum_image_width: Mapping[str, int] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()

    def max_per_day(self, task_type: str) -> int:
        return self.max_tasks_per_day.get(task_type, DEFAULT_MAX_TASKS_PER_DAY)

    def caption_minimum(self, task_type: str) -> int:
        return self.minimum_caption_length.get(task_type, DEFAULT_CAPTION_MINIMUM)

    def effective_limit(self, policy: Policy, task_type: str) -> int | None:
        """The smaller of the local policy's limit and the wiki's `maxTasksPerDay`."""
        return policy.daily_limit(task_type, wiki_max=self.max_per_day(task_type))


def _positive(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigUnreadable(f"{where} is {value!r}; the wiki needs an integer of at least 1.")
    return value


def limits_from_config(
    data: Mapping[str, Any], *, source: str, version: str | None, legacy: bool
) -> WikiLimits:
    """Read the config object; keys are `image_recommendation` (current) or hyphenated (legacy)."""
    max_tasks: dict[str, int] = {}
    captions: dict[str, int] = {}
    widths: dict[str, int] = {}
    disabled = set()
    for task_type in GATED_TASK_TYPES:
        key = task_type if legacy else task_type.replace("-", "_")
        entry = data.get(key)
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise ConfigUnreadable(f"{source}: {key!r} is {entry!r}, not an object.")
        if entry.get("disabled") is True:
            disabled.add(task_type)
        where = f"{source}: {key}."
        limit = _positive(entry.get("maxTasksPerDay"), where + "maxTasksPerDay")
        if limit is not None:
            max_tasks[task_type] = limit
        if task_type not in IMAGE_TASK_TYPES:
            continue
        caption = _positive(
            entry.get("minimumCaptionCharacterLength"), where + "minimumCaptionCharacterLength"
        )
        if caption is not None:
            captions[task_type] = caption
        size = entry.get("minimumImageSize")
        width = _positive(size.get("width"), where + "minimumImageSize.width") if size else None
        if width is not None:
            widths[task_type] = width
    return WikiLimits(source, version, max_tasks, captions, widths, frozenset(disabled))


def _community_configuration(wiki: WikiClient) -> WikiLimits | None:
    """`meta=communityconfiguration`; the stored `$version` must be asserted even when unknown,
    so a version failure is retried once with the version the wiki names."""
    version = SCHEMA_VERSION
    for _ in range(2):
        try:
            answer = wiki.api_get({
                "action": "query", "meta": "communityconfiguration",
                "ccrprovider": PROVIDER, "ccrassertversion": version,
            })  # fmt: skip
        except ApiError as error:
            found = _RECEIVED.search(error.info)
            if error.code != _VERSION_FAILURE or found is None or found.group(1) == version:
                return None
            version = found.group(1)
            continue
        body = answer.get("communityconfiguration")
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            return None
        return limits_from_config(
            body["data"],
            source=FROM_COMMUNITY_CONFIGURATION,
            version=str(body.get("version") or version),
            legacy=False,
        )
    return None


def _page_config(wiki: WikiClient) -> WikiLimits | None:
    """The raw config page, else the legacy one, read in one request."""
    answer = wiki.api_get({
        "action": "query", "prop": "revisions", "titles": f"{CONFIG_PAGE}|{LEGACY_PAGE}",
        "rvprop": "content", "rvslots": "main",
    })  # fmt: skip
    texts = {}
    for page in (answer.get("query") or {}).get("pages") or []:
        revisions = page.get("revisions") or []
        if not page.get("missing") and revisions:
            texts[page.get("title")] = ((revisions[0].get("slots") or {}).get("main") or {}).get(
                "content", ""
            )
    for title in (CONFIG_PAGE, LEGACY_PAGE):
        if title not in texts:
            continue
        try:
            data = json.loads(texts[title])
        except ValueError as error:
            raise ConfigUnreadable(
                f"{title} on the wiki is not valid JSON ({error}); ask a wiki administrator "
                "to fix it."
            ) from None
        if not isinstance(data, dict):
            raise ConfigUnreadable(f"{title} on the wiki is not a JSON object.")
        version = data.pop("$version", None)
        return limits_from_config(
            data,
            source=title,
            version=str(version) if version is not None else None,
            legacy=title == LEGACY_PAGE,
        )
    return None


def read_limits(wiki: WikiClient) -> WikiLimits:
    """The wiki's limits from the first source that answers; the defaults when none does."""
    return _community_configuration(wiki) or _page_config(wiki) or WikiLimits(FROM_DEFAULTS)
