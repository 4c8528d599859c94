"""`list=users` (core's ApiQueryUsers) for what gatebot asks of it: a named user's central id
(`usprop=centralids`, as `meta=userinfo` gives the caller's) and groups. Unknown names come back
`missing`, names MediaWiki cannot hold `invalid`, as the real module answers them."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.action_api import Call
from bot.sandbox.names import canonical_user_name
from bot.sandbox.query import LIST, submodule

_PROPS = frozenset({"centralids", "groups"})
# Characters a user name cannot hold (MediaWiki's UserNameUtils::isValid, in short).
_INVALID_NAME = re.compile(r"[#<>\[\]|{}/@:\x00-\x1f\x7f]")


@submodule(LIST, "users")
def list_users(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    """One entry per `ususers` name, in the order asked."""
    props = set(call.params.multi("usprop"))
    unknown = sorted(props - _PROPS)
    if unknown:
        word = "value" if len(unknown) == 1 else "values"
        call.warn("users", f'Unrecognized {word} for parameter "usprop": {", ".join(unknown)}.')
    entries = []
    for raw in call.params.multi("ususers"):
        name = canonical_user_name(raw)
        if not name or _INVALID_NAME.search(name):
            entries.append({"name": raw, "invalid": True})
            continue
        account = call.wiki.config.account(name)
        if account is None:
            entries.append({"name": name, "missing": True})
            continue
        entry: dict[str, Any] = {"userid": account.user_id, "name": account.name}
        if "groups" in props:
            entry["groups"] = account.implicit_groups()
        if "centralids" in props:
            entry["centralids"] = {"local": account.user_id}
            entry["attachedlocal"] = {"local": True}
        entries.append(entry)
    out["users"] = entries
