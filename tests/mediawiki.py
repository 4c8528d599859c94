"""Start and stop a private real MediaWiki for tests and benchmarks via scripts/local-mediawiki."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.wikis import WikiUnderTest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "local-mediawiki"
MEDIAWIKI_CODE = Path("/usr/share/mediawiki")
BOT_APP_ID = "pytest"
# ApiLogin only takes the bot-password path for passwords matching /^[0-9a-w]{32,}$/.
BOT_PASSWORD_ALPHABET = "0123456789abcdefghijklmnopqrstuvw"
QUICK_LIMIT = (5, 3)
"""The `Quick` user's edit rate limit: 5 edits per 3 seconds (a window a test can wait out)."""


def missing_reason() -> str | None:
    """Why the local MediaWiki cannot run on this machine, or None when it can."""
    if not (MEDIAWIKI_CODE / "maintenance" / "install.php").is_file():
        return (
            "Debian's mediawiki package is not installed; run "
            "'bash scripts/setup --with-mediawiki' (needs root or sudo)."
        )
    if shutil.which("php") is None or shutil.which("curl") is None:
        return "php or curl is missing; run 'bash scripts/local-mediawiki packages' (as root)."
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _bot_password() -> str:
    return "".join(secrets.choice(BOT_PASSWORD_ALPHABET) for _ in range(32))


@dataclass
class LocalMediaWiki:
    """A fresh wiki in a temporary folder on a free port; use as a context manager.

    Logins (`User@pytest`, bot password): `admin` (sysop+bot, no rate limit), `limited`
    (Tester, 5 edits per 60 s) and `quick` (5 edits per 3 s, see QUICK_LIMIT).
    """

    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gatebot-wiki-")))
    admin: tuple[str, str] = field(default_factory=lambda: (f"Admin@{BOT_APP_ID}", _bot_password()))
    limited: tuple[str, str] = field(
        default_factory=lambda: (f"Tester@{BOT_APP_ID}", _bot_password())
    )
    quick: tuple[str, str] = field(default_factory=lambda: (f"Quick@{BOT_APP_ID}", _bot_password()))
    startup_seconds: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def wiki(self) -> WikiUnderTest:
        """The running wiki as the test suites see it."""
        return WikiUnderTest(
            name="mediawiki",
            api_url=f"{self.base_url}/api.php",
            rest_url=f"{self.base_url}/rest.php",
            admin=self.admin,
            limited=self.limited,
        )

    def _run(self, command: str) -> None:
        env = {
            **os.environ,
            "MW_ROOT": str(self.root),
            "MW_PORT": str(self.port),
            "MW_ADMIN_BOTPASS": self.admin[1],
            "MW_TESTER_BOTPASS": self.limited[1],
            "MW_QUICK_BOTPASS": self.quick[1],
            "MW_OWNER_PID": str(os.getpid()),  # the server stops even if this process is killed
        }
        done = subprocess.run(
            ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"scripts/local-mediawiki {command} failed: {detail[0]}")

    def start(self) -> WikiUnderTest:
        """Install a fresh wiki and start its server; stopped again at interpreter exit."""
        began = time.perf_counter()
        atexit.register(self.stop)
        try:
            self._run("install")
            self._run("start")
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.perf_counter() - began
        return self.wiki

    def stop(self) -> None:
        """Stop the server and its workers and delete the wiki's folder (idempotent)."""
        if self.root.exists():
            self._run("stop")
            shutil.rmtree(self.root, ignore_errors=True)
        atexit.unregister(self.stop)

    def __enter__(self) -> LocalMediaWiki:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
