"""The environment is read once per wiki: proxies and the CA bundle at connect time, and never a
~/.netrc password (gatebot's credentials come only from its own sources)."""

from __future__ import annotations

import requests

from bot.wiki.environment import pin_environment


def test_a_netrc_entry_for_the_wiki_is_never_sent(open_client, wiki, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine wiki.example.org login someone password netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))

    client = open_client()
    client.login()
    client.siteinfo()

    assert wiki.headers
    assert all("Authorization" not in headers for headers in wiki.headers)


def test_proxies_and_ca_bundle_are_taken_once_from_the_environment(tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))

    public, internal = requests.Session(), requests.Session()
    pin_environment(public, "https://wiki.example.org/w/api.php")
    pin_environment(internal, "https://internal.example/w/api.php")
    monkeypatch.setenv("HTTPS_PROXY", "http://changed.example:1")

    assert public.proxies.get("https") == "http://proxy.example:3128"
    assert "https" not in internal.proxies
    assert public.verify == str(bundle)
    assert not public.trust_env
    # what a request of the pinned session goes through: the proxy read at connect time
    settings = public.merge_environment_settings(
        "https://wiki.example.org/w/api.php", {}, None, None, None
    )
    assert settings["proxies"].get("https") == "http://proxy.example:3128"
