"""`prop=templates` and `generator=templates` (core's templatelinks), read from each page's
latest wikitext: what it transcludes by `{{Name}}` or `{{Name|…}}`, in the Template namespace
unless the name has one (`{{:Main}}` is the main one). Parser functions (`{{#if:`), prefixes
that are not namespaces (`subst:`, `DEFAULTSORT:`), all-capitals variables (`{{PAGENAME}}`)
and `{{{parameters}}}` are skipped. pywikibot asks it of a page before saving it (its
{{bots}}/{{nobots}} check), so its `Page.save()` runs on the sandbox."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox import pageset
from bot.sandbox.action_api import ApiError, Call
from bot.sandbox.query import BAD_CONTINUE, GENERATORS, PROP, set_continue, submodule
from bot.sandbox.wiki import Title, parse_title

TRANSCLUSION = re.compile(r"(?<!\{)\{\{(?!\{)\s*([^{}|#<>\[\]\n]+?)\s*(?:\||\}\})")


def _target(name: str) -> Title | None:
    if name.startswith(":"):
        return parse_title(name[1:])
    if ":" in name:
        title = parse_title(name)
        return title if title is not None and title.ns != 0 else None
    return None if name.isupper() else parse_title(f"Template:{name}")


def transcluded(text: str) -> list[Title]:
    """The pages `text` transcludes, by namespace and title, each once."""
    found = {title for m in TRANSCLUSION.finditer(text) if (title := _target(m.group(1)))}
    return sorted(found, key=lambda title: (title.ns, title.text))


def _links(
    call: Call, prefix: str, pages: list[dict[str, Any]], root: dict[str, Any]
) -> list[tuple[dict[str, Any], Title]]:
    """(page, template) pairs of the existing `pages` by page id, `<prefix>namespace` filtered,
    at most `<prefix>limit`, continued by `<prefix>continue` (`pageid|ns|dbkey`) as core does."""
    p = call.params
    namespaces = {int(ns) for ns in p.multi(f"{prefix}namespace") if ns.lstrip("-").isdigit()}
    limit, resume = p.limit(f"{prefix}limit", 10, 500), p.get(f"{prefix}continue")
    after = None
    if resume:
        page_id, _, rest = resume.partition("|")
        ns, _, dbkey = rest.partition("|")
        if not (page_id.isdigit() and ns.lstrip("-").isdigit()):
            raise ApiError("badcontinue", BAD_CONTINUE)
        after = (int(page_id), int(ns), dbkey.replace("_", " "))
    links: list[tuple[dict[str, Any], Title]] = []
    existing = [page for page in pages if "pageid" in page and "missing" not in page]
    for page in sorted(existing, key=lambda page: page["pageid"]):
        stored = call.wiki.store.existing_page(page["pageid"])
        for title in transcluded(call.wiki.store.existing_revision(stored.latest).content):
            key = (page["pageid"], title.ns, title.text)
            if (namespaces and title.ns not in namespaces) or (after and key <= after):
                continue
            if len(links) == limit:
                dbkey = title.text.replace(" ", "_")
                set_continue(root, {f"{prefix}continue": f"{key[0]}|{title.ns}|{dbkey}"})
                root["_incomplete"] = True
                return links
            links.append((page, title))
    return links


@submodule(PROP, "templates")
def prop_templates(call: Call, pages: list[dict[str, Any]], root: dict[str, Any]) -> None:
    for page, title in _links(call, "tl", pages, root):
        page.setdefault("templates", []).append({"ns": title.ns, "title": title.prefixed})


@submodule(GENERATORS, "templates")
def generator_templates(call: Call, root: dict[str, Any]) -> list[dict[str, Any]]:
    """The templates of the pages named by `titles`, `pageids` or `revids`, as pages."""
    named = pageset.build(
        call,
        pageset.limited_multi(call, "titles"),
        pageset.integers(pageset.limited_multi(call, "pageids"), "pageids"),
        pageset.integers(pageset.limited_multi(call, "revids"), "revids"),
    ).pages()
    titles = [title.prefixed for _, title in _links(call, "gtl", named, root)]
    return pageset.build(call, list(dict.fromkeys(titles)), [], []).pages()
