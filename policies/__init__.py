"""gatebot's pure policy layer: no network, no clock, no disk beyond loading policy files.

Public API (DESIGN §2.3): `load()`, and the `Policy` it returns.
"""

from policies.errors import GatebotError, InputError, PolicyError
from policies.problems import Problem

__all__ = ["GatebotError", "InputError", "PolicyError", "Problem"]
