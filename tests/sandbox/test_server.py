"""The sandbox as a program: configuration files, fault injection, kept state, `gatebot sandbox`."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import pytest
import requests

from bot.cli import main
from bot.cli.sandbox import describe
from bot.sandbox import query
from bot.sandbox.config import SandboxConfigError, load_config
from tests.sandbox.helpers import session_of


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sandbox.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_disallowed_countries_given_as_a_list_is_refused_with_the_right_form(tmp_path):
    path = config_file(tmp_path, '[campaignevents]\ndisallowed_countries = ["BY", "RU"]\n')
    with pytest.raises(SandboxConfigError, match='CODE = "Name"'):
        load_config(path)


def test_unknown_wiki_zone_is_refused(tmp_path):
    with pytest.raises(SandboxConfigError, match="not an IANA zone"):
        load_config(config_file(tmp_path, '[wiki]\ntimezone = "Mars/Base"\n'))


def test_config_can_move_the_wiki_zone(start_sandbox, tmp_path):
    wiki = start_sandbox(load_config(config_file(tmp_path, '[wiki]\ntimezone = "Asia/Tokyo"\n')))
    general = session_of(wiki, "Admin").get(action="query", meta="siteinfo").json()
    assert (general["query"]["general"]["timezone"], general["query"]["general"]["timeoffset"]) == (
        "Asia/Tokyo",
        540,
    )


def test_error_rate_answers_503_with_retry_after(start_sandbox, tmp_path):
    path = config_file(tmp_path, "[faults]\nerror_rate = 1.0\nretry_after = 7\n")
    wiki = start_sandbox(load_config(path))
    answer = requests.get(wiki.api_url, params={"action": "query", "format": "json"}, timeout=10)
    assert (answer.status_code, answer.headers["Retry-After"]) == (503, "7")


def test_dropped_connection_after_a_write_still_saved_the_edit(start_sandbox, tmp_path):
    wiki = start_sandbox(
        load_config(config_file(tmp_path, "[faults]\ndrop_after_write_rate = 1.0\n"))
    )
    admin = session_of(wiki, "Admin")
    with pytest.raises(requests.ConnectionError):
        admin.edit("Dropped answer", "saved anyway")
    answer = admin.get(action="query", prop="info", titles="Dropped answer").json()
    assert "missing" not in answer["query"]["pages"][0]


def test_state_in_a_data_directory_survives_a_restart(start_sandbox, tmp_path):
    first = start_sandbox(data_dir=tmp_path / "data")
    session_of(first, "Admin").edit("Kept page", "still here")
    first.stop()
    second = start_sandbox(data_dir=tmp_path / "data")
    answer = (
        session_of(second, "Admin")
        .get(action="query", prop="revisions", titles="Kept page|Main Page", rvprop="ids")
        .json()
    )
    pages = answer["query"]["pages"]
    assert all("missing" not in page for page in pages)
    assert [len(page["revisions"]) for page in pages] == [1, 1]


def test_describe_lists_the_seeded_accounts(sandbox_server):
    logins = [a["login"] for a in describe(sandbox_server)["accounts"]]
    assert logins == ["Admin@gatebot", "Organizer@gatebot", "Volunteer@gatebot", "Tester@gatebot"]


def test_busy_port_gives_one_clear_sentence(sandbox_server, capsys):
    status = main(["sandbox", "--port", str(sandbox_server.port)])
    assert status == 2
    error = capsys.readouterr().err
    assert f"Port {sandbox_server.port} on 127.0.0.1 is already in use" in error
    assert "Traceback" not in error


def test_configured_replication_lag_trips_a_smaller_maxlag(start_sandbox, tmp_path):
    wiki = start_sandbox(load_config(config_file(tmp_path, "[wiki]\nlag = 5\n")))
    admin = session_of(wiki, "Admin")
    assert "error" not in admin.get(action="query", meta="siteinfo", maxlag=5).json()
    refused = admin.get(action="query", meta="siteinfo", maxlag=4)
    assert (refused.json()["error"]["code"], refused.headers["X-Database-Lag"]) == ("maxlag", "5")


def test_unwritable_data_folder_gives_one_clear_sentence(capsys):
    assert main(["sandbox", "--data", "/proc/no-such-folder"]) == 2
    error = capsys.readouterr().err
    assert "cannot write there" in error
    assert "Traceback" not in error


def test_rest_errors_carry_the_content_language_and_english(start_sandbox, tmp_path):
    wiki = start_sandbox(load_config(config_file(tmp_path, '[wiki]\ncontent_language = "pt"\n')))
    answer = requests.get(f"{wiki.rest_url}/campaignevents/v0/event_registration/999", timeout=10)
    assert list(answer.json()["messageTranslations"]) == ["pt", "en"]


def test_a_sandbox_bug_answers_like_a_mediawiki_internal_error(sandbox_server, monkeypatch):
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(query.META, "siteinfo", broken)
    answer = requests.get(
        sandbox_server.api_url,
        timeout=10,
        params={"action": "query", "meta": "siteinfo", "format": "json", "formatversion": "2"},
    )
    assert answer.status_code == 200
    assert answer.json()["error"]["code"] == "internal_api_error_RuntimeError"
    assert answer.headers["MediaWiki-API-Error"] == "internal_api_error_RuntimeError"


def test_a_client_that_hangs_up_mid_request_leaves_no_traceback(sandbox_server, capfd):
    """A killed gatebot resets its connection: the sandbox goes on, and prints nothing."""
    host, port = sandbox_server.httpd.server_address[:2]
    for _ in range(3):
        with socket.create_connection((host, port), timeout=5) as raw:
            raw.sendall(b"GET /w/api.php?action=query HTTP/1.1\r\nHost: x\r\n")
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    answer = requests.get(sandbox_server.api_url, params={"action": "query", "format": "json"},
                          timeout=10)  # fmt: skip
    assert answer.status_code == 200
    time.sleep(0.2)  # the handler threads of the resets have run
    assert "Traceback" not in capfd.readouterr().err
