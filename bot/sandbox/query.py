"""`action=query`: the page set, `meta=tokens|userinfo|siteinfo`, `prop=revisions|info`.
`list=logevents` lives in query_log; extensions add submodules to META, PROP, LIST, GENERATORS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox import auth
from bot.sandbox.action_api import ApiError, Call, register
from bot.sandbox.store import mw_iso
from bot.sandbox.web import int64
from bot.sandbox.wiki import NAMESPACES, parse_title

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
        for page in pages:
            page.pop("_revid", None)
        out["pages"] = (
            pages
            if call.formatversion == 2
            else {str(page.get("pageid", -index - 1)): page for index, page in enumerate(pages)}
        )
    answer: dict[str, Any] = {"batchcomplete": True}
    if "continue" in root:
        answer["continue"] = root.pop("continue")
    if out:
        answer["query"] = out
    answer.update(root)
    return answer


def set_continue(root: dict[str, Any], values: dict[str, Any]) -> None:
    """Ask for continuation: `"continue": {"<prefix>continue"…, "continue": "-||"}`."""
    root["continue"] = {**values, "continue": "-||"}


def page_object(call: Call, title_text: str) -> dict[str, Any]:
    """A page-set entry: pageid, ns, title, or `missing`/`invalid` as ApiPageSet writes them."""
    title = parse_title(title_text)
    if title is None:
        return {
            "title": title_text,
            "invalidreason": f"The requested page title contains "
            f'invalid characters: "{title_text}".',
            "invalid": True,
        }
    page = call.wiki.store.page(title.prefixed)
    if page is None:
        return {"ns": title.ns, "title": title.prefixed, "missing": True}
    return {"pageid": page.id, "ns": page.ns, "title": page.title}


def _page_set(call: Call, out: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]] | None:
    p = call.params
    generator = p.get("generator")
    if generator is not None:
        if generator not in GENERATORS:
            raise ApiError(
                "badvalue", f'Unrecognized value for parameter "generator": {generator}.'
            )
        return GENERATORS[generator](call, root)
    titles, pageids, revids = p.multi("titles"), p.multi("pageids"), p.multi("revids")
    if not (titles or pageids or revids):
        return None
    pages: list[dict[str, Any]] = []
    normalized = []
    for raw in titles:
        entry = page_object(call, raw)
        if entry.get("title") != raw and "invalid" not in entry:
            normalized.append({"fromencoded": False, "from": raw, "to": entry["title"]})
        pages.append(entry)
    for page_id in integers(pageids, "pageids"):
        page = call.wiki.store.page_by_id(page_id)
        pages.append(
            {"pageid": page.id, "ns": page.ns, "title": page.title}
            if page
            else {"pageid": page_id, "missing": True}
        )
    for rev_id in integers(revids, "revids"):
        rev = call.wiki.store.revision(rev_id)
        page = call.wiki.store.page_by_id(rev.page_id) if rev else None
        if rev is None or page is None:
            out.setdefault("badrevids", {})[str(rev_id)] = {"revid": rev_id, "missing": True}
            continue
        pages.append({"pageid": page.id, "ns": page.ns, "title": page.title, "_revid": rev.id})
    if normalized:
        out["normalized"] = normalized
    return pages


def integers(values: list[str], name: str) -> list[int]:
    """A multi-value integer parameter; one bad value is `badinteger`, as IntegerDef says."""
    numbers = [int64(value) for value in values]
    bad = next((v for v, n in zip(values, numbers, strict=True) if n is None), None)
    if bad is not None:
        raise ApiError("badinteger", f'Invalid value "{bad}" for integer parameter "{name}".')
    return [n for n in numbers if n is not None]


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


@submodule(PROP, "revisions")
def prop_revisions(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> None:
    p = call.params
    props = p.multi("rvprop") or ["ids", "timestamp", "flags", "comment", "user"]
    slots = p.multi("rvslots")
    for name in ("rvlimit", "rvdir", "rvcontentformat"):
        p.get(name)
    for page in pages:
        if "pageid" not in page or "missing" in page:
            continue
        stored = call.wiki.store.existing_page(page["pageid"])
        rev = call.wiki.store.existing_revision(page.pop("_revid", stored.latest))
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
        page["revisions"] = [entry]
