"""What `--wiki` accepts, where it leads, and the HTTPS rule."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from urllib3.util import parse_url as urllib3_parse_url

from bot.wiki import InsecureTarget, WikiUnreachable, resolve_target
from bot.wiki.targets import discover_api_url, parse_url
from policies.errors import InputError

PD = "https://patchdemo.wmcloud.org/wikis/0123abcd"


@pytest.mark.parametrize(
    ("given", "api", "rest"),
    [
        (
            "https://wiki.example.org/w/api.php",
            "https://wiki.example.org/w/api.php",
            "https://wiki.example.org/w/rest.php",
        ),
        (
            "https://wiki.example.org/w/index.php",
            "https://wiki.example.org/w/api.php",
            "https://wiki.example.org/w/rest.php",
        ),
        (
            "https://wiki.example.org/w/",
            "https://wiki.example.org/w/api.php",
            "https://wiki.example.org/w/rest.php",
        ),
        (f"{PD}/w/", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (f"{PD}", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (f"{PD}/w/rest.php/v1/page/X", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (f"{PD}/w/index.php/Main_Page", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (f"{PD}/w/index.php?title=Main_Page", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (f"{PD}/wiki/Main_Page", f"{PD}/w/api.php", f"{PD}/w/rest.php"),
        (
            "https://0123abcd.catalyst.wmcloud.org",
            "https://0123abcd.catalyst.wmcloud.org/w/api.php",
            "https://0123abcd.catalyst.wmcloud.org/w/rest.php",
        ),
        (
            "en.wikipedia",
            "https://en.wikipedia.org/w/api.php",
            "https://en.wikipedia.org/w/rest.php",
        ),
        (
            "wikipedia:de",
            "https://de.wikipedia.org/w/api.php",
            "https://de.wikipedia.org/w/rest.php",
        ),
        ("meta", "https://meta.wikimedia.org/w/api.php", "https://meta.wikimedia.org/w/rest.php"),
        (
            "commons:commons",
            "https://commons.wikimedia.org/w/api.php",
            "https://commons.wikimedia.org/w/rest.php",
        ),
        ("wikidata", "https://www.wikidata.org/w/api.php", "https://www.wikidata.org/w/rest.php"),
        (
            "http://127.0.0.1:8765/api.php",
            "http://127.0.0.1:8765/api.php",
            "http://127.0.0.1:8765/rest.php",
        ),
        (
            "http://localhost:8080/w/api.php",
            "http://localhost:8080/w/api.php",
            "http://localhost:8080/w/rest.php",
        ),
        (
            "http://[::1]:8080/w/api.php",
            "http://[::1]:8080/w/api.php",
            "http://[::1]:8080/w/rest.php",
        ),
    ],
)
def test_target_forms_resolve_without_network(given, api, rest):
    target = resolve_target(given, environ={})
    assert (target.api_url, target.rest_url) == (api, rest)


def test_sandbox_uses_the_sandbox_port():
    assert resolve_target("sandbox", environ={}).api_url == "http://127.0.0.1:8780/w/api.php"
    assert resolve_target("sandbox", environ={"GATEBOT_SANDBOX_PORT": "9001"}).api_url == (
        "http://127.0.0.1:9001/w/api.php"
    )


@pytest.mark.parametrize(
    "given",
    [
        "http://wiki.example.org/w/api.php",
        "http://10.0.0.5/w/api.php",
        "http://localhost.example.org/w/api.php",
    ],
)
def test_plain_http_off_this_machine_is_refused(given):
    with pytest.raises(InsecureTarget) as caught:
        resolve_target(given, environ={})
    assert "https://" in str(caught.value)
    assert caught.value.exit_status == 3


@pytest.mark.parametrize("given", ["", "nonsense", "wikipedia", "ftp://x.org/api.php"])
def test_unknown_targets_say_what_to_give(given):
    with pytest.raises(InputError):
        resolve_target(given, environ={})


def test_two_patchdemo_wikis_get_different_families():
    one = resolve_target(f"{PD}/w/", environ={})
    two = resolve_target("https://patchdemo.wmcloud.org/wikis/ffff0000/w/", environ={})
    assert one.family_name != two.family_name
    assert one.family_name.isalnum() and one.family_name.isascii()


def test_base_url_discovery_tries_w_api_php_first():
    asked = []

    def get(url):
        asked.append(url)
        found = url.startswith("https://w.example/w/api.php")
        return (200, '{"query": {}}') if found else (404, "")

    assert discover_api_url("https://w.example", get) == "https://w.example/w/api.php"
    assert len(asked) == 1


def test_base_url_discovery_falls_back_to_the_edituri_link():
    page = (
        '<link rel="EditURI" type="application/rsd+xml" href="//w.example/mw/api.php?action=rsd">'
    )

    def get(url):
        return (200, page) if url == "https://w.example/" else (404, "")

    assert discover_api_url("https://w.example", get) == "https://w.example/mw/api.php"


def test_base_url_without_an_api_is_unreachable():
    with pytest.raises(WikiUnreachable):
        discover_api_url("https://w.example", lambda url: (404, "not here"))


# (URL, verdict, the host it leads to, or the words the refusal must contain)
TRICKY_URLS = [
    ("http://127.0.0.1:8780/w/api.php", "ok", "127.0.0.1"),
    ("HTTP://LOCALHOST:8080/w/api.php", "ok", "localhost"),
    ("http://127.5.6.7/w/api.php", "ok", "127.5.6.7"),
    ("http://[::1]:8080/w/api.php", "ok", "::1"),
    ("http://[0:0:0:0:0:0:0:1]/w/api.php", "ok", "::1"),
    ("https://wiki.example.org/w/api.php#@127.0.0.1", "ok", "wiki.example.org"),
    ("https://Wiki.Example.ORG/w/api.php?x=@127.0.0.1", "ok", "wiki.example.org"),
    ("https://10.1.2.3:8443/w/api.php", "ok", "10.1.2.3"),
    ("http://evil.example/w/api.php#@127.0.0.1", "insecure", "evil.example"),
    ("http://evil.example/w/api.php?@127.0.0.1/", "insecure", "evil.example"),
    ("http://localhost.example.org/w/api.php", "insecure", "localhost.example.org"),
    ("http://[::ffff:127.0.0.1]/w/api.php", "insecure", "::ffff:7f00:1"),
    ("http://[::2]/w/api.php", "insecure", "::2"),
    ("http://128.0.0.1/w/api.php", "insecure", "128.0.0.1"),
    ("http://example.org\\@127.0.0.1/w/api.php", "bad", "backslashes"),
    ("http:/\\127.0.0.1/w/api.php", "bad", "backslashes"),
    ("http://127.0.0.1@example.org/w/api.php", "bad", "user name or password"),
    ("http://127.0.0.1%2f@evil.example/w/api.php", "bad", "user name or password"),
    ("https://user:secret@wiki.example.org/w/api.php", "bad", "user name or password"),
    ("http://0x7f.1/w/api.php", "bad", "numeric host"),
    ("http://2130706433/w/api.php", "bad", "numeric host"),
    ("http://127.1/w/api.php", "bad", "numeric host"),
    ("http://0177.0.0.1/w/api.php", "bad", "numeric host"),
    ("http://1.2.3.4.5/w/api.php", "bad", "numeric host"),
    ("http://127.0.0.1./w/api.php", "bad", "trailing dot"),
    ("http://localhost./w/api.php", "bad", "trailing dot"),
    ("http://[::1%25eth0]/w/api.php", "bad", "zone ids"),
    ("http://[fe80::1%eth0]/w/api.php", "bad", "zone ids"),
    ("http://[::1]x/w/api.php", "bad", "in brackets"),
    ("http://[::1", "bad", "in brackets"),
    ("http://127.0.0.1 /w/api.php", "bad", "spaces"),
    ("http://evil.example\t127.0.0.1/w/api.php", "bad", "control characters"),
    ("http://evil.example\n.127.0.0.1/w/api.php", "bad", "control characters"),
    ("http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/w/api.php", "bad", "ASCII"),
    ("http://127\u30020\u30020\u30021/w/api.php", "bad", "ASCII"),
    ("http://loc%61lhost/w/api.php", "bad", "ASCII"),
    ("http:///w/api.php", "bad", "no host"),
    ("https://-evil.example/w/api.php", "bad", "not a host name"),
    ("http:127.0.0.1/w/api.php", "bad", "write the address as http://"),
    ("file:///etc/passwd", "bad", "unsupported scheme 'file'"),
    ("file:/etc/passwd", "bad", "unsupported scheme 'file'"),
    ("ftp://wiki.example.org/w/api.php", "bad", "unsupported scheme 'ftp'"),
    ("https://wiki.example.org:99999/w/api.php", "bad", "'99999' is not a port"),
    ("https://wiki.example.org:abc/w/api.php", "bad", "'abc' is not a port"),
    ("https://wiki.example.org:0/w/api.php", "bad", "'0' is not a port"),
    ("https://wiki.example.org:/w/api.php", "bad", "'' is not a port"),
    ("https://wiki.example.org:+443/w/api.php", "bad", "'+443' is not a port"),
    ("http://127.0.0.1:\u0968\u0966/w/api.php", "bad", "is not a port"),
]


def connected_host(url: str) -> str:
    """The host requests (and urllib3 under it) would open a connection to for `url`."""
    prepared = requests.Request("GET", url).prepare()
    return (urllib3_parse_url(prepared.url).host or "").strip("[]")


@pytest.mark.parametrize(("given", "verdict", "expected"), TRICKY_URLS)
def test_the_secure_transport_rule_is_decided_on_the_host_actually_connected(
    given, verdict, expected
):
    if verdict == "bad":
        with pytest.raises(InputError, match=re.escape(expected)) as caught:
            resolve_target(given, environ={})
        assert caught.value.exit_status == 2
        return
    checked = parse_url(given)
    assert checked.host == expected
    assert connected_host(checked.text) == expected
    if verdict == "insecure":
        with pytest.raises(InsecureTarget) as refused:
            resolve_target(given, environ={})
        assert refused.value.exit_status == 3
        return
    target = resolve_target(given, environ={})
    for url in (target.api_url, target.rest_url + "/v1/page/X", target.index_url):
        assert connected_host(url) == expected
    assert urlsplit(f"{target.scheme}://{target.host}/").hostname == expected


def test_discovery_asks_only_the_checked_host():
    asked = []

    def get(url):
        asked.append(connected_host(url))
        return 404, ""

    with pytest.raises(WikiUnreachable):
        resolve_target("https://Wiki.Example.org/base#@127.0.0.1", get=get, environ={})
    assert set(asked) == {"wiki.example.org"}
    with pytest.raises(InputError, match="user name or password"):
        resolve_target("https://127.0.0.1@wiki.example.org/base", get=get, environ={})
