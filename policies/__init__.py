"""gatebot's pure policy layer: no network, no clock, no disk beyond loading policy files.

Public API (DESIGN §2.3): `load()`, and the `Policy` it returns.
"""

from policies.contribution_stats import StatsVerdict
from policies.countries import CountryError
from policies.daily_limits import GateState, UserDay
from policies.errors import GatebotError, InputError, PolicyError
from policies.policy import Policy, load
from policies.problems import Problem

__all__ = [
    "CountryError",
    "GateState",
    "GatebotError",
    "InputError",
    "Policy",
    "PolicyError",
    "Problem",
    "StatsVerdict",
    "UserDay",
    "load",
]
