"""`list=logevents` for the one log the sandbox writes, GrowthExperiments' (contract
growthexperiments §9.3 reads it to reconcile a day's count); `leuser` is read as MediaWiki does."""

from __future__ import annotations

from typing import Any

from bot.sandbox.action_api import ApiError, Call
from bot.sandbox.names import canonical_user_name
from bot.sandbox.query import BAD_CONTINUE, LIST, set_continue, submodule
from bot.sandbox.web import int64


@submodule(LIST, "logevents")
def list_logevents(call: Call, out: dict[str, Any], root: dict[str, Any]) -> None:
    """Growth log rows (the only log the sandbox writes); newest first unless `ledir=newer`."""
    p = call.params
    letype, leaction = p.get("letype"), p.get("leaction")
    actions = ["addimage", "addsectionimage", "addlink"]
    if leaction:
        log_type, _, subtype = leaction.partition("/")
        actions = [subtype] if log_type == "growthexperiments" else []
    elif letype not in (None, "growthexperiments"):
        actions = []
    newest_first = p.get("ledir", "older") != "newer"
    limit = p.limit("lelimit", 10, 500) or 10
    offset = int64(p.get("lecontinue") or "0")
    if offset is None or offset < 0:
        raise ApiError("badcontinue", BAD_CONTINUE)
    user = p.get("leuser")
    p.multi("leprop")
    rows = (
        call.wiki.store.log_rows(
            user_name=canonical_user_name(user) if user is not None else None,
            actions=actions,
            newest_first=newest_first,
            start=p.get("lestart"),
            end=p.get("leend"),
            limit=limit + 1,
            offset=offset,
        )
        if actions
        else []
    )
    entries = []
    for row in rows[:limit]:
        page = call.wiki.store.page(row["title"])
        entries.append(
            {
                "logid": row["id"],
                "ns": page.ns if page else 0,
                "title": row["title"],
                "pageid": page.id if page else 0,
                "logpage": page.id if page else 0,
                "revid": row["rev_id"] or 0,
                "params": {"section": row["section"], "accepted": bool(row["accepted"])},
                "type": "growthexperiments",
                "action": row["action"],
                "user": row["user_name"],
                "timestamp": row["timestamp"],
                "comment": "",
            }
        )
    if len(rows) > limit:
        set_continue(root, {"lecontinue": str(offset + limit)})
    out["logevents"] = entries
