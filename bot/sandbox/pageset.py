"""ApiPageSet for `titles`, `pageids` and `revids`, as MediaWiki 1.39 answers them.

What a batch existence check relies on (checked against a real 1.39): at most 50 values per
parameter (500 with `apihighlimits`), counted before duplicates are merged, else the error
`toomanyvalues`; each page once however often it is named; one `normalized` entry per spelling
that changed (a single leading colon is dropped: `:Foo` is `Foo`); invalid titles with their
`invalidreason`; special pages flagged `special` (and `missing` unless the wiki has them);
missing pages with negative ids in the order MediaWiki gives them (invalid and special first,
then missing, as asked), which formatversion 2 lists sorted by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.action_api import ApiError, Call
from bot.sandbox.eventfactory import title_reason
from bot.sandbox.web import int64
from bot.sandbox.wiki import parse_title

LOW_LIMIT, HIGH_LIMIT = 50, 500
FAKE_ID = "_fakeid"  # the negative id of a page that has none; dropped before output
REVID = "_revid"  # the revision a `revids` entry asked for; dropped before output
# Special pages the sandbox's wiki has (canonical names); any other is `missing` as well.
SPECIAL_PAGES = frozenset({
    "Special:Version", "Special:BlankPage", "Special:RecentChanges", "Special:Homepage",
    "Special:EventDetails", "Special:MyEvents", "Special:AllEvents",
    "Special:EnableEventRegistration", "Special:EditEventRegistration",
})  # fmt: skip


@dataclass
class PageSet:
    """The pages one request names, in MediaWiki's buckets (each an output page object)."""

    missing: list[dict[str, Any]] = field(default_factory=list)
    invalid: list[dict[str, Any]] = field(default_factory=list)
    special: list[dict[str, Any]] = field(default_factory=list)
    existing: list[dict[str, Any]] = field(default_factory=list)
    normalized: list[dict[str, Any]] = field(default_factory=list)
    badrevids: dict[str, Any] = field(default_factory=dict)
    _seen: set[Any] = field(default_factory=set)
    _next_fake: int = -1

    def fake_id(self) -> int:
        self._next_fake -= 1
        return self._next_fake + 1

    def once(self, key: Any) -> bool:
        """True the first time `key` is seen: MediaWiki lists each page once."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def pages(self) -> list[dict[str, Any]]:
        """Every page object, in formatversion 1's order."""
        return [*self.missing, *self.invalid, *self.special, *self.existing]


def limited_multi(call: Call, name: str) -> list[str]:
    """A page-set parameter's values; more than the caller's limit is `toomanyvalues`."""
    values = call.params.multi(name)
    account = call.account
    limit = HIGH_LIMIT if account is not None and "apihighlimits" in account.rights else LOW_LIMIT
    if len(values) > limit:
        raise ApiError(
            "toomanyvalues",
            f'Too many values supplied for parameter "{name}". The limit is {limit}.',
            {"limit": limit, "lowlimit": LOW_LIMIT, "highlimit": HIGH_LIMIT},
        )
    return values


def integers(values: list[str], name: str) -> list[int]:
    """A multi-value integer parameter; one bad value is `badinteger`, as IntegerDef says."""
    numbers = [int64(value) for value in values]
    bad = next((v for v, n in zip(values, numbers, strict=True) if n is None), None)
    if bad is not None:
        raise ApiError("badinteger", f'Invalid value "{bad}" for integer parameter "{name}".')
    return [n for n in numbers if n is not None]


def build(call: Call, titles: list[str], pageids: list[int], revids: list[int]) -> PageSet:
    """Sort the named pages into MediaWiki's buckets, giving fake ids as ApiPageSet does."""
    found = PageSet()
    store = call.wiki.store
    looked_up: list[tuple[str, int]] = []
    for raw in titles:
        text = raw[1:] if raw.startswith(":") else raw
        reason = title_reason(text)
        title = parse_title(text) if reason is None else None
        if title is None:
            if found.once(("invalid", raw)):
                found.invalid.append(
                    {FAKE_ID: found.fake_id(), "title": raw,
                     "invalidreason": reason or "The requested page title is empty or "
                     "contains only the name of a namespace.", "invalid": True}
                )  # fmt: skip
            continue
        if title.prefixed != raw and found.once(("normalized", raw)):
            found.normalized.append({"fromencoded": False, "from": raw, "to": title.prefixed})
        if not found.once(title.prefixed):
            continue
        if title.ns < 0:
            entry = {FAKE_ID: found.fake_id(), "ns": title.ns, "title": title.prefixed,
                     "special": True}  # fmt: skip
            if title.prefixed.partition("/")[0] not in SPECIAL_PAGES:
                entry["missing"] = True
            found.special.append(entry)
        else:
            looked_up.append((title.prefixed, title.ns))
    for prefixed, ns in looked_up:
        page = store.page(prefixed)
        if page is None:
            found.missing.append(
                {FAKE_ID: found.fake_id(), "ns": ns, "title": prefixed, "missing": True}
            )
        else:
            found.existing.append({"pageid": page.id, "ns": page.ns, "title": page.title})
    for page_id in pageids:
        stored = store.page_by_id(page_id)
        if not found.once(stored.title if stored else ("pageid", page_id)):
            continue
        if stored is None:
            found.missing.append({"pageid": page_id, "missing": True})
        else:
            found.existing.append({"pageid": stored.id, "ns": stored.ns, "title": stored.title})
    for rev_id in revids:
        rev = store.revision(rev_id)
        stored = store.page_by_id(rev.page_id) if rev else None
        if rev is None or stored is None:
            found.badrevids[str(rev_id)] = {"revid": rev_id, "missing": True}
        elif found.once(stored.title):
            found.existing.append(
                {"pageid": stored.id, "ns": stored.ns, "title": stored.title, REVID: rev.id}
            )
    found.existing.sort(key=lambda page: page["pageid"])
    return found


def output(pages: list[dict[str, Any]], formatversion: int) -> list[Any] | dict[str, Any]:
    """`query.pages`: a list sorted by (fake) id in formatversion 2, else keyed by it."""
    keyed = [(page.pop(FAKE_ID, None), page) for page in pages]
    for _, page in keyed:
        page.pop(REVID, None)
    ids = [fake if fake is not None else page.get("pageid", 0) for fake, page in keyed]
    if formatversion == 2:
        order = sorted(range(len(keyed)), key=lambda i: ids[i])
        return [keyed[i][1] for i in order]
    return {str(i): page for i, (_, page) in zip(ids, keyed, strict=True)}
