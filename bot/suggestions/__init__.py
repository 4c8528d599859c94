"""The "Add an image" suggestion sessions with the daily gate (DESIGN §2.2): the session loop,
the source it draws from (prefetching the next suggestion), answers files, and the quota.

    session = build_session(wiki, policy, ledger, task_types=[...], rows=None)
    report = run_session(session.gate, session.source, decider, check=session.check)
"""

from bot.suggestions.answers_file import AnswerRow, RowProblem, read_answers
from bot.suggestions.session import (
    ANSWERS_EXHAUSTED,
    DONE,
    INTERRUPTED,
    MAX,
    NOT_SENT,
    REFUSED,
    STOP_REASONS,
    UNKNOWN,
    Decider,
    Handled,
    SessionReport,
    counted_by,
    run_session,
)
from bot.suggestions.source import PrefetchingSource, Suggestion
from bot.suggestions.wiring import Quota, Session, build_session, read_quota

__all__ = [
    "ANSWERS_EXHAUSTED",
    "DONE",
    "INTERRUPTED",
    "MAX",
    "NOT_SENT",
    "REFUSED",
    "STOP_REASONS",
    "UNKNOWN",
    "AnswerRow",
    "Decider",
    "Handled",
    "PrefetchingSource",
    "Quota",
    "RowProblem",
    "Session",
    "SessionReport",
    "Suggestion",
    "build_session",
    "counted_by",
    "read_answers",
    "read_quota",
    "run_session",
]
