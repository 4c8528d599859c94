"""Did an answer whose reply was lost reach the wiki? Its public log says (contract
growthexperiments §4, §9.3): every yes or no the wiki takes is one `growthexperiments` log row,
`addimage` or `addsectionimage`, with the answer's `accepted` flag.

A row found settles the answer as taken (it counts, and a re-run does not send it again). No
row settles nothing: the wiki may still be working on it, or read its log from a lagging
replica, so the answer stays of unknown outcome and counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.growth.tasks import Task
from bot.wiki import WikiClient

LOG_ACTIONS = {
    "image-recommendation": "addimage",
    "section-image-recommendation": "addsectionimage",
}
# the wiki's clock and this machine's may differ: a row this much older than the send still counts
CLOCK_MARGIN = timedelta(minutes=2)
PAGES = 5  # continuation pages read at most (500 rows each): far more than a day's answers


def logged_answer(wiki: WikiClient, task: Task, accepted: bool, *, sent_at: datetime) -> int | None:
    """The log id of the session user's answer on `task` sent at `sent_at`, or None."""
    action = LOG_ACTIONS.get(task.task_type)
    if action is None:
        return None
    since = (sent_at - CLOCK_MARGIN).astimezone(timezone.utc)
    params: dict[str, Any] = {
        "action": "query",
        "list": "logevents",
        "leaction": f"growthexperiments/{action}",
        "leuser": wiki.userinfo().name,
        "ledir": "newer",
        "lestart": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "leprop": "ids|title|timestamp|details",
        "lelimit": "max",
    }
    wanted = _title_key(task.title)
    for _ in range(PAGES):
        answer = wiki.api_get(params)
        for row in answer.get("query", {}).get("logevents", []):
            details = row.get("params") if isinstance(row.get("params"), dict) else {}
            same = _title_key(str(row.get("title", ""))) == wanted
            if same and details.get("accepted") is accepted and isinstance(row.get("logid"), int):
                return int(row["logid"])
        more = answer.get("continue")
        if not isinstance(more, dict):
            return None
        params.update(more)
    return None


def _title_key(title: str) -> str:
    return title.replace("_", " ").strip()
