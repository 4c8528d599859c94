"""`action=query`: the page set, `meta=tokens|userinfo|siteinfo`, `prop=revisions|info`.
`list=logevents` lives in query_log; extensions add submodules to META, PROP, LIST, GENERATORS."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.sandbox import auth, pageset
from bot.sandbox.action_api import ApiError, Call, register
from bot.sandbox.store import Revision, mw_iso
from bot.sandbox.web import int64
from bot.sandbox.wiki import NAMESPACES

QueryModule = Callable[[Call, dict[str, Any], dict[str, Any]], None]
PropModule = Callable[[Call, list[dict[str, Any]], dict[str, Any]], None]
# A generator returns page objects (pageid, ns, title, extra keys) and writes its root data.
Generator = Callable[[Call, dict[str, Any]], list[dict[str, Any]]]

META: dict[str, QueryModule] = {}
LIST: dict[str, QueryModule] = {}
PROP: dict[str, PropModule] = {}
GENERATORS: dict[str, Generator] = {}
TOKEN_TYPES = (
    "createaccount",
    "csrf",
    "deleteglobalaccount",
    "login",
    "patrol",
    "rollback",
    "setglobalaccountstatus",
    "userrights",
    "watch",
)
GENERATOR = "MediaWiki 1.46.0-wmf.7"
REDIRECT = re.compile(r"\s*#redirect\s*:?\s*\[\[[^\]|]+", re.IGNORECASE)
BAD_CONTINUE = (  # core's `badcontinue` text, for every module's own continuation
    "Invalid continue param. You should pass the original value returned by the previous query."
)


def submodule(registry: dict[str, Any], name: str) -> Callable[[Any], Any]:
    """Decorator adding a query submodule (meta, prop, list or generator) under `name`."""

    def add(handler: Any) -> Any:
        registry[name] = handler
        return handler

    return add


def _unrecognized(call: Call, param: str, values: list[str]) -> None:
    if values:
        word = "value" if len(values) == 1 else "values"
        call.warn(
            "query" if param != "action" else "main",
            f'Unrecognized {word} for parameter "{param}": {", ".join(values)}.',
        )


@register("query")
def query(call: Call) -> dict[str, Any]:
    p = call.params
    out: dict[str, Any] = {}
    root: dict[str, Any] = {}
    pages = _page_set(call, out, root)
    for name, registry in (("meta", META), ("list", LIST)):
        chosen = p.multi(name)
        _unrecognized(call, name, [v for v in chosen if v not in registry])
        for value in chosen:
            if value in registry:
                registry[value](call, out, root)
    if pages is not None:
        props = p.multi("prop")
        _unrecognized(call, "prop", [v for v in props if v not in PROP])
        for value in props:
            if value in PROP:
                PROP[value](call, pages, root)
        out["pages"] = pageset.output(pages, call.formatversion)
    answer: dict[str, Any] = {} if root.pop("_incomplete", False) else {"batchcomplete": True}
    if "continue" in root:
        answer["continue"] = root.pop("continue")
    if out:
        answer["query"] = out
    answer.update(root)
    return answer


def set_continue(root: dict[str, Any], values: dict[str, Any]) -> None:
    """Ask for continuation: `"continue": {"<prefix>continue"…, "continue": "-||"}`."""
    root["continue"] = {**values, "continue": "-||"}


def _page_set(call: Call, out: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]] | None:
    p = call.params
    generator = p.get("generator")
    if generator is not None:
        if generator not in GENERATORS:
            raise ApiError(
                "badvalue", f'Unrecognized value for parameter "generator": {generator}.'
            )
        return GENERATORS[generator](call, root)
    titles = pageset.limited_multi(call, "titles")
    pageids = pageset.integers(pageset.limited_multi(call, "pageids"), "pageids")
    revids = pageset.integers(pageset.limited_multi(call, "revids"), "revids")
    if not (titles or pageids or revids):
        return None
    found = pageset.build(call, titles, pageids, revids)
    if found.normalized:
        out["normalized"] = found.normalized
    if found.badrevids:
        out["badrevids"] = found.badrevids
    return found.pages()


@submodule(META, "tokens")
def meta_tokens(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    wanted = call.params.multi("type") or ["csrf"]
    _unrecognized(call, "type", [t for t in wanted if t not in TOKEN_TYPES])
    tokens = {}
    for kind in wanted:
        if kind == "login":
            session = auth.with_login_token(call.wiki, call.session, call.headers)
            tokens["logintoken"] = session.login_token
        elif kind in TOKEN_TYPES:
            tokens[f"{kind}token"] = call.session.csrf
    out["tokens"] = tokens


@submodule(META, "userinfo")
def meta_userinfo(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    account, wiki = call.account, call.wiki
    props = set(call.params.multi("uiprop"))
    if account is None:
        info: dict[str, Any] = {"id": 0, "name": "127.0.0.1", "anon": True}
        if "groups" in props:
            info["groups"] = ["*"]
        if "rights" in props:
            info["rights"] = list(wiki.config.group_rights.get("*", ()))
        if "ratelimits" in props:
            info["ratelimits"] = {}
        out["userinfo"] = info
        return
    info = {"id": account.user_id, "name": account.name}
    if "groups" in props:
        info["groups"] = account.implicit_groups()
    if "groupmemberships" in props:
        info["groupmemberships"] = [{"group": g, "expiry": "infinity"} for g in account.groups]
    if "implicitgroups" in props:
        info["implicitgroups"] = [g for g in account.implicit_groups() if g not in account.groups]
    if "rights" in props:
        info["rights"] = sorted(account.rights)
    if "options" in props:
        info["options"] = wiki.user_options(account)
    if "editcount" in props:
        info["editcount"] = 0
    if "ratelimits" in props:
        limits = (
            {}
            if "noratelimit" in account.rights
            else {
                action: {"user": {"hits": hits, "seconds": seconds}}
                for action, (hits, seconds) in account.rate_limits.items()
            }
        )
        info["ratelimits"] = limits
    if "registrationdate" in props:
        info["registrationdate"] = "2026-01-01T00:00:00Z"
    if "centralids" in props:
        info["centralids"] = {"local": account.user_id}
        info["attachedlocal"] = {"local": True}
    out["userinfo"] = info


def _general(call: Call) -> dict[str, Any]:
    wiki = call.wiki
    return {
        "mainpage": "Main Page", "base": f"{wiki.server}/wiki/Main_Page",
        "sitename": wiki.config.sitename, "mainpageisdomainroot": False,
        "generator": GENERATOR, "phpversion": "8.2.0", "phpsapi": "cli-server",
        "dbtype": "sqlite", "dbversion": "3", "case": "first-letter",
        "lang": wiki.config.content_language, "fallback": [], "rtl": False,
        "fallback8bitEncoding": "windows-1252", "readonly": False, "writeapi": True,
        "maxarticlesize": 2097152, "timezone": wiki.config.timezone,
        "timeoffset": wiki.site_offset_minutes(), "articlepath": "/wiki/$1",
        "scriptpath": "/w", "script": "/w/index.php", "variantarticlepath": False,
        "server": wiki.server, "servername": "127.0.0.1", "wikiid": wiki.config.wiki_id,
        "time": mw_iso(wiki.now()), "misermode": False, "uploadsenabled": False,
        "maxuploadsize": 104857600, "minuploadchunksize": 1024,
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "linktrail": "/^([a-z]+)(.*)$/sD", "categorycollation": "uppercase",
        "nofollowlinks": True, "externallinktarget": False, "interwikimagic": True,
        "magiclinks": {"ISBN": False, "PMID": False, "RFC": False},
        "thumblimits": {str(i): w for i, w in enumerate((120, 150, 180, 200, 220, 250, 300, 400))},
        "imagelimits": {str(i): {"width": w, "height": h} for i, (w, h) in enumerate(
            ((320, 240), (640, 480), (800, 600), (1024, 768), (1280, 1024), (2560, 2048)))},
    }  # fmt: skip


def _namespaces(call: Call) -> dict[str, Any]:
    result = {}
    for ns, name in NAMESPACES.items():
        entry: dict[str, Any] = {"id": ns, "case": "first-letter"}
        entry["name" if call.formatversion == 2 else "*"] = name
        entry["subpages"] = ns not in (0, 6, 14, -1, -2)
        if name:
            entry["canonical"] = name
        entry["content"] = ns == 0
        entry["nonincludable"] = False
        result[str(ns)] = entry
    return result


@submodule(META, "siteinfo")
def meta_siteinfo(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    parts = {
        "general": _general,
        "namespaces": _namespaces,
        "namespacealiases": lambda c: [{"id": 6, "alias": "Image"}],
        "statistics": lambda c: {
            "pages": 0,
            "articles": 0,
            "edits": 0,
            "images": 0,
            "users": len(c.wiki.config.accounts),
            "activeusers": 0,
            "admins": 1,
            "jobs": 0,
        },
        "extensions": lambda c: [
            {"type": "other", "name": n}
            for n in (
                "CampaignEvents",
                "GrowthExperiments",
                "VisualEditor",
                "CommunityConfiguration",
            )
        ],
    }
    wanted = call.params.multi("siprop") or ["general"]
    _unrecognized(call, "siprop", [w for w in wanted if w not in parts])
    for name in wanted:
        if name in parts:
            out[name] = parts[name](call)


@submodule(PROP, "info")
def prop_info(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> None:
    """Page info; `redirect` for a `#REDIRECT [[…]]` page, `new` while it has one revision."""
    call.params.multi("inprop")
    for page in pages:
        if "invalid" in page:
            continue
        page.update(
            contentmodel="wikitext",
            pagelanguage="en",
            pagelanguagehtmlcode="en",
            pagelanguagedir="ltr",
        )
        if "missing" in page:
            continue
        stored = call.wiki.store.existing_page(page["pageid"])
        latest = call.wiki.store.existing_revision(stored.latest)
        page.update(
            touched=latest.timestamp,
            lastrevid=latest.id,
            length=len(latest.content.encode("utf-8")),
        )
        if REDIRECT.match(latest.content):
            page["redirect"] = True
        if latest.parent_id == 0:
            page["new"] = True


SINGLE_PAGE = (
    '"titles", "pageids" or a generator was used to supply multiple pages, but the "rvlimit", '
    '"rvstartid", "rvendid", "rvdir=newer", "rvuser", "rvexcludeuser", "rvstart", and "rvend" '
    "parameters may only be used on a single page."
)


def _revision_list(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> bool:
    """Enum mode (`rvlimit` or `rvdir=newer`): several revisions of one page, oldest first with
    `rvdir=newer` (the first is the page's author), continued by `rvcontinue`. False when the
    request is not in enum mode. The other enum parameters (`rvuser`, `rvstart`, …) are not
    modelled, so they stay unread and get MediaWiki's "Unrecognized parameter" warning."""
    p = call.params
    newer = p.get("rvdir") == "newer"
    if not (newer or p.has("rvlimit")):
        return False
    existing = [page for page in pages if "pageid" in page and "missing" not in page]
    if len(existing) > 1:
        raise ApiError("invalidparammix", SINGLE_PAGE)
    limit = p.limit("rvlimit", 10, 500)
    resume = p.get("rvcontinue")
    from_id = int64(resume.rpartition("|")[2]) if resume else None
    if resume and from_id is None:
        raise ApiError("badcontinue", BAD_CONTINUE)
    for page in existing:
        revisions = call.wiki.store.page_revisions(
            page["pageid"], newest_first=not newer, from_id=from_id, limit=limit + 1
        )
        page["_revisions"] = revisions[:limit]
        if len(revisions) > limit:
            stamp = "".join(ch for ch in revisions[limit].timestamp if ch.isdigit())
            root["continue"] = {"rvcontinue": f"{stamp}|{revisions[limit].id}", "continue": "||"}
            root["_incomplete"] = True
    return True


def _revision_entry(call: Call, rev: Revision, props: list[str], slots: list[str]) -> dict:
    entry: dict[str, Any] = {}
    if "ids" in props:
        entry.update(revid=rev.id, parentid=rev.parent_id)
    if "flags" in props:
        entry["minor"] = False
    if "user" in props:
        entry["user"] = rev.user_name
    if "userid" in props:
        entry["userid"] = rev.user_id
    if "timestamp" in props:
        entry["timestamp"] = rev.timestamp
    if "size" in props:
        entry["size"] = len(rev.content.encode("utf-8"))
    if "comment" in props:
        entry["comment"] = rev.comment
    if "content" in props:
        content = {
            "contentmodel": "wikitext",
            "contentformat": "text/x-wiki",
            "content" if call.formatversion == 2 else "*": rev.content,
        }
        if slots:
            entry["slots"] = {"main": content}
        else:
            entry.update(content)
            call.warn(
                "main",
                'Because "rvslots" was not specified, a legacy format has '
                "been used for the output. This format is deprecated, and in "
                "the future the new format will always be used.",
            )
    return entry


@submodule(PROP, "revisions")
def prop_revisions(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> None:
    """The latest revision of each page (or the `revids` asked for), or enum mode's list."""
    p = call.params
    props = p.multi("rvprop") or ["ids", "timestamp", "flags", "comment", "user"]
    slots = p.multi("rvslots")
    p.get("rvcontentformat")
    listing = _revision_list(call, pages, root)
    for page in pages:
        if "pageid" not in page or "missing" in page:
            continue
        if listing:
            revisions = page.pop("_revisions")
        else:
            stored = call.wiki.store.existing_page(page["pageid"])
            revisions = [call.wiki.store.existing_revision(page.get("_revid", stored.latest))]
        page["revisions"] = [_revision_entry(call, rev, props, slots) for rev in revisions]
