"""What the page shows of the article: the first paragraph of its lead (or of a section), as
plain text read from the wikitext the task was opened on.

The wikitext is already there (the answer is based on that revision), so this costs no request
and works alike on Wikimedia wikis, a plain MediaWiki 1.39 without TextExtracts, and the sandbox.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Tag, Wikilink
from mwparserfromhell.wikicode import Wikicode

from bot.growth.placement import FILE_NAMESPACES

MAX_CHARACTERS = 700
# Tags whose content is not running text: footnotes, galleries, formulas, code.
_HIDDEN_TAGS = frozenset({"ref", "references", "gallery", "math", "syntaxhighlight", "score"})
_BLANK_LINE = re.compile(r"\n\s*\n")
_LINK_PREFIXES = frozenset(n.casefold() for n in (*FILE_NAMESPACES, "Category"))


def _readable(code: Wikicode) -> str:
    """The wikitext as a reader sees it: templates, footnotes, files and categories dropped."""
    for node in code.filter(recursive=False):
        if isinstance(node, Tag) and str(node.tag).strip().lower() in _HIDDEN_TAGS:
            code.remove(node)
        elif isinstance(node, Wikilink):
            prefix = str(node.title).strip().partition(":")[0].strip().casefold()
            if prefix in _LINK_PREFIXES and ":" in str(node.title):
                code.remove(node)
    return code.strip_code(normalize=True, collapse=True)


def first_paragraph(wikitext: str, limit: int = MAX_CHARACTERS) -> str:
    """The first paragraph of running text in `wikitext`, on one line, cut at `limit`."""
    for paragraph in _BLANK_LINE.split(_readable(mwparserfromhell.parse(wikitext))):
        text = " ".join(paragraph.split())
        if text:
            return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
    return ""


def lead(wikitext: str) -> str:
    """The article's lead (the text before its first heading), first paragraph only."""
    code = mwparserfromhell.parse(wikitext)
    headings = code.filter_headings(recursive=False)
    cut = code.index(headings[0]) if headings else len(code.nodes)
    return first_paragraph("".join(str(node) for node in code.nodes[:cut]))


def section_text(wikitext: str, number: int) -> str:
    """The first paragraph of level-2 section `number` (1-based, as the suggestion counts),
    up to its first subheading."""
    code = mwparserfromhell.parse(wikitext)
    count, start = 0, None
    for index, node in enumerate(code.nodes):
        if not isinstance(node, Heading):
            continue
        if start is not None:
            return first_paragraph("".join(str(n) for n in code.nodes[start:index]))
        if node.level == 2:
            count += 1
            if count == number:
                start = index + 1
    return "" if start is None else first_paragraph("".join(str(n) for n in code.nodes[start:]))


def plain_heading(wikitext: str) -> str:
    """A section heading's wikitext (`''History''`) as it reads (`History`)."""
    return " ".join(mwparserfromhell.parse(wikitext).strip_code().split())
