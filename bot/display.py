"""Text from files and wikis made safe to show on a terminal (the human table, progress, errors).

A title holding a newline, an ANSI escape or a bidi override would otherwise rewrite the screen
or the table. JSON output needs none of this: the encoder escapes what JSON must, exactly.
"""

from __future__ import annotations

import re

# C0 and C1 controls (newline, tab and ESC among them), DEL, line and paragraph separators, and
# the bidi marks, embeddings, overrides and isolates that reorder what follows them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def shown(text: str) -> str:
    """`text` with every character that could move the cursor, change colours or reorder the
    line written as its Python escape (`\\n`, `\\x1b`, `\\u202e`); other text unchanged."""
    if text.isprintable():  # none of the unsafe characters is printable: the common case
        return text
    return _UNSAFE.sub(_escape, text)
