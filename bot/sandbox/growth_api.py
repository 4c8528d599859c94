"""GrowthExperiments' API: `list=`/`generator=growthtasks`, `prop=growthimagesuggestiondata`,
`action=growthinvalidateimagerecommendation`, `meta=communityconfiguration` and the REST
feedback route (contract growthexperiments §1, §2, §3.3, §3.4, §4.3)."""

from __future__ import annotations

import secrets
import string
from typing import Any

from bot.sandbox import growth
from bot.sandbox.action_api import ApiError, Call, page_title, register
from bot.sandbox.core_modules import PARAMINFO
from bot.sandbox.pageset import integers
from bot.sandbox.query import GENERATORS, LIST, META, PROP, submodule
from bot.sandbox.rest import RestCall, json_response, localized, param_error, route
from bot.sandbox.rest_params import Spec, validate
from bot.sandbox.store import mw_iso
from bot.sandbox.thumbnails import absolute
from bot.sandbox.wiki import parse_title

DEFAULT_LIMIT = 15
MAX_LIMIT = 250
PROVIDERS = ("GrowthSuggestedEdits", "GrowthHomepage", "GrowthMentorList", "HelpPanel")
_TOKEN_ALPHABET = string.ascii_lowercase + string.digits
MUST_LOG_IN = ("mustbeloggedin-generic", "You must be logged in.")


def _named_account(call: Call):
    if call.account is None:
        raise ApiError(*MUST_LOG_IN)
    return call.account


def _tasks(call: Call, prefix: str, root_target: dict[str, Any]) -> list[dict[str, Any]]:
    """The task list of growthtasks; writes totalCount/qualityGateConfig into `root_target`."""
    account = _named_account(call)
    p, wiki = call.params, call.wiki
    wanted = p.multi(prefix + "tasktypes")
    unknown = [t for t in wanted if t not in wiki.config.task_types]
    if unknown:
        word = "value" if len(unknown) == 1 else "values"
        call.warn(
            "growthtasks",
            f'Unrecognized {word} for parameter "{prefix}tasktypes": {", ".join(unknown)}.',
        )
    task_types = [t for t in wanted if t in wiki.config.task_types] or list(wiki.config.task_types)
    asked_topics = p.multi(prefix + "topics")
    unknown_topics = [t for t in asked_topics if t not in wiki.config.topics]
    if unknown_topics:
        call.warn(
            "growthtasks",
            f'Unrecognized value for parameter "{prefix}topics": {", ".join(unknown_topics)}.',
        )
    topics = set(asked_topics) - set(unknown_topics)
    match_all = p.get(prefix + "topicsmode") == "AND"
    p.get(prefix + "debug")
    raw_limit = p.get(prefix + "limit")
    limit = MAX_LIMIT if raw_limit == "max" else p.integer(prefix + "limit", DEFAULT_LIMIT)
    if limit < 1 or limit > MAX_LIMIT:
        raise ApiError(
            "outofrange",
            f'Invalid value "{limit}" for parameter "{prefix}limit": '
            f"must be between 1 and {MAX_LIMIT}.",
        )
    offset = p.integer(prefix + "offset", 0) or 0
    excluded = set(integers(p.multi(prefix + "excludepageids"), prefix + "excludepageids"))
    now = mw_iso(wiki.now())
    article_topics = wiki.store.article_topics() if topics else {}

    def on_topic(title: str) -> bool:
        found = article_topics.get(title, set())
        return not topics or (topics <= found if match_all else bool(topics & found))

    matches: list[tuple[str, str]] = []
    for task_type in task_types:
        hidden = wiki.store.invalidated_titles(task_type, now)
        matches += [
            (task_type, title)
            for page_id, title in wiki.store.suggestion_titles(task_type)
            if title not in hidden and page_id not in excluded and on_topic(title)
        ]
    if offset > len(matches):
        raise ApiError("badvalue", f'Invalid value "{offset}" for parameter "{prefix}offset".')
    gate = growth.quality_gate_config(wiki, account)
    tasks = []
    for order, (task_type, title) in enumerate(matches[offset : offset + limit]):
        tasks.append({
            "title": title, "tasktype": task_type,
            "difficulty": growth.DIFFICULTY.get(task_type, "medium"), "order": order,
            "qualityGateIds": ["dailyLimit"] if task_type in growth.LOG_ACTIONS else [],
            "qualityGateConfig": gate,
            "token": "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(32)),
        })  # fmt: skip
    root_target.update(totalCount=len(matches), qualityGateConfig=gate)
    if len(matches) > offset + len(tasks):
        root_target["_continue"] = {prefix + "offset": offset + len(tasks), "continue": "-||"}
    return tasks


@submodule(LIST, "growthtasks")
def list_growthtasks(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    summary: dict[str, Any] = {}
    suggestions = _tasks(call, "gt", summary)
    more = summary.pop("_continue", None)
    if more:
        root["continue"] = more
    out["growthtasks"] = {"suggestions": suggestions, **summary}


@submodule(GENERATORS, "growthtasks")
def generator_growthtasks(call: Call, root: dict[str, Any]) -> list[dict[str, Any]]:
    """Generator mode: task keys on each page; totalCount and the gate at the response root."""
    summary: dict[str, Any] = {}
    tasks = _tasks(call, "ggt", summary)
    more = summary.pop("_continue", None)
    if more:
        root["continue"] = more
    root["growthtasks"] = summary
    pages = []
    for task in tasks:
        page = call.wiki.store.page(task["title"])
        if page is None:  # suggestions are seeded for existing articles only
            raise LookupError(f"suggested article {task['title']!r} has no page")
        pages.append(
            {
                "pageid": page.id,
                "ns": page.ns,
                "title": page.title,
                **{k: v for k, v in task.items() if k != "title"},
            }
        )
    return pages


@submodule(PROP, "growthimagesuggestiondata")
def prop_image_suggestions(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> None:
    """At most one suggestion per existing page; pages without one get no key at all."""
    account = _named_account(call)
    if not call.wiki.rate_limiter.allow(
        account,
        "growthexperiments-apiqueryimagesuggestiondata",
        default=(500, 86400),
        bypassable=False,
    ):
        raise ApiError(
            "ratelimited", "You've exceeded your rate limit. Please wait some time and try again."
        )
    task_type = call.params.get("gisdtasktype") or growth.IMAGE
    call.params.get("gisdcontinue")
    if task_type not in (growth.IMAGE, growth.SECTION_IMAGE):
        raise ApiError("badvalue", f'Unrecognized value for parameter "gisdtasktype": {task_type}.')
    for page in pages:
        if "pageid" not in page or "missing" in page:
            continue
        suggestion = call.wiki.store.suggestion(page["title"], task_type)
        if suggestion is not None:
            page["growthimagesuggestiondata"] = [absolute(call.wiki.server, suggestion)]


@register("growthinvalidateimagerecommendation", needs_token=True)
def invalidate_recommendation(call: Call) -> dict[str, Any]:
    """Invalidate for 10 minutes; no log row, not counted (§3.4)."""
    p = call.params
    task_type = p.get("tasktype") or growth.IMAGE
    if task_type not in (growth.IMAGE, growth.SECTION_IMAGE):
        raise ApiError("badvalue", f'Unrecognized value for parameter "tasktype": {task_type}.')
    title = page_title(call)
    p.require("filename")
    p.get("sectiontitle")
    p.get("sectionnumber")
    if call.wiki.store.page(title.prefixed) is None:
        raise ApiError("invalidtitle", f'Bad title "{p.get("title")}".')
    growth.invalidate(call.wiki, task_type, title.prefixed)
    call.wrote = True
    return {"growthinvalidateimagerecommendation": {"status": "ok"}}


@submodule(META, "communityconfiguration")
def meta_community_configuration(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    """Answered at the response root; the stored version is asserted even without the param."""
    provider = call.params.require("ccrprovider")
    if provider not in PROVIDERS:
        raise ApiError("badvalue", f'Unrecognized value for parameter "ccrprovider": {provider}.')
    version = call.wiki.config.growth_config_version
    asserted = call.params.get("ccrassertversion")
    if provider == "GrowthSuggestedEdits" and asserted != version:
        raise ApiError(
            "communityconfiguration-version-assertion-failure",
            "Failed to assert version of the configuration matches the expected "
            f"version ({version} received, {asserted or ''} expected)",
        )
    data = growth.community_config(call.wiki) if provider == "GrowthSuggestedEdits" else {}
    root["communityconfiguration"] = {"data": data, "version": version}


def _describe_growthtasks(call: Call) -> dict[str, Any]:
    """paraminfo of `query+growthtasks`: `tasktypes` lists the wiki's enabled task types."""
    return {
        "name": "growthtasks", "classname": "GrowthExperiments\\Api\\ApiQueryGrowthTasks",
        "path": "query+growthtasks", "group": "list", "prefix": "gt", "source": "GrowthExperiments",
        "internal": True, "generator": True,
        "parameters": [
            {"index": 1, "name": "tasktypes", "type": list(call.wiki.config.task_types),
             "multi": True, "limit": len(call.wiki.config.task_types)},
            {"index": 2, "name": "topics", "type": list(call.wiki.config.topics), "multi": True},
            {"index": 3, "name": "topicsmode", "type": ["OR", "AND"]},
            {"index": 4, "name": "limit", "type": "limit", "default": DEFAULT_LIMIT,
             "max": MAX_LIMIT, "highmax": MAX_LIMIT, "min": 1},
            {"index": 5, "name": "offset", "type": "integer", "min": 1},
            {"index": 6, "name": "debug", "type": "boolean", "default": False},
            {"index": 7, "name": "excludepageids", "type": "integer", "multi": True},
        ],
    }  # fmt: skip


PARAMINFO["query+growthtasks"] = _describe_growthtasks


@route("PUT", "/growthexperiments/v0/suggestions/addimage/feedback/{title}", json_body=True)
def addimage_feedback(call: RestCall) -> Any:
    """Path B (§3.3): image-recommendation only; the client made its edit before calling."""
    wiki = call.wiki
    raw_title = call.path["title"]
    title = parse_title(raw_title)
    if title is None or wiki.store.page(title.prefixed) is None:
        raise param_error("title", raw_title, "badvalue", f'The page "{raw_title}" does not exist.')
    values = validate(call.body, [
        Spec("filename", "string", required=True), Spec("accepted", "bool", required=True),
        Spec("editRevId", "int"), Spec("reasons", "multi", values=growth.REJECTION_REASONS),
        Spec("caption", "string"), Spec("sectionTitle", "string"),
        Spec("sectionNumber", "int"),
    ], wiki.now())  # fmt: skip
    call.check_token()
    account = call.account
    if account is None:
        raise localized("rest-permission-denied-anon", "You must be logged in.", 401)
    accepted, rev_id = values["accepted"], values["editRevId"]
    _check_feedback_revision(call, title.prefixed, accepted, rev_id, values["caption"])
    data = {
        "accepted": accepted,
        "reasons": values["reasons"],
        "caption": values["caption"],
        "filename": values["filename"],
        "sectionTitle": values["sectionTitle"],
        "sectionNumber": values["sectionNumber"],
    }
    try:
        growth.validate_submission(data, growth.IMAGE, wiki.config.minimum_caption_length)
    except growth.SubmissionError as error:
        raise localized(error.code, error.text, 400) from None
    log_id, warnings = growth.handle_submission(
        wiki, account, growth.IMAGE, title.prefixed, data, rev_id if accepted else None
    )
    call.wrote = True
    return json_response({"success": True, "logId": log_id, "warnings": warnings or []})


def _check_feedback_revision(
    call: RestCall, title: str, accepted: bool, rev_id: int | None, caption: str | None
) -> None:
    prefix = "growthexperiments-addimage-feedback-"
    if accepted and rev_id is None:
        raise localized(
            prefix + "accepted-editrevid",
            "The <var>editRevId</var> parameter is "
            "required when the <var>accepted</var> parameter is set to "
            "<kbd>true</kbd>.",
        )
    if not accepted and rev_id is not None:
        raise localized(
            prefix + "rejected-editrevid",
            "The <var>editRevId</var> parameter "
            "cannot be used when the <var>accepted</var> parameter is set to "
            "<kbd>false</kbd>.",
        )
    if accepted and caption is None:
        raise localized(
            prefix + "accepted-caption",
            "The <var>caption</var> parameter is "
            "required when the <var>accepted</var> parameter is set to "
            "<kbd>true</kbd>.",
        )
    if rev_id is None:
        return
    revision = call.wiki.store.revision(rev_id)
    if revision is None:
        raise localized(
            prefix + "revid-nonexistent",
            "The revision specified in <var>editRevId</var> was not found.",
        )
    page = call.wiki.store.page(title)
    if page is None or revision.page_id != page.id:
        raise localized(
            prefix + "invalid-revid-wrong-page",
            "The revision specified in <var>editRevId</var> belongs to a different page.",
        )
