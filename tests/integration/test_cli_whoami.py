"""`gatebot whoami` against the real MediaWiki: the report a user sees, for both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.mediawiki import LocalMediaWiki

WHOAMI_KEYS = {
    "wiki",
    "backend",
    "user",
    "central_id",
    "groups",
    "rights_missing",
    "timecorrection",
    "zone",
    "ratelimits",
}


def whoami(wiki: LocalMediaWiki, backend: str, *options: str) -> list[str]:
    login_name = wiki.admin[0]
    return [
        "whoami",
        "--wiki",
        wiki.wiki.api_url,
        "--user",
        login_name,
        "--backend",
        backend,
        *options,
    ]


def test_whoami_json_reports_the_logged_in_bot(
    local_mediawiki: LocalMediaWiki,
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GATEBOT_PASSWORD", local_mediawiki.admin[1])
    monkeypatch.setenv("GATEBOT_STATE_DIR", str(tmp_path))

    status = main(whoami(local_mediawiki, backend, "--json"))
    out = capsys.readouterr()
    report = json.loads(out.out)

    assert status == 0, out.err
    assert set(report) == WHOAMI_KEYS
    assert report["user"] == "Admin" and report["backend"] == backend
    assert report["wiki"] == local_mediawiki.wiki.api_url
    assert report["rights_missing"] == [] and "sysop" in report["groups"]
    assert isinstance(report["central_id"], int) and isinstance(report["zone"], str)
    assert local_mediawiki.admin[1] not in out.out + out.err


def test_whoami_with_a_wrong_password_exits_3_with_one_sentence(
    local_mediawiki: LocalMediaWiki,
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = "0123456789abcdefghijklmnopqrstuv"
    monkeypatch.setenv("GATEBOT_PASSWORD", wrong)
    monkeypatch.setenv("GATEBOT_STATE_DIR", str(tmp_path))

    status = main(whoami(local_mediawiki, backend))
    out = capsys.readouterr()

    assert status == 3
    assert out.out == ""
    assert out.err.count("\n") == 1 and out.err.startswith("gatebot: "), out.err
    assert "Admin@pytest" in out.err and "Traceback" not in out.err
    assert wrong not in out.err
