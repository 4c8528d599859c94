"""Core's ParamValidator for JSON bodies: required, type, enum and limit checks, first failure only.

Each failure is a 400 `parameter-validation-failed` with `name` and `failureCode`, which is what
clients (and the extensions' own API tests) key off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.sandbox.rest import param_error
from bot.sandbox.web import int64

_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?")
_MW = re.compile(r"\d{14}")


@dataclass(frozen=True)
class Spec:
    """One body parameter: kind is string|bool|int|timestamp|enum|multi|object."""

    name: str
    kind: str
    required: bool = False
    values: Collection[str] | Callable[[], Collection[str]] | None = None
    limit: int | None = None
    minimum: int | None = None

    def allowed(self) -> Collection[str]:
        return self.values() if callable(self.values) else (self.values or ())


def rolled_over(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    """PHP's lenient date arithmetic: 30 February becomes 2 March, month 13 next January."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1) + timedelta(
        days=day - 1, hours=hour, minutes=minute, seconds=second
    )


def normalize_timestamp(value: str, now: datetime) -> str | None:
    """The timestamp param type: to 14 digits; `""` is now; an ISO offset is shifted to UTC."""
    if value == "":
        return now.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    if _MW.fullmatch(value):
        parts = [int(value[a:b]) for a, b in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))]
        return rolled_over(*parts).strftime("%Y%m%d%H%M%S")
    match = _ISO.fullmatch(value)
    if not match:
        return None
    moment = rolled_over(*(int(g) for g in match.groups()[:6]))
    offset = match.group(7)
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.strftime("%Y%m%d%H%M%S")


def integer_param(name: str, raw: str) -> int:
    """A path or query integer as core's IntegerDef reads it; 400 `badinteger` otherwise."""
    value = int64(raw)
    if value is None:
        raise param_error(
            name, raw, "badinteger", f'Invalid value "{raw}" for integer parameter "{name}".'
        )
    return value


def validate(body: dict[str, Any], specs: list[Spec], now: datetime) -> dict[str, Any]:
    """Checked and normalised values by name (None = omitted); raises the first failure."""
    values: dict[str, Any] = {}
    for spec in specs:
        raw = body.get(spec.name)
        if raw is None:
            if spec.required:
                raise param_error(
                    spec.name, None, "missingparam", f'The "{spec.name}" parameter must be set.'
                )
            values[spec.name] = None
            continue
        values[spec.name] = _check(spec, raw, now)
    return values


def _check(spec: Spec, raw: Any, now: datetime) -> Any:
    name = spec.name
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise param_error(
                name,
                raw,
                "badbool-type",
                f'Invalid value for boolean parameter "{name}": send a JSON boolean.',
            )
        return raw
    if spec.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int) or int64(str(raw)) is None:
            raise param_error(
                name, raw, "badinteger", f'Invalid value "{raw}" for integer parameter "{name}".'
            )
        if spec.minimum is not None and raw < spec.minimum:
            raise param_error(
                name,
                raw,
                "outofrange",
                f'Invalid value "{raw}" for parameter "{name}": must be no less '
                f"than {spec.minimum}.",
                {"min": spec.minimum, "curmax": None, "max": None, "highmax": None},
            )
        return raw
    if spec.kind == "object":
        if not isinstance(raw, dict):
            raise param_error(name, raw, "badvalue", f'The "{name}" parameter must be an object.')
        return raw
    if spec.kind == "multi":
        return _check_multi(spec, raw)
    if not isinstance(raw, str):
        raise param_error(name, raw, "badvalue", f'The "{name}" parameter must be a string.')
    if spec.kind == "enum" and raw not in spec.allowed():
        raise param_error(
            name, raw, "badvalue", f'Unrecognized value for parameter "{name}": {raw}.'
        )
    if spec.kind == "timestamp":
        stamp = normalize_timestamp(raw, now)
        if stamp is None:
            raise param_error(
                name,
                raw,
                "badtimestamp",
                f'Invalid value "{raw}" for timestamp parameter "{name}".',
            )
        return stamp
    return raw


def _check_multi(spec: Spec, raw: Any) -> list[str]:
    name = spec.name
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise param_error(
            name, raw, "badvalue", f'The "{name}" parameter must be an array of strings.'
        )
    if spec.limit is not None and len(raw) > spec.limit:
        raise param_error(
            name,
            raw,
            "toomanyvalues",
            f'Too many values supplied for parameter "{name}". The limit is {spec.limit}.',
            {"limit": spec.limit},
        )
    if spec.values is not None:
        allowed = spec.allowed()
        unknown = [v for v in raw if v not in allowed]
        if unknown:
            raise param_error(
                name, raw, "badvalue", f'Unrecognized value for parameter "{name}": {unknown[0]}.'
            )
    return list(dict.fromkeys(raw))
