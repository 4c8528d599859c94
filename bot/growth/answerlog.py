"""Did an answer whose reply was lost reach the wiki? Its public log says (contract
growthexperiments §3.5, §9.3): every yes or no the wiki takes is one `growthexperiments` log
row, `addimage` or `addsectionimage`, on the article, with the answer's `accepted` flag.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.growth.tasks import Task
from bot.wiki import WikiClient
from policies.titles import title_key

LOG_ACTIONS = {
    "image-recommendation": "addimage",
    "section-image-recommendation": "addsectionimage",
}
# the wiki's clock and this machine's may differ: a row this much older than the send still counts
CLOCK_MARGIN = timedelta(minutes=2)
PAGES = 5  # continuation pages read at most (500 rows each): far more than a day's answers


def logged_answers(wiki: WikiClient, task: Task, accepted: bool, *, sent_at: datetime) -> list[int]:
    """The log ids of the session user's answers on `task` with this `accepted` flag, from
    `CLOCK_MARGIN` before `sent_at` on, oldest first ([] for a task type the log does not hold)."""
    action = LOG_ACTIONS.get(task.task_type)
    if action is None:
        return []
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
    wanted, found = title_key(task.title), list[int]()
    for _ in range(PAGES):
        answer = wiki.api_get(params)
        for row in answer.get("query", {}).get("logevents", []):
            details = row.get("params") if isinstance(row.get("params"), dict) else {}
            same = title_key(str(row.get("title", ""))) == wanted
            if same and details.get("accepted") is accepted and isinstance(row.get("logid"), int):
                found.append(int(row["logid"]))
        more = answer.get("continue")
        if not isinstance(more, dict):
            break
        params.update(more)
    return found
