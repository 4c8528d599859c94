"""The root of gatebot's exception tree, and the errors of the pure layer.

The root lives here, in the innermost layer, because `policies` never imports `bot`
while every `bot` error must still be a `GatebotError`.
"""

from __future__ import annotations


class GatebotError(Exception):
    """Anything gatebot reports to a person. `exit_status` is what the CLI exits with."""

    exit_status = 2


class PolicyError(GatebotError):
    """A policy file is missing, unreadable or malformed; says which file and key."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None):
        where = ", ".join(part for part in (path, f"key {key!r}" if key else None) if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.key = key


class InputError(GatebotError):
    """A user's file (events, answers) cannot be read at all; says which file and where."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ):
        parts = [
            p
            for p in (
                path,
                f"row {row}" if row is not None else None,
                f"field {field!r}" if field else None,
            )
            if p
        ]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)
        self.reason = message
        self.path = path
        self.row = row
        self.field = field
