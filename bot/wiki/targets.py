"""Turn what a person types after `--wiki` into the wiki's api.php and rest.php URLs.

Everything here is pure except `discover_api_url`, which asks the network only for a bare
base URL whose script path cannot be known otherwise.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bot.wiki.errors import InsecureTarget, WikiUnreachable
from policies.errors import InputError

DEFAULT_SANDBOX_PORT = 8780

# Wikimedia project families whose sites are `<code>.<family>.org`.
_LANGUAGE_FAMILIES = (
    "wikipedia",
    "wiktionary",
    "wikibooks",
    "wikinews",
    "wikiquote",
    "wikisource",
    "wikiversity",
    "wikivoyage",
)
# Single-site Wikimedia families, as pywikibot names them.
_SINGLE_SITES = {
    "meta": "meta.wikimedia.org",
    "commons": "commons.wikimedia.org",
    "species": "species.wikimedia.org",
    "incubator": "incubator.wikimedia.org",
    "outreach": "outreach.wikimedia.org",
    "foundation": "foundation.wikimedia.org",
    "wikidata": "www.wikidata.org",
    "mediawiki": "www.mediawiki.org",
    "wikifunctions": "www.wikifunctions.org",
}
_CODE = re.compile(r"^[a-z][a-z0-9-]*$")
_EDIT_URI = re.compile(r"""<link[^>]+rel=["']EditURI["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.IGNORECASE)
# Whitespace, control characters and backslashes: HTTP libraries disagree about all three.
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
_AUTHORITY = re.compile(r"[^/?#]*")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# A last label like this makes the whole host an IPv4 address to inet_aton (`0x7f.1`, `127.1`).
_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0x[0-9a-f]*)$")


@dataclass(frozen=True)
class WikiTarget:
    """Where one wiki answers. `family_name` is unique per wiki (pywikibot family, cookie file)."""

    api_url: str
    rest_url: str
    index_url: str | None
    family_name: str

    @property
    def scheme(self) -> str:
        return urlsplit(self.api_url).scheme

    @property
    def host(self) -> str:
        """Host and port, as mwclient wants it."""
        return urlsplit(self.api_url).netloc

    @property
    def script_path(self) -> str:
        """The path up to and including the `/` before api.php (e.g. `/w/`)."""
        return urlsplit(self.api_url).path.rsplit("/", 1)[0] + "/"


@dataclass(frozen=True)
class WikiUrl:
    """A URL gatebot connects to, parsed once and checked; `text` is rebuilt from these parts
    only, so the HTTP library cannot read another host out of what was checked."""

    scheme: str
    host: str
    port: int | None
    path: str

    @property
    def netloc(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return shown if self.port is None else f"{shown}:{self.port}"

    @property
    def text(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.path}"

    @property
    def is_loopback(self) -> bool:
        """This machine: the name `localhost`, 127.0.0.0/8 or ::1 (nothing else counts)."""
        if self.host == "localhost":
            return True
        try:
            address = ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return address.is_loopback and (address.version == 4 or self.host == "::1")

    def with_path(self, path: str) -> WikiUrl:
        return WikiUrl(self.scheme, self.host, self.port, path)


def parse_url(text: str) -> WikiUrl:
    """Parse an http(s) URL strictly: whatever two programs could read as different hosts is an
    `InputError` (userinfo, backslashes, spaces, control characters, `%` or non-ASCII in the
    host, numeric hosts other than dotted IPv4, IPv6 zones, a trailing dot)."""

    def refuse(why: str) -> InputError:
        return InputError(f"--wiki {text!r}: {why}")

    if _UNSAFE.search(text):
        raise refuse("spaces, control characters and backslashes cannot be part of a wiki URL.")
    scheme, separator, rest = text.partition("://")
    scheme = (scheme if separator else text.partition(":")[0]).lower()
    if scheme not in ("http", "https"):
        raise refuse(
            f"unsupported scheme {scheme!r}; give an https:// URL (http:// only on this machine)."
        )
    if not separator:
        raise refuse(f"write the address as {scheme}://HOST/PATH.")
    authority = _AUTHORITY.match(rest).group(0)  # type: ignore[union-attr]
    if "@" in authority:
        raise refuse(
            "a user name or password in the URL is not allowed; give the login with --user "
            "and the password in GATEBOT_PASSWORD."
        )
    host_text, port_text = _split_port(authority, refuse)
    path = re.split(r"[?#]", rest[len(authority) :], maxsplit=1)[0]
    return WikiUrl(scheme, _host(host_text, refuse), _port(port_text, refuse), path)


def _split_port(authority: str, refuse: Callable[[str], InputError]) -> tuple[str, str | None]:
    if authority.startswith("["):
        inside, bracket, after = authority[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise refuse("an IPv6 address must be written in brackets, e.g. http://[::1]:8080/.")
        return f"[{inside}]", after[1:] if after else None
    host, colon, port = authority.partition(":")
    return host, port if colon else None


def _port(text: str | None, refuse: Callable[[str], InputError]) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not 0 < int(text[:6]) <= 65535:
        raise refuse(f"{text!r} is not a port; a port is a number from 1 to 65535.")
    return int(text)


def _host(text: str, refuse: Callable[[str], InputError]) -> str:
    """The host, lower-cased, if it has exactly one reading; else `InputError`."""
    if text.startswith("["):
        try:
            if "%" in text:
                raise ValueError("zone id")
            return str(ipaddress.IPv6Address(text[1:-1]))
        except ValueError:
            raise refuse(
                f"{text} is not an IPv6 address gatebot accepts (zone ids such as %eth0 are "
                "not allowed)."
            ) from None
    host = text.lower()
    if not host:
        raise refuse("the URL has no host.")
    if not host.isascii() or "%" in host:
        raise refuse("write the host in plain ASCII (an internationalised name in its xn-- form).")
    if host.endswith("."):
        raise refuse("write the host without a trailing dot.")
    labels = host.split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise refuse(
                f"{text!r} is a numeric host in a form programs read differently; write an "
                "IPv4 address as four decimal numbers, e.g. 127.0.0.1."
            ) from None
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise refuse(f"{text!r} is not a host name.")
    return host


def target_from_api_url(api_url: str) -> WikiTarget:
    """The target of a wiki whose api.php URL is known; refuses plain HTTP off loopback."""
    url = parse_url(api_url)
    require_secure(url)
    base = url.with_path(url.path[: -len("api.php")] if url.path.endswith("api.php") else url.path)
    digest = hashlib.sha256(f"{url.netloc}{url.path}".encode()).hexdigest()
    return WikiTarget(
        api_url=url.text,
        rest_url=base.text + "rest.php",
        index_url=base.text + "index.php",
        family_name="gb" + digest[:10],
    )


def require_secure(url: WikiUrl) -> None:
    """Raise `InsecureTarget` unless the URL is HTTPS or points at this machine."""
    if url.scheme == "https" or url.is_loopback:
        return
    raise InsecureTarget(
        f"{url.text} uses plain HTTP on a host that is not this machine; "
        "use the https:// address so the password and cookies are encrypted."
    )


def static_api_url(target: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The api.php URL of a target when it follows from the text alone, else None (pure)."""
    environ = os.environ if environ is None else environ
    text = target.strip()
    if text == "sandbox":
        port = environ.get("GATEBOT_SANDBOX_PORT") or DEFAULT_SANDBOX_PORT
        return f"http://127.0.0.1:{port}/w/api.php"
    family = text.partition(":")[0].lower()
    if "://" not in text and (
        ":" not in text or family in _LANGUAGE_FAMILIES or family in _SINGLE_SITES
    ):
        return _site_name_url(text)
    url = parse_url(text)
    path = url.path
    for entry_point in ("/api.php", "/index.php", "/rest.php"):
        if entry_point in path:
            return url.with_path(f"{path.split(entry_point, 1)[0]}/api.php").text
    legacy = re.match(r"^(/wikis/[^/]+)(/.*)?$", path)
    if url.host == "patchdemo.wmcloud.org" and legacy:
        return url.with_path(f"{legacy.group(1)}/w/api.php").text
    if url.host.endswith(".catalyst.wmcloud.org"):
        return url.with_path("/w/api.php").text
    if path.rstrip("/").endswith("/w"):
        return url.with_path(f"{path.rstrip('/')}/api.php").text
    return None


def _site_name_url(name: str) -> str:
    """`en.wikipedia`, `wikipedia:en`, `meta`, `commons`... -> the Wikimedia api.php URL."""
    lowered = name.lower()
    if ":" in lowered:
        family, _, code = lowered.partition(":")
    elif "." in lowered:
        code, _, family = lowered.partition(".")
    else:
        family, code = lowered, lowered
    if family in _SINGLE_SITES and code in (family, ""):
        return f"https://{_SINGLE_SITES[family]}/w/api.php"
    if family in _LANGUAGE_FAMILIES and _CODE.match(code) and code != family:
        return f"https://{code}.{family}.org/w/api.php"
    raise InputError(
        f"--wiki {name!r} is neither a URL nor a known site name; give the "
        "wiki's https:// api.php URL, a name like en.wikipedia or wikipedia:en, "
        "or 'sandbox'."
    )


def discover_api_url(base_url: str, get: Callable[[str], tuple[int, str]]) -> str:
    """Find api.php below a bare base URL: `<base>/w/api.php`, `<base>/api.php`, then the
    main page's EditURI link. `get(url) -> (status, text)` does the fetching."""
    url = parse_url(base_url)
    require_secure(url)
    base = url.text.rstrip("/")
    for candidate in (f"{base}/w/api.php", f"{base}/api.php"):
        status, text = get(f"{candidate}?action=query&meta=siteinfo&format=json")
        if status == 200 and '"query"' in text:
            return candidate
    status, text = get(base + "/")
    link = _EDIT_URI.search(text or "")
    href = _HREF.search(link.group(0)) if link else None
    if status == 200 and href:
        api = urljoin(base + "/", href.group(1).replace("&amp;", "&")).split("?", 1)[0]
        if api.endswith("api.php"):
            return api
    raise WikiUnreachable(
        f"No MediaWiki API was found at {base_url} (tried /w/api.php, "
        "/api.php and the main page's EditURI link); give the api.php URL."
    )


def resolve_target(
    target: str,
    get: Callable[[str], tuple[int, str]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> WikiTarget:
    """The `WikiTarget` for a `--wiki` value; `get` is used only to discover a base URL."""
    if not target or not target.strip():
        raise InputError("No wiki given; pass --wiki TARGET or set GATEBOT_WIKI.")
    api_url = static_api_url(target, environ)
    if api_url is None:
        if get is None:
            raise InputError(
                f"--wiki {target!r} needs discovery over the network; give the api.php URL instead."
            )
        url = parse_url(target.strip())
        api_url = discover_api_url(
            url.with_path("" if "/wiki/" in url.path else url.path).text, get
        )
    return target_from_api_url(api_url)
