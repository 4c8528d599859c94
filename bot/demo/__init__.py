"""`gatebot demo`: the tour (`tour`) and its steps' data; `bot.cli.demo` prints them."""

from bot.demo.runner import DemoFailed, SandboxStarted, Step, tour
from bot.demo.steps import EventRows, EventsCheck, ImageSession, QaRun

__all__ = [
    "DemoFailed",
    "EventRows",
    "EventsCheck",
    "ImageSession",
    "QaRun",
    "SandboxStarted",
    "Step",
    "tour",
]
