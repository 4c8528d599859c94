"""Per-wiki state on disk: one folder per wiki (0700) and its cookie file (0600).

Two wikis never share a folder: it is named after the target's unique family name.
"""

from __future__ import annotations

import os
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
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    temporary.chmod(0o600)
    saved.save(str(temporary), ignore_discard=True)
    os.replace(temporary, path)
