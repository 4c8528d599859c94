"""The `gatebot` command frame: global options anywhere, environment fallbacks, quiet pipes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, settings_from

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "events.csv"


def test_global_options_work_before_and_after_the_subcommand():
    before = build_parser().parse_args(["--json", "--policy", "p", "events", "check", "f.csv"])
    after = build_parser().parse_args(["events", "check", "f.csv", "--json", "--policy", "p"])
    for args in (before, after):
        settings = settings_from(args, {})
        assert settings.json is True
        assert str(settings.policy) == "p"


def test_the_command_line_wins_over_the_environment():
    args = build_parser().parse_args(["--wiki", "https://a.example/w/api.php", "policy", "show"])
    environ = {"GATEBOT_WIKI": "https://b.example/w/api.php", "GATEBOT_BACKEND": "pywikibot"}
    settings = settings_from(args, environ)
    assert settings.wiki == "https://a.example/w/api.php"
    assert settings.backend == "pywikibot"


def test_an_unknown_backend_in_the_environment_is_a_clear_error():
    args = build_parser().parse_args(["policy", "show"])
    with pytest.raises(Exception, match="GATEBOT_BACKEND='curl' is not a backend"):
        settings_from(args, {"GATEBOT_BACKEND": "curl"})


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path):
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.csv"
    # Far more output than a pipe buffers, so `head` leaves while gatebot is still writing.
    big.write_text("\n".join([header] + [rows[0]] * 3000) + "\n", encoding="utf-8")
    command = f"{sys.executable} -m bot.cli events check {big} --json | head -n 1 >/dev/null"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr
