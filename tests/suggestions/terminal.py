"""Drive a real `gatebot` process through a pseudo-terminal: read what it shows, type keys."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Mapping, Sequence

ANSI = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """The screen's text without colours and OSC 8 hyperlinks."""
    return ANSI.sub("", text)


class Terminal:
    """`gatebot ARGS` on a pseudo-terminal of 120 columns."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str]):
        pid, fd = pty.fork()
        if pid == 0:  # the child: gatebot, with the pty as its terminal
            os.execve(sys.executable, [sys.executable, "-m", "bot.cli", *args], dict(env))
        self.pid, self.fd = pid, fd
        self.raw = ""
        self.status: int | None = None

    def read_until(self, pattern: str, timeout: float = 20.0) -> str:
        """Everything shown so far, once `pattern` (a regex, on the plain text) has appeared."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, plain(self.raw)):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} never appeared; the screen:\n{plain(self.raw)}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the child has gone: EIO on Linux
                    chunk = b""
                if not chunk:
                    raise AssertionError(
                        f"{pattern!r} never appeared; gatebot ended:\n{plain(self.raw)}"
                    )
                self.raw += chunk.decode("utf-8", "replace")
        return plain(self.raw)

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def interrupt(self) -> None:
        os.kill(self.pid, signal.SIGINT)

    def wait(self, timeout: float = 20.0) -> int:
        """The exit status, once the rest of the output is read."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                self.raw += chunk.decode("utf-8", "replace")
                if chunk:
                    continue
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError(f"gatebot did not end; the screen:\n{plain(self.raw)}")

    @property
    def screen(self) -> str:
        return plain(self.raw)
