"""User names as MediaWiki reads them: `jane_doe` and `Jane Doe` are one account.

Core's `UserNameUtils::getCanonical` goes through the title rules: underscores and the Unicode
spaces become one space, the ends are trimmed and the first letter is upper-cased (`ucfirst`).
"""

from __future__ import annotations

import re

# TitleParser's run of spaces: underscore, space, NBSP and the other Unicode space separators.
_SPACES = re.compile(r"[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def canonical_user_name(raw: str) -> str:
    """The name the wiki knows `raw` by: `organizer` -> `Organizer`, `Jane_Doe` -> `Jane Doe`."""
    name = _SPACES.sub(" ", raw).strip(" ")
    return name[:1].upper() + name[1:]
