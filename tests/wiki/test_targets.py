"""What `--wiki` accepts, where it leads, and the HTTPS rule."""

from __future__ import annotations

import pytest

from bot.wiki import InsecureTarget, WikiUnreachable, resolve_target
from bot.wiki.targets import discover_api_url
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
