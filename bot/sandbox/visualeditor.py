"""`action=visualeditoredit&paction=save` with wikitext (notes/visualeditor-save.md), plus the
GrowthExperiments pre-save validation and post-save handler (contract growthexperiments §3.2)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from bot.sandbox import growth
from bot.sandbox.action_api import ApiError, Call, page_title, register
from bot.sandbox.core_modules import save_page
from bot.sandbox.timecorrection import display_zone
from bot.sandbox.wiki import SandboxWiki

PACTIONS = (
    "save",
    "serialize",
    "serializeforcache",
    "diff",
    "parse",
    "metadata",
    "templatesused",
    "wikitext",
)
_TAGS = re.compile(r"<[^>]+>")
PLUGIN_PREFIX = "ge-task-"


def _plugin_data(call: Call) -> tuple[str, dict[str, Any]] | None:
    """The GE task type and its data, when `plugins` names an enabled image task type."""
    for plugin in call.params.multi("plugins"):
        task_type = plugin.removeprefix(PLUGIN_PREFIX)
        if not plugin.startswith(PLUGIN_PREFIX) or task_type not in (
            growth.IMAGE,
            growth.SECTION_IMAGE,
        ):
            continue
        raw = call.params.get(f"data-{plugin}")
        if raw is None or task_type not in call.wiki.config.task_types:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        return task_type, data if isinstance(data, dict) else {}
    return None


def _last_modified(wiki: SandboxWiki, call: Call, timestamp: str) -> dict[str, str]:
    """`lastModified` in the user's own zone, as VE renders it."""
    options = wiki.user_options(call.account) if call.account else {}
    zone = display_zone(options.get("timecorrection"), wiki.config.timezone)
    moment = (
        datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
        .replace(tzinfo=timezone.utc)
        .astimezone(zone)
    )
    date, time = f"{moment.day} {moment:%B %Y}", f"{moment:%H:%M}"
    return {
        "date": date,
        "time": time,
        "message": f"This page was last edited on {date}, at {time}.",
    }


@register("visualeditoredit", needs_token=True)
def visualeditor_edit(call: Call) -> dict[str, Any]:
    p = call.params
    paction = p.require("paction")
    if paction not in PACTIONS:
        raise ApiError("badvalue", f'Unrecognized value for parameter "paction": {paction}.')
    title = page_title(call, "page")
    wikitext, html = p.get("wikitext"), p.get("html")
    if wikitext is None and html is None:
        raise ApiError("missingparam", 'The parameter "html" is required.')
    if paction != "save":
        raise ApiError("badvalue", f'The sandbox only supports paction=save, not "{paction}".')
    for name in (
        "oldid",
        "starttimestamp",
        "etag",
        "cachekey",
        "minor",
        "watchlist",
        "tags",
        "captchaid",
        "captchaword",
        "section",
        "sectiontitle",
    ):
        p.get(name)
    plugin = _plugin_data(call)
    if plugin is not None:
        if call.account is None:
            raise ApiError("hookaborted", "User is no longer logged in.")
        try:
            growth.validate_submission(
                plugin[1], plugin[0], call.wiki.config.minimum_caption_length
            )
        except growth.SubmissionError as error:
            raise ApiError("hookaborted", error.text) from None
    text = wikitext if wikitext is not None else _TAGS.sub("", html or "").strip()
    saved = save_page(
        call,
        title,
        text,
        p.get("summary") or "",
        basetimestamp=p.get("basetimestamp"),
        nocreate=p.flag("nocreate"),
    )
    result: dict[str, Any] = {"result": "success"}
    if p.flag("nocontent"):
        result["nocontent"] = True
    else:
        result.update(
            content=f'<div class="mw-parser-output"><p>{text}\n</p></div>',
            categorieshtml='<div id="catlinks" class="catlinks catlinks-allhidden" '
            'data-mw="interface"></div>',
            sections=[],
            displayTitleHtml=f'<span class="mw-page-title-main">{title.prefixed}</span>',
            contentSub="",
            modules=[],
            jsconfigvars=[],
        )
    result["isRedirect"] = "1" if text.lstrip().upper().startswith("#REDIRECT") else ""
    if saved.new_rev is not None and saved.timestamp is not None:
        result["lastModified"] = _last_modified(call.wiki, call, saved.timestamp)
        result["newrevid"] = saved.new_rev
    result.update(watched=False, watchlistexpiry=None)
    if plugin is not None:
        log_id, warnings = growth.handle_submission(
            call.wiki, call.account, plugin[0], title.prefixed, plugin[1], saved.new_rev
        )
        call.wrote = True
        result.update(gelogid=log_id, gewarnings=[warnings or []])
    return {"visualeditoredit": result}
