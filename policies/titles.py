"""Page titles as MediaWiki core reads them (MediaWikiTitleCodec::splitTitleString), offline.

The same steps in the same order: bidi marks stripped, every space MediaWiki folds turned into one
underscore, a leading colon, the namespace prefix, the `#section`, then the refusals (characters,
relative paths, `~~~`, 255 bytes without the prefix, nothing left, a leading colon). Interwiki
prefixes and a wiki's own namespace names need the wiki: unknown prefixes stay part of the title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

NS_EVENT = 1728
NS_PROJECT = 4
NS_TALK = 1
TITLE_MAX_BYTES = 255

# Canonical namespace names every wiki knows, plus the project namespace's names on Wikimedia
# wikis; lower case with spaces. Unknown prefixes are part of a main-namespace title, as in MW.
DEFAULT_NAMESPACE_NAMES: Mapping[str, int] = MappingProxyType({
    "media": -2, "special": -1, "talk": NS_TALK, "user": 2, "user talk": 3,
    "project": NS_PROJECT, "project talk": 5, "file": 6, "image": 6, "file talk": 7,
    "mediawiki": 8, "mediawiki talk": 9, "template": 10, "template talk": 11, "help": 12,
    "help talk": 13, "category": 14, "category talk": 15, "module": 828, "module talk": 829,
    "event": NS_EVENT, "event talk": 1729,
    **{name: NS_PROJECT for name in (
        "wikipedia", "meta", "commons", "wikidata", "wikibooks", "wikinews", "wikiquote",
        "wikisource", "wikiversity", "wikivoyage", "wiktionary", "wikispecies", "wikifunctions",
        "wikimania", "incubator",
    )},
})  # fmt: skip
_SPELLING = {"mediawiki": "MediaWiki", "mediawiki talk": "MediaWiki talk"}

# MediaWiki core's title errors (the `$1` of campaignevents-error-invalid-title).
TITLE_INVALID_EMPTY = "The requested page title is empty or contains only the name of a namespace."
_INVALID_UTF8 = "The requested page title contains an invalid UTF-8 sequence."
_INVALID_CHARACTERS = 'The requested page title contains invalid characters: "{0}".'
_INVALID_RELATIVE = (
    "Title has relative path. Relative page titles (./, ../) are invalid, because they will "
    "often be unreachable when handled by user's browser."
)
_INVALID_TILDE = (
    "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>)."
)
_INVALID_TOO_LONG = (
    "The requested page title is too long. It must be no longer than 255 bytes in UTF-8 encoding."
)
_INVALID_COLON = "The requested page title contains an invalid colon at the beginning."
_INVALID_TALK = "The requested page title refers to a talk page that can not exist."

_BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")
_SPACES = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_PREFIX = re.compile(r"(.+?)_*:_*(.*)", re.DOTALL)
# What MediaWiki refuses: characters outside $wgLegalTitleChars (non-ASCII is legal), percent
# escapes and HTML character references.
_INVALID = re.compile(
    r"[^ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~+\u0080-\U0010ffff]|\ufffd|%[0-9A-Fa-f]{2}"
    r"|&[A-Za-z0-9\u0080-\U0010ffff]+;|&#[0-9]+;|&#x[0-9A-Fa-f]+;"
)
_RELATIVE = re.compile(r"\.\.?(?:/|$)|.*/\.\.?(?:/|$)", re.DOTALL)
# Titles made only of these need none of the rules' slow paths (most campaign titles).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,'()\-/]*(?::[A-Za-z0-9 ,'()\-/]*)?")


class Title(NamedTuple):
    """A title split as MediaWiki splits it; `text` is the page with spaces, ready to send."""

    namespace: int
    prefix: str  # the namespace name as written, in its canonical spelling ("" for main)
    dbkey: str  # the title without the prefix, underscores for spaces, case as written
    fragment: str

    @property
    def text(self) -> str:
        name = self.dbkey.replace("_", " ")
        return f"{self.prefix}:{name}" if self.prefix else name

    @property
    def key(self) -> str:
        """Equal for two titles of one page on a wiki with first-letter capitals (the default)."""
        return f"{self.namespace}:{capitalize(self.dbkey)}"


class TitleError(ValueError):
    """MediaWiki would refuse the title; the message is core's English text."""


def capitalize(dbkey: str) -> str:
    """The first letter upper-cased as MediaWiki does where that is one letter (else as is)."""
    first = dbkey[:1].upper()
    return first + dbkey[1:] if len(first) == 1 else dbkey


@lru_cache(maxsize=256)
def _spelling(name: str) -> str:
    return _SPELLING.get(name, name[:1].upper() + name[1:])


def parse_title(text: str, namespace_names: Mapping[str, int] = DEFAULT_NAMESPACE_NAMES) -> Title:
    """Split and check `text` as MediaWiki does; TitleError gives core's reason for refusing it."""
    if _PLAIN.fullmatch(text):
        return _plain_title(text, namespace_names)
    dbkey = _SPACES.sub("_", _BIDI.sub("", text)).strip("_")
    if "\ufffd" in dbkey:
        raise TitleError(_INVALID_UTF8)
    if dbkey.startswith(":"):
        dbkey = dbkey[1:].strip("_")
    if not dbkey:
        raise TitleError(TITLE_INVALID_EMPTY)
    namespace, prefix = 0, ""
    match = _PREFIX.fullmatch(dbkey)
    if match:
        name = match.group(1).replace("_", " ").lower()
        found = namespace_names.get(name)
        if found is not None:
            namespace, prefix, dbkey = found, _spelling(name), match.group(2)
            talk_of = _PREFIX.fullmatch(dbkey) if found == NS_TALK else None
            if talk_of and talk_of.group(1).replace("_", " ").lower() in namespace_names:
                raise TitleError(_INVALID_TALK)
    dbkey, hash_sign, fragment = dbkey.partition("#")
    if hash_sign:
        dbkey = dbkey.rstrip("_")
    _refuse_invalid(dbkey, namespace)
    return Title(namespace, prefix, dbkey, fragment.replace("_", " "))


def _plain_title(text: str, namespace_names: Mapping[str, int]) -> Title:
    """The common case: letters, digits, spaces and simple punctuation only."""
    prefix, colon, rest = text.partition(":")
    namespace, shown = 0, ""
    name = " ".join(prefix.split()).lower() if colon else ""
    found = namespace_names.get(name) if colon else None
    if found is None:
        rest = text
    else:
        namespace, shown = found, _spelling(name)
    dbkey = "_".join(rest.split())
    if not dbkey and namespace != 0:
        raise TitleError(TITLE_INVALID_EMPTY)
    if len(dbkey) > TITLE_MAX_BYTES:
        raise TitleError(_INVALID_TOO_LONG)
    return Title(namespace, shown, dbkey, "")


def _refuse_invalid(dbkey: str, namespace: int) -> None:
    bad = _INVALID.search(dbkey)
    if bad:
        raise TitleError(_INVALID_CHARACTERS.format(bad.group(0)))
    if "." in dbkey and _RELATIVE.match(dbkey):
        raise TitleError(_INVALID_RELATIVE)
    if "~~~" in dbkey:
        raise TitleError(_INVALID_TILDE)
    if len(dbkey) * 4 > TITLE_MAX_BYTES and len(dbkey.encode("utf-8")) > TITLE_MAX_BYTES:
        raise TitleError(_INVALID_TOO_LONG)
    if not dbkey and namespace != 0:
        raise TitleError(TITLE_INVALID_EMPTY)
    if dbkey.startswith(":"):
        raise TitleError(_INVALID_COLON)


def title_key(text: str, namespace_names: Mapping[str, int] = DEFAULT_NAMESPACE_NAMES) -> str:
    """A key equal for titles of one page (`Event:A B`, `event:A_B`, `Event:A\\u00a0B`); a title
    MediaWiki refuses keys by its folded spaces, so it still matches its own repeats."""
    try:
        return parse_title(text, namespace_names).key
    except TitleError:
        return "invalid:" + _SPACES.sub("_", _BIDI.sub("", text)).strip("_")


def same_title(a: str, b: str) -> bool:
    """Do two titles name the same page?"""
    return title_key(a) == title_key(b)
