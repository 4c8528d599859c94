"""Read the warnings a wiki attaches to its answers, and log them without secrets.

Action API, `errorformat=bc` (what gatebot sends): `{"warnings": {module: {"warnings":
text}}}` with formatversion=2, `{module: {"*": text}}` with formatversion=1, several
warnings of one module joined by newlines; other error formats send a list of
`{"code", "module", "text"|"html"|"*"}`. REST (CampaignEvents): `{"warnings": [{"key",
"params"}]}`. mwclient and pywikibot log the same warnings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from bot.wiki.errors import redact_url
from bot.wiki.models import ApiWarning

log = logging.getLogger("bot.wiki")


def action_api_warnings(payload: Any) -> tuple[ApiWarning, ...]:
    """The warnings of an api.php answer, in either formatversion's shape."""
    raw = payload.get("warnings") if isinstance(payload, dict) else None
    found: list[ApiWarning] = []
    if isinstance(raw, dict):
        for module, entry in raw.items():
            text = entry.get("warnings", entry.get("*")) if isinstance(entry, dict) else entry
            found += [ApiWarning(str(module), line) for line in _lines(text)]
    elif isinstance(raw, list):
        for entry in raw:
            if isinstance(entry, dict):
                text = entry.get("text", entry.get("html", entry.get("*", "")))
                code = entry.get("code")
                found.append(
                    ApiWarning(str(entry.get("module", "main")), str(text), code and str(code))
                )
    return tuple(found)


def rest_warnings(module: str, data: Any) -> tuple[ApiWarning, ...]:
    """The `warnings` list of a REST answer body (message keys with their parameters)."""
    raw = data.get("warnings") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return ()
    found = []
    for entry in raw:
        if isinstance(entry, dict) and entry.get("key"):
            params = entry.get("params") or []
            text = f"{entry['key']}" + (f" {params}" if params else "")
            found.append(ApiWarning(module, text, str(entry["key"])))
    return tuple(found)


def log_warnings(warnings: Iterable[ApiWarning], url: str, secrets: Iterable[str]) -> None:
    """One WARNING line per warning, naming the (redacted) URL; secret values are masked."""
    hidden = [value for value in secrets if value]
    for warning in warnings:
        text = warning.text
        for value in hidden:
            text = text.replace(value, "***")
        log.warning("%s warned (%s): %s", redact_url(url), warning.module, text)


def _lines(text: Any) -> list[str]:
    return [line for line in str(text or "").splitlines() if line.strip()]
