"""Credentials: where they come from, and that the secret never shows up anywhere."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from bot.wiki import BotPassword, LoginFailed, OAuth1, credentials_from_env, resolve_target
from bot.wiki.credentials import parse_password_file
from policies.errors import InputError
from tests.wiki.fakewiki import API, LOGIN, SECRET

OAUTH_ENV = {
    "GATEBOT_OAUTH_CONSUMER_KEY": "ck",
    "GATEBOT_OAUTH_CONSUMER_SECRET": "cs-secret",
    "GATEBOT_OAUTH_ACCESS_TOKEN": "at-secret",
    "GATEBOT_OAUTH_ACCESS_SECRET": "as-secret",
}


def test_secret_never_appears_in_logs_reprs_errors_or_state_files(
    open_client, wiki, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    client = open_client()
    client.api_post({"action": "edit", "title": "S", "text": "t"})
    client.close()
    wiki.password = "another-password-entirely"
    with pytest.raises(LoginFailed) as caught:
        open_client(state_dir=tmp_path / "fresh")
    seen = [
        caplog.text,
        repr(client.credentials),
        str(client.credentials),
        str(caught.value),
        repr(caught.value),
        repr(vars(caught.value)),
    ]
    seen += [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert not [text for text in seen if SECRET in text]


def test_cookie_file_is_private(open_client, tmp_path):
    client = open_client()
    client.close()
    assert stat.S_IMODE(client.cookie_file.stat().st_mode) == 0o600
    for folder in (client.state_dir, client.state_root):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_two_patchdemo_wikis_never_share_a_cookie_file(backend, tmp_path):
    from bot.wiki import backend_class

    one = resolve_target("https://patchdemo.wmcloud.org/wikis/aaaa1111/w/", environ={})
    two = resolve_target("https://patchdemo.wmcloud.org/wikis/bbbb2222/w/", environ={})
    clients = [backend_class(backend)(t, credentials=None, state_dir=tmp_path) for t in (one, two)]
    assert clients[0].cookie_file != clients[1].cookie_file
    assert clients[0]._cookie_jar() is not clients[1]._cookie_jar()


def test_oauth_variables_win_and_hide_their_secrets():
    creds = credentials_from_env("Tester@bot", OAUTH_ENV | {"GATEBOT_PASSWORD": "pw"})
    assert isinstance(creds, OAuth1)
    assert not [value for value in ("cs-secret", "at-secret", "as-secret") if value in repr(creds)]


def test_half_set_oauth_names_the_missing_variables():
    with pytest.raises(InputError) as caught:
        credentials_from_env(None, {"GATEBOT_OAUTH_CONSUMER_KEY": "ck"})
    assert "GATEBOT_OAUTH_ACCESS_SECRET" in str(caught.value)


def test_password_from_the_environment_needs_a_login_name():
    assert credentials_from_env(LOGIN, {"GATEBOT_PASSWORD": SECRET}) == BotPassword(LOGIN, SECRET)
    with pytest.raises(InputError):
        credentials_from_env(None, {"GATEBOT_PASSWORD": SECRET})


def test_password_file_is_parsed_not_executed(tmp_path: Path):
    marker = tmp_path / "executed"
    passwords = tmp_path / "passwords"
    passwords.write_text(
        "# comment\n"
        "('Tester', BotPassword('gatebot', 'file-secret'))\n"
        "('en', 'wikipedia', 'Other', BotPassword('app', 'other-secret'))\n"
    )
    env = {"GATEBOT_PASSWORD_FILE": str(passwords)}
    assert credentials_from_env("Tester@gatebot", env) == BotPassword(LOGIN, "file-secret")
    assert credentials_from_env("Other", env) == BotPassword("Other@app", "other-secret")
    passwords.write_text(f"__import__('pathlib').Path({str(marker)!r}).touch()\n")
    with pytest.raises(InputError) as caught:
        parse_password_file(passwords)
    assert not marker.exists()
    assert "row 1" in str(caught.value)


def test_oauth_requests_are_signed_and_rest_writes_carry_no_token(open_client, wiki):
    wiki.accept_oauth = True
    client = open_client(credentials=OAuth1(*OAUTH_ENV.values()))
    client.rest("PUT", "/campaignevents/v0/event_registration/7", json={"name": "x"})
    assert wiki.labels == ["userinfo", "PUT /campaignevents/v0/event_registration/7"]
    assert wiki.bodies[-1] == {"name": "x"}
    assert all(h["Authorization"].startswith("OAuth ") for h in wiki.headers)
    assert not [h for h in wiki.headers if "as-secret" in str(h) or "cs-secret" in str(h)]


def test_oauth_that_the_wiki_rejects_is_a_login_failure(open_client, wiki):
    with pytest.raises(LoginFailed) as caught:
        open_client(credentials=OAuth1(*OAUTH_ENV.values()))
    assert "GATEBOT_OAUTH_" in str(caught.value)
    assert "as-secret" not in str(caught.value)


def test_default_api_url_fixture_is_https():
    assert API.startswith("https://")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"('Tester', BotPassword('gatebot', 'hun\xffter2'))\n", "is not UTF-8 text"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00hunter2", "NUL byte"),
        (b"('Tester', BotPassword('gatebot', 'hunter2" + b"(" * 2_000_000 + b"'))\n", "larger"),
        (b"-" * 200_000 + b"1\n", "row 1"),
        (b"(" * 5_000 + b")" * 5_000 + b"\n", "row 1"),
    ],
)
def test_an_unreadable_password_file_is_a_clear_error_that_shows_no_secret(
    tmp_path, content, expected
):
    passwords = tmp_path / "passwords"
    passwords.write_bytes(content)
    with pytest.raises(InputError, match=expected) as caught:
        credentials_from_env("Tester@gatebot", {"GATEBOT_PASSWORD_FILE": str(passwords)})
    assert caught.value.exit_status == 2
    assert caught.value.path == str(passwords)
    assert "hunter2" not in str(caught.value) and "xff" not in str(caught.value)


def test_a_password_file_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    passwords = tmp_path / "passwords"
    os.mkfifo(passwords)
    with pytest.raises(InputError, match="not a regular file"):
        parse_password_file(passwords)
