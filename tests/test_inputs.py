"""Global options that name things on disk: refused in one sentence (exit 2), never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.cli import build_parser, main, settings_from
from policies.errors import InputError


@pytest.mark.parametrize("inside", [False, True])
def test_a_state_dir_that_is_a_file_is_refused_with_exit_2(tmp_path, capsys, inside):
    file = tmp_path / "state"
    file.write_text("not a folder")
    given = file / "sub" if inside else file
    status = main(["--state-dir", str(given), "policy", "show"])
    error = capsys.readouterr().err
    assert status == 2
    assert error.startswith(f"gatebot: --state-dir {given} ")
    assert ("is inside" if inside else "names a file") in error
    assert "Traceback" not in error


def test_a_state_dir_from_the_environment_is_named_as_such(tmp_path):
    file = tmp_path / "state"
    file.write_text("")
    with pytest.raises(InputError, match=r"^GATEBOT_STATE_DIR .* names a file, not a folder"):
        settings_from(build_parser().parse_args(["policy", "show"]),
                      {"GATEBOT_STATE_DIR": str(file)})  # fmt: skip


def test_a_read_only_state_dir_is_refused(tmp_path):
    """Permissions do not stop root, so as root (CI) a folder of /proc, which nobody may write,
    stands in for the read-only one."""
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    if os.geteuid() == 0:
        folder = Path("/proc/1")
    with pytest.raises(InputError, match="cannot be written to"):
        settings_from(build_parser().parse_args(["--state-dir", str(folder / "x"), "policy",
                                                 "show"]), {})  # fmt: skip


def test_a_state_dir_yet_to_be_made_is_fine_and_not_created(tmp_path):
    wanted = tmp_path / "a" / "b"
    args = build_parser().parse_args(["--state-dir", str(wanted), "policy", "show"])
    assert settings_from(args, {}).state_dir == wanted
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("command", [["policy", "check"], ["events", "check"]])
def test_a_fifo_given_as_a_file_returns_at_once_with_exit_2(tmp_path, capsys, command):
    fifo = tmp_path / ("daily_limits.toml" if command[0] == "policy" else "events.csv")
    os.mkfifo(fifo)
    started = time.monotonic()
    assert main([*command, str(fifo)]) == 2
    assert time.monotonic() - started < 5
    assert "not a regular file" in capsys.readouterr().err


def test_whoami_with_an_ambiguous_url_exits_2_before_any_connection(capsys, monkeypatch):
    monkeypatch.setenv("GATEBOT_USER", "Organizer@gatebot")
    monkeypatch.setenv("GATEBOT_PASSWORD", "sandbox")
    monkeypatch.setattr("requests.Session.send", lambda *a, **k: pytest.fail("connected"))
    for wiki in ("http://example.org\\@127.0.0.1/w/api.php", "http://[::1", "ftp://x.org/"):
        assert main(["whoami", "--wiki", wiki]) == 2
        assert "Traceback" not in capsys.readouterr().err
