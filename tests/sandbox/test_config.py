"""`gatebot sandbox --config`: nonsense is refused at start (exit 2, key named), never served."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.sandbox.config import SandboxConfigError, load_config


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sandbox.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[wiki]\nlatency = -5\n", "unknown key wiki.'latency'; did you mean 'latency_ms'?"),
        ("[wiki]\nlatency_ms = -5\n", "wiki.latency_ms = -5 must be a whole number of at least 0"),
        ("[fault]\nerror_rate = 0.1\n", "unknown key 'fault'; did you mean 'faults'?"),
        ("[faults]\nerror_rate = 2.0\n", "faults.error_rate = 2.0 must be a share from 0 to 1"),
        ("[faults]\ndrop_after_write_rate = -0.1\n", "faults.drop_after_write_rate = -0.1"),
        ("[faults]\nretry_after = \"soon\"\n", "faults.retry_after = 'soon' must be a whole"),
        ("[faults]\nspeed = 1\n", "unknown key faults.'speed'"),
        ('[growth.max_tasks_per_day]\n"image-recommendation" = 0\n',
         "growth.max_tasks_per_day.image-recommendation = 0 must be a whole number of at least 1"),
        ('[growth.max_tasks_per_day]\n"image-recommendation" = -1\n', "at least 1"),
        ("[growth]\nminimum_caption_length = 1.5\n", "growth.minimum_caption_length = 1.5"),
        ("[wiki]\nlag = true\n", "wiki.lag = True must be a whole number"),
        ("[wiki]\nfarm_wikis = \"sandboxwiki\"\n", "wiki.farm_wikis = 'sandboxwiki' must be a"),
        ("[campaignevents]\nevent_namespaces = [1728, \"x\"]\n",
         "event_namespaces[2] = 'x' must be a whole"),
        ("wiki = 5\n", "wiki must be a table"),
        ("groups = { sysop = \"all\" }\n", "groups.sysop = 'all' must be a list"),
        ('[[users]]\nname = "A"\npassword = "p"\nrate_limits = { edit = [5] }\n',
         "users[1].rate_limits.edit = [5] must be [hits, seconds]"),
        ('[[users]]\nname = "A"\npassword = "p"\nshoe_size = 9\n',
         "unknown key users[1].'shoe_size'"),
        ('[[users]]\nname = "ann"\npassword = "p"\n[[users]]\nname = "Ann"\npassword = "q"\n',
         "users[2].name 'Ann' is taken by an earlier user"),
        ("[wiki]\nlag = " + "9" * 5000 + "\n", "a number is too long"),
        ("x = " + "[" * 1000 + "]" * 1000 + "\n", "nested too deeply"),
    ],
)  # fmt: skip
def test_nonsense_values_are_refused_naming_the_key(tmp_path, text, expected):
    path = config_file(tmp_path, text)
    with pytest.raises(SandboxConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_the_built_in_configuration_passes_its_own_checks():
    assert load_config().faults.error_rate == 0.0


def test_sandbox_command_exits_2_before_serving(tmp_path, capsys):
    path = config_file(tmp_path, "[faults]\nerror_rate = 2.0\n")
    assert main(["sandbox", "--port", "0", "--config", str(path)]) == 2
    captured = capsys.readouterr()
    assert "faults.error_rate = 2.0" in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_a_config_that_is_a_fifo_or_device_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "sandbox.toml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        started = time.monotonic()
        assert main(["sandbox", "--port", "0", "--config", str(path)]) == 2
        assert "not a regular file" in capsys.readouterr().err
        assert time.monotonic() - started < 2


@pytest.mark.parametrize("latency", ["-5", "abc", "1e3"])
def test_a_negative_or_non_numeric_latency_is_bad_usage(latency, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["sandbox", "--port", "0", "--latency", latency])
    assert stopped.value.code == 2
    assert "is not a delay" in capsys.readouterr().err
