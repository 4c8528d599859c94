"""The answers ledger and the daily gate of "Add an image" sessions (DESIGN §2.2, §4).

`store`: the SQLite ledger (reserve before sending, settle after); `verdict`: the ledger's and
the wiki's counts against the limit; `gate`: the Gate that wraps a suggestion source and a
submitter so that a session never sends an answer over the limit.
"""

from bot.ledger.gate import (
    DAILY_LIMIT,
    NO_MORE_SUGGESTIONS,
    Answered,
    Gate,
    Stop,
    Submitted,
    Submitter,
    SuggestionSource,
    Task,
)
from bot.ledger.store import (
    COMMITTED,
    FILE_NAME,
    RELEASED,
    RESERVED,
    Account,
    Entry,
    Ledger,
    LedgerError,
)
from bot.ledger.verdict import (
    IMAGE_TASK_TYPES,
    NO_WIKI_COUNT,
    Days,
    Verdict,
    WikiCount,
    no_wiki_count,
    quota_summary,
)

__all__ = [
    "COMMITTED",
    "DAILY_LIMIT",
    "FILE_NAME",
    "IMAGE_TASK_TYPES",
    "NO_MORE_SUGGESTIONS",
    "NO_WIKI_COUNT",
    "RELEASED",
    "RESERVED",
    "Account",
    "Answered",
    "Days",
    "Entry",
    "Gate",
    "Ledger",
    "LedgerError",
    "Stop",
    "Submitted",
    "Submitter",
    "SuggestionSource",
    "Task",
    "Verdict",
    "WikiCount",
    "no_wiki_count",
    "quota_summary",
]
