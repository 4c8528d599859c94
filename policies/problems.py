"""One problem with one piece of input, named by the wiki's own message key where one exists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`code` is the server's error key (e.g. `campaignevents-error-invalid-timezone`) or a
    gatebot key (`gatebot-…`) where the server has none; `field` is the input column."""

    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message}
