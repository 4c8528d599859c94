"""Processes of one user share a state folder: saving the wiki session at the same moment must
not make one of them end in a traceback (found by the quota race)."""

from __future__ import annotations

import threading
from http.cookiejar import CookieJar
from pathlib import Path

from bot.wiki.session import save_cookies


def test_writers_saving_one_cookie_file_at_once_all_succeed(tmp_path: Path):
    path, errors = tmp_path / "cookies.lwp", list[BaseException]()

    def save_often() -> None:
        try:
            for _ in range(300):
                save_cookies(CookieJar(), path)
        except OSError as error:
            errors.append(error)

    writers = [threading.Thread(target=save_often) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert errors == []
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["cookies.lwp"]  # no temporary left behind
