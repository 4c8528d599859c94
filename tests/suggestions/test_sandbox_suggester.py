"""The sandbox's `[growth] suggester` setting: a Patch Demo-like wiki that reports no counts."""

from __future__ import annotations

import re

import pytest

from bot.sandbox.config import SandboxConfigError, load_config


def test_a_remote_suggester_is_set_in_the_sandbox_configuration(tmp_path):
    path = tmp_path / "sandbox.toml"
    path.write_text('[growth]\nsuggester = "remote"\n')
    assert load_config(path).suggester == "remote"
    assert load_config().suggester == "local"


def test_an_unknown_suggester_is_refused_naming_the_key_and_the_choices(tmp_path):
    path = tmp_path / "sandbox.toml"
    path.write_text('[growth]\nsuggester = "static"\n')
    with pytest.raises(
        SandboxConfigError,
        match=re.escape("growth.suggester = 'static' must be one of 'local', 'remote'"),
    ):
        load_config(path)
