"""The typed GrowthExperiments client over one `WikiClient`, and the feed that hands out tasks
one at a time (contract growthexperiments §1–§4).

Suggestion data is rate-limited (500 calls a day per user), so `TaskFeed` opens a task, one
title per request, only when it is asked for the next one to show. Production ignores
`gtoffset`, so the feed pages by excluding the page ids it has already seen.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable

from bot.growth.answers import (
    Accept,
    Answer,
    Reject,
    Submission,
    check_answer,
    outcome,
    parse_save,
    save_params,
)
from bot.growth.errors import EditConflict, PlacementError, SubmissionRefused, UnexpectedAnswer
from bot.growth.limits import WikiLimits, read_limits
from bot.growth.placement import FILE_NAMESPACES, ImageLink, locate, place_image
from bot.growth.suggestions import Offer, open_params, parse_offer
from bot.growth.tasks import (
    IMAGE_TASK_TYPES,
    QualityGate,
    Task,
    TaskBatch,
    TaskQuery,
    parse_generator,
    parse_list,
)
from bot.wiki import ApiError, OutcomeUnknown, WikiClient

FILE_NAMESPACE_ID = 6
log = logging.getLogger(__name__)


class GrowthClient:
    """The "Add an image" calls on one wiki, for the logged-in user of `wiki`."""

    def __init__(self, wiki: WikiClient):
        self.wiki = wiki
        self._limits: WikiLimits | None = None

    def limits(self, refresh: bool = False) -> WikiLimits:
        """The wiki's `maxTasksPerDay`, caption minimum and the rest (read once, then cached)."""
        if self._limits is None or refresh:
            self._limits = read_limits(self.wiki)
        return self._limits

    def quality_gate(self, task_types: Iterable[str] = IMAGE_TASK_TYPES) -> QualityGate:
        """The wiki's daily counts now: a fresh one-task `list=growthtasks` request."""
        query = TaskQuery(task_types=tuple(task_types), limit=1)
        answer = self.wiki.api_get({"action": "query", "list": "growthtasks", **query.params("gt")})
        return parse_list(answer, query).gate

    def tasks(self, query: TaskQuery, exclude_page_ids: Iterable[int] = ()) -> TaskBatch:
        """One page of tasks (generator mode, which gives page ids to exclude next time)."""
        params = query.params("ggt", list(exclude_page_ids))
        answer = self.wiki.api_get({"action": "query", "generator": "growthtasks", **params})
        return parse_generator(answer, query)

    def file_namespaces(self) -> tuple[str, ...]:
        """The names the wiki's File namespace goes by (canonical, alias, local name)."""
        local = self.wiki.siteinfo().namespaces.get(FILE_NAMESPACE_ID)
        return (*FILE_NAMESPACES, local) if local else FILE_NAMESPACES

    def open(self, task: Task) -> Offer | None:
        """Fetch ONE task's suggestion and base revision; None when it has none or is no longer
        valid (article already illustrated, section gone): the wiki is then told so, as the
        editor does, so it stops suggesting it for a while."""
        offer = parse_offer(task, self.wiki.api_get(open_params(task)))
        if offer is None:
            return None
        try:
            locate(
                offer.base.text,
                offer.suggestion.filename,
                section_number=offer.suggestion.section_number,
                section_title=offer.suggestion.section_title,
                file_namespaces=self.file_namespaces(),
            )
        except PlacementError:
            self._invalidate(offer)
            return None
        return offer

    def _invalidate(self, offer: Offer) -> None:
        """`growthinvalidateimagerecommendation`: hides the task; no log row, not counted. A
        courtesy to the wiki: when it refuses, the task is passed over all the same."""
        suggestion = offer.suggestion
        params = {
            "action": "growthinvalidateimagerecommendation",
            "tasktype": offer.task.task_type,
            "title": offer.task.title,
            "filename": suggestion.filename,
        }
        if suggestion.section_title is not None:
            params["sectiontitle"] = suggestion.section_title
            params["sectionnumber"] = str(suggestion.section_number)
        try:
            self.wiki.api_post(params)
        except ApiError as error:
            log.info("could not mark %s as invalid on the wiki: %s", offer.task.title, error)

    def submit(self, offer: Offer, answer: Answer) -> Submission:
        """Send a yes or no as the web editor does; a skip sends nothing. Raises `InvalidAnswer`
        or `PlacementError` before sending, `EditConflict`/`SubmissionRefused` after, and
        `OutcomeUnknown` when no answer, or one it cannot read, proves what the wiki did."""
        task = offer.task
        if not isinstance(answer, (Accept, Reject)):
            return Submission(task.title, task.task_type, outcome(answer), sent=False)
        check_answer(offer, answer, self.limits().caption_minimum(task.task_type))
        text = offer.base.text
        if isinstance(answer, Accept):
            text = place_image(
                text,
                ImageLink(offer.suggestion.filename, answer.caption, answer.alt),
                section_number=offer.suggestion.section_number,
                section_title=offer.suggestion.section_title,
                file_namespaces=self.file_namespaces(),
            )
        try:
            response = self.wiki.api_post(save_params(offer, answer, text))
        except ApiError as error:
            if error.code == "editconflict":
                raise EditConflict(
                    f"{task.title} was edited by someone else since this task was opened; "
                    "nothing was saved or counted. Open it again to answer."
                ) from None
            if error.code == "hookaborted":
                raise SubmissionRefused(
                    f"The wiki refused the answer for {task.title}: {error.info}", code=error.code
                ) from None
            raise
        try:
            return parse_save(offer, answer, response)
        except UnexpectedAnswer as error:  # a save answered in a shape the contract lacks
            raise OutcomeUnknown(
                f"{error} The answer for {task.title} may or may not have been saved; gatebot "
                "will not send it again blindly."
            ) from None


class TaskFeed:
    """Tasks for `query`, each handed out once and opened only when asked for: the session
    shows what `next_offer()` returns, so no suggestion is fetched that is not shown. Call
    `next_offer()` from one thread at a time (a prefetcher may own it)."""

    def __init__(self, growth: GrowthClient, query: TaskQuery):
        self.growth = growth
        self.query = query
        self.gate: QualityGate | None = None
        self._queue: deque[Task] = deque()
        self._seen_ids: list[int] = []
        self._seen_titles: set[str] = set()
        self._exhausted = False

    def _next_task(self) -> Task | None:
        if not self._queue and not self._exhausted:
            batch = self.growth.tasks(self.query, self._seen_ids)
            self.gate = batch.gate
            fresh = [t for t in batch.tasks if t.title not in self._seen_titles]
            self._exhausted = not fresh
            for task in fresh:
                self._seen_titles.add(task.title)
                if task.page_id is not None:
                    self._seen_ids.append(task.page_id)
            self._queue.extend(fresh)
        return self._queue.popleft() if self._queue else None

    def next_offer(self, wanted: Callable[[Task], bool] | None = None) -> Offer | None:
        """The next task with its suggestion, or None when the wiki has no more. Tasks `wanted`
        refuses (say, of a type whose daily gate has closed) are passed over unopened."""
        while (task := self._next_task()) is not None:
            if wanted is not None and not wanted(task):
                continue
            offer = self.growth.open(task)
            if offer is not None:
                return offer
        return None
