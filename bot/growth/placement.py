"""Where an accepted image goes in the article's wikitext, as the web editor places it
(GrowthExperiments' AddImageArticleTarget/AddSectionImageArticleTarget), with mwparserfromhell.

Whole-article images go before the first content, after the leading templates (short
description, hatnotes, maintenance templates, infoboxes, as the editor skips every
transclusion), comments, magic words and categories; a template on the same line as the first
text belongs to that paragraph, so the image goes before that line. Section images go at the
start of the section, after its own hatnotes (`{{Main}}`, `{{See also}}`). The image is a block
`[[File:<name>|thumb|<caption>]]` on its own line, as the editor serializes it. A task is no
longer valid, as in the editor, when the article (or for a section: the section) already has an
image, the file is already used, or the section cannot be found under its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Heading, Node, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from bot.growth.errors import InvalidAnswer, PlacementError

FILE_NAMESPACES = ("File", "Image")
_NON_CONTENT_LINKS = ("category",)
# Caption texts MediaWiki would read as an image option instead of a caption (English names).
_OPTION_WORDS = frozenset({
    "thumb", "thumbnail", "frame", "framed", "frameless", "border", "left", "right", "center",
    "centre", "none", "baseline", "sub", "super", "top", "text-top", "middle", "bottom",
    "text-bottom", "upright",
})  # fmt: skip
_OPTION_PREFIXES = ("alt=", "link=", "page=", "upright=", "lang=", "class=", "thumb=",
                    "thumbnail=", "manualthumb=", "frame=")  # fmt: skip
_SIZE = re.compile(r"^(\d+)?(x\d+)?px$")


@dataclass(frozen=True)
class ImageLink:
    """The block image the editor writes; `alt` is added only when given."""

    filename: str
    caption: str
    alt: str | None = None

    def wikitext(self) -> str:
        alt = f"alt={self.alt.strip()}|" if self.alt else ""
        return f"[[File:{self.filename}|thumb|{alt}{self.caption.strip()}]]"


def caption_problem(text: str, what: str = "caption") -> str | None:
    """Why `text` would not survive as an image caption (or alt text) in wikitext, if it would not.

    The wiki would take it anyway and show something else: a `|` outside links or templates
    starts another image option, `]]` ends the image, an option word is not a caption at all.
    """
    stripped = text.strip()
    if "\n" in stripped or "\r" in stripped:
        return f"the {what} must be one line"
    lowered = stripped.casefold()
    if lowered in _OPTION_WORDS or lowered.startswith(_OPTION_PREFIXES) or _SIZE.match(lowered):
        return f"the {what} {stripped!r} is an image option word, not text the wiki would show"
    link = mwparserfromhell.parse(f"[[File:X.jpg|thumb|{stripped}]]")
    if len(link.nodes) != 1 or not isinstance(link.nodes[0], Wikilink):
        return f"the {what} must not contain ']]' or unbalanced '[['"
    for node in mwparserfromhell.parse(stripped).nodes:
        if isinstance(node, Text) and "|" in node.value:
            return f"the {what} must not contain '|' outside a link or template"
    return None


def check_caption(caption: str, alt: str | None = None) -> None:
    """Raise `InvalidAnswer` when the caption or alt text would not come out as written."""
    for field, value in (("caption", caption), ("alt", alt)):
        problem = caption_problem(value, field) if value is not None else None
        if problem:
            raise InvalidAnswer(f"Cannot use this {field}: {problem}.", field=field)


def _norm(value: str) -> str:
    return " ".join(value.replace("_", " ").split()).casefold()


def _is_file_link(node: Node, namespaces: Iterable[str]) -> str | None:
    """The file name when `node` shows an image (`[[File:X]]`, not the `[[:File:X]]` link)."""
    if not isinstance(node, Wikilink):
        return None
    title = str(node.title).strip()
    prefix, colon, name = title.partition(":")
    if not colon or _norm(prefix) not in {_norm(n) for n in namespaces}:
        return None
    return _norm(name)


def _images(code: Wikicode, namespaces: Iterable[str]) -> Iterator[str]:
    """Every image shown by the wikitext: file links (also inside templates) and galleries."""
    for link in code.filter_wikilinks():
        name = _is_file_link(link, namespaces)
        if name is not None:
            yield name
    for tag in code.filter_tags():
        if str(tag.tag).strip().lower() == "gallery":
            yield "<gallery>"


def _positions(code: Wikicode) -> list[tuple[int, Node]]:
    """Each top-level node with its offset in the text."""
    offsets, at = [], 0
    for node in code.nodes:
        offsets.append((at, node))
        at += len(str(node))
    return offsets


def _text_content_start(value: str) -> int | None:
    """Index of the first content character of a text node, skipping whitespace and magic
    words like `__NOTOC__`; None when the node holds neither."""
    index = 0
    while index < len(value):
        if value[index].isspace():
            index += 1
            continue
        if value.startswith("__", index):
            end = value.find("__", index + 2)
            word = value[index + 2 : end] if end > 0 else ""
            if word.isalpha() and word.isupper():
                index = end + 2
                continue
        return index
    return None


def _content_start(nodes: list[tuple[int, Node]], start: int, end: int) -> int:
    """Offset of the first content in [start, end); `end` when there is only metadata."""
    for offset, node in nodes:
        if offset + len(str(node)) <= start or offset >= end:
            continue
        if isinstance(node, (Template, Comment)):
            continue
        if isinstance(node, Wikilink) and _norm(str(node.title).partition(":")[0]) in (
            _NON_CONTENT_LINKS
        ):
            continue
        if isinstance(node, Text):
            first = _text_content_start(node.value[max(0, start - offset) :])
            if first is None:
                continue
            return max(start, offset) + first
        return max(start, offset)
    return end


def _insert(text: str, nodes: list[tuple[int, Node]], start: int, end: int, image: str) -> str:
    """The image on its own line at the start of the line where the content of [start, end)
    begins (after all of the range when it holds only metadata)."""
    content = _content_start(nodes, start, end)
    cut = end if content >= end else max(start, text.rfind("\n", start, content) + 1)
    before = "\n" if cut > 0 and text[cut - 1] != "\n" else ""
    return f"{text[:cut]}{before}{image}\n{text[cut:]}"


def _section_range(
    text: str, nodes: list[tuple[int, Node]], number: int, title: str
) -> tuple[int, int]:
    """[start, end) of level-2 section `number` (1-based) below its heading, checking its title."""
    count = 0
    found: int | None = None
    for offset, node in nodes:
        if not isinstance(node, Heading) or node.level != 2:
            continue
        count += 1
        if found is not None:
            return found, offset
        if count == number:
            actual = node.title
            if _norm(title) not in (_norm(str(actual)), _norm(actual.strip_code())):
                raise PlacementError(
                    f"Section {number} is now titled {str(actual).strip()!r}, not {title!r}: "
                    "the article changed since the suggestion was made. Skip this one."
                )
            found = offset + len(str(node))
    if found is None:
        raise PlacementError(
            f"The article has no section {number} ({title!r}) any more, only {count}. "
            "Skip this one."
        )
    return found, len(text)


@dataclass(frozen=True)
class Location:
    """Where the image may go: the range [start, end) of the article or section to place it in."""

    start: int
    end: int


def locate(
    text: str,
    filename: str,
    *,
    section_number: int | None = None,
    section_title: str | None = None,
    file_namespaces: Iterable[str] = FILE_NAMESPACES,
) -> Location:
    """Where the suggestion's image would go; `PlacementError` when the task is no longer valid.
    A section image needs both `section_number` and `section_title`."""
    namespaces = tuple(file_namespaces)
    code = mwparserfromhell.parse(text)
    if section_number is None or section_title is None:
        if any(True for _ in _images(code, namespaces)):
            raise PlacementError("The article already has an image. Skip this one.")
        return Location(0, len(text))
    start, end = _section_range(text, _positions(code), section_number, section_title)
    if any(True for _ in _images(mwparserfromhell.parse(text[start:end]), namespaces)):
        raise PlacementError(f"Section {section_title!r} already has an image. Skip this one.")
    if _norm(filename) in set(_images(code, namespaces)):
        raise PlacementError(f"{filename} is already used in the article. Skip this one.")
    return Location(start, end)


def place_image(
    text: str,
    link: ImageLink,
    *,
    section_number: int | None = None,
    section_title: str | None = None,
    file_namespaces: Iterable[str] = FILE_NAMESPACES,
) -> str:
    """The article's new wikitext with the image placed where `locate` says."""
    where = locate(
        text,
        link.filename,
        section_number=section_number,
        section_title=section_title,
        file_namespaces=file_namespaces,
    )
    nodes = _positions(mwparserfromhell.parse(text))
    return _insert(text, nodes, where.start, where.end, link.wikitext())
