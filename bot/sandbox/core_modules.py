"""Core Action API modules: `edit` (and the save path REST and VisualEditor share), `login`,
`logout`, `options`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox import auth
from bot.sandbox.action_api import ApiError, Call, page_title, register
from bot.sandbox.store import mw_iso
from bot.sandbox.wiki import Title

RATELIMITED = (
    "As an anti-abuse measure, you are limited from performing this action too many "
    "times in a short space of time, and you have exceeded this limit. Please try "
    "again in a few minutes."
)


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: None revision means a null edit."""

    page_id: int
    title: str
    old_rev: int
    new_rev: int | None
    timestamp: str | None


def save_page(
    call: Call,
    title: Title,
    text: str,
    summary: str,
    *,
    basetimestamp: str | None = None,
    createonly: bool = False,
    nocreate: bool = False,
) -> Saved:
    """EditPage's path: create/nocreate, rate limit, conflict, null edit, then a revision."""
    wiki, account = call.wiki, call.account
    page = wiki.store.page(title.prefixed)
    if nocreate and page is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    if createonly and page is not None:
        raise ApiError("articleexists", "The article you tried to create has been created already.")
    if not wiki.rate_limiter.allow(account, "edit"):
        raise ApiError("ratelimited", RATELIMITED)
    user_id, user_name = (account.user_id, account.name) if account else (0, "127.0.0.1")
    if page is not None:
        if basetimestamp:
            later = wiki.store.revisions_after_base(page.id, basetimestamp)
            if any(r.user_id != user_id or user_id == 0 for r in later):
                raise ApiError("editconflict", "Edit conflict.")
        latest = wiki.store.revision(page.latest)
        if latest is not None and latest.content == text:
            return Saved(page.id, title.prefixed, page.latest, None, None)
    stamp = mw_iso(wiki.now())
    saved_page, rev = wiki.store.save_revision(
        title=title.prefixed,
        ns=title.ns,
        user_id=user_id,
        user_name=user_name,
        timestamp=stamp,
        comment=summary,
        content=text,
    )
    call.wrote = True
    return Saved(saved_page.id, title.prefixed, rev.parent_id, rev.id, stamp)


@register("edit", needs_token=True)
def edit(call: Call) -> dict[str, Any]:
    """`action=edit`: text, appendtext or prependtext; createonly, nocreate, basetimestamp."""
    p = call.params
    title = page_title(call)
    text, append, prepend = p.get("text"), p.get("appendtext"), p.get("prependtext")
    if text is None and append is None and prepend is None:
        raise ApiError(
            "missingparam",
            'One of the parameters "text", "appendtext", "prependtext" and "undo" is required.',
        )
    for name in (
        "minor",
        "notminor",
        "bot",
        "watchlist",
        "tags",
        "starttimestamp",
        "md5",
        "contentmodel",
        "contentformat",
        "recreate",
        "section",
        "sectiontitle",
    ):
        p.get(name)
    if text is None:
        page = call.wiki.store.page(title.prefixed)
        current = call.wiki.store.existing_revision(page.latest).content if page else ""
        text = (prepend or "") + current + (append or "")
    saved = save_page(
        call,
        title,
        text,
        p.get("summary") or "",
        basetimestamp=p.get("basetimestamp"),
        createonly=p.flag("createonly"),
        nocreate=p.flag("nocreate"),
    )
    result: dict[str, Any] = {
        "result": "Success",
        "pageid": saved.page_id,
        "title": saved.title,
        "contentmodel": "wikitext",
    }
    if saved.new_rev is None:
        result["nochange"] = True
    else:
        if saved.old_rev == 0:
            result["new"] = True
        result.update(oldrevid=saved.old_rev, newrevid=saved.new_rev, newtimestamp=saved.timestamp)
    result["watched"] = False
    return {"edit": result}


@register("delete", needs_token=True)
def delete(call: Call) -> dict[str, Any]:
    """`action=delete`: needs the `delete` right; the page and its history go."""
    title = page_title(call)
    reason = call.params.get("reason") or ""
    for name in ("watchlist", "tags", "oldimage", "deletetalk"):
        call.params.get(name)
    if call.account is None or "delete" not in call.account.rights:
        raise ApiError(
            "permissiondenied",
            "The action you have requested is limited to users in the group: Administrators.",
        )
    page = call.wiki.store.page(title.prefixed)
    if page is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    call.wiki.store.delete_page(page.id)
    call.wrote = True
    return {"delete": {"title": title.prefixed, "reason": reason, "logid": page.id}}


@register("login", must_post=True)
def login(call: Call) -> dict[str, Any]:
    p = call.params
    p.get("lgdomain")
    outcome = auth.login(
        call.wiki,
        call.session,
        p.get("lgname") or "",
        p.get("lgpassword") or "",
        p.get("lgtoken"),
        call.headers,
    )
    return {"login": outcome}


@register("logout", needs_token=True)
def logout(call: Call) -> dict[str, Any]:
    auth.logout(call.wiki, call.session, call.headers)
    return {}


@register("options", needs_token=True)
def options(call: Call) -> dict[str, Any]:
    """`action=options`: `change=a=1|b=2`, `optionname`/`optionvalue`, `reset`."""
    account = call.account
    if account is None:
        raise ApiError("notloggedin", "Anonymous users cannot change preferences.")
    p = call.params
    changes: dict[str, str | None] = {}
    if p.flag("reset"):
        changes.update({name: None for name in call.wiki.store.options(account.user_id)})
    for pair in p.multi("change"):
        name, _, value = pair.partition("=")
        changes[name] = value if value != "" else None
    option = p.get("optionname")
    if option is not None:
        changes[option] = p.get("optionvalue")
    p.get("resetkinds")
    if not changes:
        raise ApiError("nochanges", "No changes were requested.")
    known = call.wiki.user_options(account)
    for option in list(changes):
        if option not in known and not option.startswith(("userjs-", "growthexperiments-")):
            call.warn("options", f'Validation error for "{option}": not a valid preference.')
            del changes[option]
    call.wiki.store.set_options(account.user_id, changes)
    call.wrote = True
    return {"options": "success"}


# Module descriptions for `action=paraminfo`, keyed by module path (e.g. `query+growthtasks`);
# extensions add theirs. Clients use them to detect capabilities (growthexperiments §5.3).
PARAMINFO: dict[str, Callable[[Call], dict[str, Any]]] = {}


@register("paraminfo")
def paraminfo(call: Call) -> dict[str, Any]:
    """`action=paraminfo&modules=…`: the modules the sandbox describes; others are missing."""
    described, unknown = [], []
    for path in call.params.multi("modules"):
        if path in PARAMINFO:
            described.append(PARAMINFO[path](call))
        else:
            unknown.append(path)
    for name in ("helpformat", "formatmodules", "querymodules", "mainmodule", "pagesetmodule"):
        call.params.get(name)
    if unknown:
        word = "value" if len(unknown) == 1 else "values"
        call.warn(
            "paraminfo", f'Unrecognized {word} for parameter "modules": {", ".join(unknown)}.'
        )
    return {"paraminfo": {"modules": described}}
