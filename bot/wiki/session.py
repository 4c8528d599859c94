"""Per-wiki state on disk: one folder per wiki (0700), its cookie file and the record of whose
session the cookies hold (0600).

Two wikis never share a folder: it is named after the target's unique family name.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from http.cookiejar import CookieJar, LoadError, LWPCookieJar
from pathlib import Path

from bot.wiki.targets import WikiTarget


def wiki_state_dir(state_dir: Path, target: WikiTarget) -> Path:
    """`<state_dir>/wikis/<family>`, created readable by the owner only."""
    folder = Path(state_dir) / "wikis" / target.family_name
    private_dir(folder)
    return folder


def private_dir(folder: Path) -> Path:
    """Create `folder` 0700, and any missing parents 0700 too (existing ones are left alone)."""
    missing = [folder, *(p for p in folder.parents if not p.exists())]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    return folder


def load_cookies(jar: CookieJar, path: Path) -> bool:
    """Copy the cookies saved at `path` into `jar`; False when there were none to load."""
    if not path.is_file():
        return False
    saved = LWPCookieJar(str(path))
    try:
        saved.load(ignore_discard=True)
    except (LoadError, OSError):
        return False
    for cookie in saved:
        jar.set_cookie(cookie)
    return len(saved) > 0


def save_cookies(jar: CookieJar, path: Path) -> None:
    """Write the jar's cookies (session cookies too) to `path`, mode 0600 from the start."""
    saved = LWPCookieJar(str(path))
    for cookie in jar:
        saved.set_cookie(cookie)
    temporary = _private_temporary(path)
    saved.save(str(temporary), ignore_discard=True)
    os.replace(temporary, path)


@dataclass(frozen=True)
class SessionRecord:
    """Whose session saved cookies hold: the login name as typed and the wiki's answer to it."""

    login_name: str
    user_id: int
    name: str


def load_session_record(path: Path) -> SessionRecord | None:
    """The record saved at `path`; None when missing or unreadable (then gatebot logs in)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SessionRecord(str(data["login_name"]), int(data["user_id"]), str(data["name"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_session_record(record: SessionRecord, path: Path) -> None:
    """Write `record` to `path`, mode 0600 from the start."""
    temporary = _private_temporary(path)
    temporary.write_text(json.dumps(asdict(record)), encoding="utf-8")
    os.replace(temporary, path)


def _private_temporary(path: Path) -> Path:
    """An empty `<path>.<random>.tmp` readable by the owner only, to be renamed over `path`;
    unique per writer, since processes of one user sharing a state folder save at once."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    temporary.chmod(0o600)
    return temporary
