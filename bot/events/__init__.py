"""Batch work on events files, one room per step: `row` (a row in API form) and `check` (the
offline `events check`); plan and apply come with the write path."""

from bot.events.check import CheckedRow, RowChecker, check_file, check_rows, rules_for

__all__ = ["CheckedRow", "RowChecker", "check_file", "check_rows", "rules_for"]
