"""`list=`/`generator=growthtasks`: the task query, its answer, and the wiki's daily counts
(contract growthexperiments §1, §1.4, §9.8–9.9).

The wiki's `qualityGateConfig` is `[]` when it has no gated task type, and always `[]` on wikis
whose suggester is not the local search one: a missing count is modelled as "the wiki reports
no count" (`source="none"`), never as a count of 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.growth.errors import TaskTypeUnavailable, UnexpectedAnswer

IMAGE = "image-recommendation"
SECTION_IMAGE = "section-image-recommendation"
IMAGE_TASK_TYPES = (IMAGE, SECTION_IMAGE)
GATED_TASK_TYPES = (IMAGE, SECTION_IMAGE, "link-recommendation")
TOPIC_MODES = ("OR", "AND")
MAX_LIMIT = 250
MAX_EXCLUDED = 1000  # gtexcludepageids takes at most 1000 values

COUNT_FROM_WIKI = "wiki"
NO_COUNT = "none"


@dataclass(frozen=True)
class TaskQuery:
    """What to ask `growthtasks` for; only the two image task types can be answered here."""

    task_types: tuple[str, ...] = IMAGE_TASK_TYPES
    topics: tuple[str, ...] = ()
    topics_mode: str = "OR"
    limit: int = 15

    def __post_init__(self) -> None:
        unknown = [t for t in self.task_types if t not in IMAGE_TASK_TYPES]
        if unknown or not self.task_types:
            raise TaskTypeUnavailable(
                f"Task type(s) {', '.join(unknown) or '(none)'} cannot be answered here; use "
                f"{' or '.join(IMAGE_TASK_TYPES)}."
            )
        if self.topics_mode not in TOPIC_MODES:
            raise TaskTypeUnavailable(
                f"Topics mode {self.topics_mode!r} is not one of {', '.join(TOPIC_MODES)}."
            )
        if not 1 <= self.limit <= MAX_LIMIT:
            raise TaskTypeUnavailable(f"A task limit must be 1 to {MAX_LIMIT}, not {self.limit}.")

    def params(self, prefix: str, exclude_page_ids: Sequence[int] = ()) -> dict[str, str]:
        """The request parameters with `prefix` (`gt` list, `ggt` generator); no offset."""
        params = {
            f"{prefix}tasktypes": "|".join(self.task_types),
            f"{prefix}limit": str(self.limit),
        }
        if self.topics:
            params[f"{prefix}topics"] = "|".join(self.topics)
            params[f"{prefix}topicsmode"] = self.topics_mode
        if exclude_page_ids:
            kept = list(exclude_page_ids)[-MAX_EXCLUDED:]
            params[f"{prefix}excludepageids"] = "|".join(str(page_id) for page_id in kept)
        return params


@dataclass(frozen=True)
class DailyCount:
    """The wiki's count today for one task type; `count`/`limit_reached` are None when the wiki
    reports none (`source` is then `"none"`, else `"wiki"`)."""

    task_type: str
    count: int | None
    limit_reached: bool | None
    source: str

    @property
    def reported(self) -> bool:
        return self.source == COUNT_FROM_WIKI


@dataclass(frozen=True)
class QualityGate:
    """`qualityGateConfig` as a map of task type to the wiki's `DailyCount`."""

    counts: Mapping[str, DailyCount] = field(default_factory=dict)

    def for_type(self, task_type: str) -> DailyCount:
        """The wiki's count for `task_type`, or one saying the wiki reports none."""
        return self.counts.get(task_type) or DailyCount(task_type, None, None, NO_COUNT)


@dataclass(frozen=True)
class Task:
    """One suggested article: `page_id` is None in list mode (the list gives titles only)."""

    title: str
    task_type: str
    order: int
    page_id: int | None = None
    difficulty: str = "medium"
    token: str = ""


@dataclass(frozen=True)
class TaskBatch:
    """One `growthtasks` answer: tasks in the wiki's order, `total_count` of the full match set."""

    tasks: tuple[Task, ...]
    total_count: int
    gate: QualityGate


def parse_quality_gate(value: Any) -> QualityGate:
    """Read `qualityGateConfig`: `[]` (PHP's empty array) or `{type: {dailyLimit, dailyCount}}`;
    unknown keys (the old `mobileOnly`) are ignored."""
    if value == [] or value is None:
        return QualityGate()
    if not isinstance(value, dict):
        raise UnexpectedAnswer(f"qualityGateConfig is {value!r}, not an object or [].")
    counts = {}
    for task_type, entry in value.items():
        if not isinstance(entry, dict):
            raise UnexpectedAnswer(f"qualityGateConfig.{task_type} is {entry!r}, not an object.")
        count, reached = entry.get("dailyCount"), entry.get("dailyLimit")
        if count is None and reached is None:
            continue
        if not _is_int(count) or not isinstance(reached, bool):
            raise UnexpectedAnswer(
                f"qualityGateConfig.{task_type} has dailyCount={count!r}, dailyLimit={reached!r}; "
                "expected an integer and a boolean."
            )
        counts[task_type] = DailyCount(task_type, count, reached, COUNT_FROM_WIKI)
    return QualityGate(counts)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _task(data: Mapping[str, Any], page_id: int | None) -> Task:
    try:
        return Task(
            title=str(data["title"]),
            task_type=str(data["tasktype"]),
            order=int(data["order"]),
            page_id=page_id,
            difficulty=str(data.get("difficulty", "medium")),
            token=str(data.get("token", "")),
        )
    except (KeyError, TypeError, ValueError):
        raise UnexpectedAnswer(
            f"A growthtasks task lacks title/tasktype/order: {data!r}."
        ) from None


def _check_warnings(answer: Mapping[str, Any]) -> None:
    """The wiki drops unknown task types and topics with only a warning: refuse instead."""
    for module in (answer.get("warnings") or {}).values():
        if not isinstance(module, dict):
            continue
        text = module.get("warnings") or module.get("*") or ""
        for line in str(text).splitlines():
            if "tasktypes" in line or "topics" in line:
                raise TaskTypeUnavailable(
                    f"The wiki does not offer what was asked: {line.strip()} Check --task-type "
                    "and --topics against the wiki's suggested edits."
                )


def _wanted(tasks: Iterable[Task], query: TaskQuery) -> tuple[Task, ...]:
    """Tasks of the asked types only (a wiki that dropped every asked type returns all)."""
    return tuple(sorted((t for t in tasks if t.task_type in query.task_types), key=_order))


def _order(task: Task) -> int:
    return task.order


def parse_list(answer: Mapping[str, Any], query: TaskQuery) -> TaskBatch:
    """A `list=growthtasks` answer: everything under `query.growthtasks`."""
    _check_warnings(answer)
    body = (answer.get("query") or {}).get("growthtasks")
    if not isinstance(body, dict):
        raise UnexpectedAnswer("The growthtasks answer has no query.growthtasks object.")
    tasks = [_task(item, None) for item in body.get("suggestions") or []]
    return TaskBatch(
        _wanted(tasks, query),
        int(body.get("totalCount") or 0),
        parse_quality_gate(body.get("qualityGateConfig")),
    )


def parse_generator(answer: Mapping[str, Any], query: TaskQuery) -> TaskBatch:
    """A `generator=growthtasks` answer: task keys on each page, totals at the root."""
    _check_warnings(answer)
    summary = answer.get("growthtasks") or {}
    pages = (answer.get("query") or {}).get("pages") or []
    if isinstance(pages, dict):
        pages = list(pages.values())
    tasks = [_task(page, int(page["pageid"]) if page.get("pageid") else None) for page in pages]
    return TaskBatch(
        _wanted(tasks, query),
        int(summary.get("totalCount") or 0),
        parse_quality_gate(summary.get("qualityGateConfig")),
    )
