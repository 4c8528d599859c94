"""Plain request and response values passed between the HTTP server and the wiki's modules."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

JSON_MAX_DEPTH = 512
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (strings skipped), without parsing it."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@dataclass
class Request:
    """One HTTP request, already parsed: query string, form body and cookies."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    form: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The JSON body as PHP's `json_decode` reads it; ValueError (json-error-…) when it won't.

        Like PHP: nesting deeper than 512 and `NaN`/`Infinity` are errors, not values.
        """
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("json-error-utf8") from None
        if json_depth(text) > JSON_MAX_DEPTH:
            raise ValueError("json-error-depth")
        try:
            return json.loads(text or "null", parse_constant=_no_constant)
        except ValueError:
            raise ValueError("json-error-syntax") from None


@dataclass
class Response:
    """What goes back: status, headers and body bytes. `drop` closes without answering."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json; charset=utf-8"
    drop: bool = False


def json_response(
    payload: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    """A JSON answer; keys keep their insertion order, as PHP's do."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status=status, body=body, headers=list(headers or []))


_INTEGER = re.compile(r"[+-]?[0-9]{1,25}")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def int64(text: str) -> int | None:
    """PHP's IntegerDef reading of `text`: ASCII digits with an optional sign, within 64 bits.

    None where MediaWiki answers `badinteger` (`abc`, `1.5`, `²`, `٢`, `1_000`, ` 7`, 2**63).
    """
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if INT64_MIN <= value <= INT64_MAX else None
