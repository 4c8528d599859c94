"""The run lock of `events apply`: one apply per wiki at a time, never stuck after a crash.

An exclusive `flock` on `<state_dir>/locks/apply-<hash of the wiki>.lock`: the kernel drops it
when its process dies, however it dies, so a killed apply never blocks the next one. The file
holds the holder's pid, for the message the second apply shows.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from bot.wiki.session import private_dir
from policies.errors import GatebotError


class JournalBusy(GatebotError):
    """Another process holds the run lock of this wiki (its pid when known)."""


class RunLock:
    """An exclusive `flock` per wiki, with the holder's pid in the file for the error message."""

    def __init__(self, descriptor: int):
        self._descriptor = descriptor

    @classmethod
    def acquire(cls, state_dir: Path, wiki: str) -> RunLock:
        folder = private_dir(state_dir / "locks")
        digest = hashlib.sha256(wiki.encode("utf-8")).hexdigest()[:20]
        descriptor = os.open(folder / f"apply-{digest}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(descriptor)
            raise JournalBusy(
                f"another gatebot apply is running for {wiki} (pid {holder}); wait for it to "
                "finish, or stop it, then run this again"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        return cls(descriptor)

    def release(self) -> None:
        os.ftruncate(self._descriptor, 0)
        os.close(self._descriptor)  # closing the descriptor releases the flock
