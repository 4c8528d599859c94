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
from urllib.parse import urljoin, urlsplit, urlunsplit

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


def target_from_api_url(api_url: str) -> WikiTarget:
    """The target of a wiki whose api.php URL is known; refuses plain HTTP off loopback."""
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"--wiki {api_url!r} is not a wiki address; give an https:// URL of "
            "the wiki's api.php, its base URL, a site name like en.wikipedia, "
            "or 'sandbox'."
        )
    require_secure(api_url)
    clean = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))
    base = clean[: -len("api.php")]
    digest = hashlib.sha256(f"{parts.netloc.lower()}{parts.path}".encode()).hexdigest()
    return WikiTarget(
        api_url=clean,
        rest_url=base + "rest.php",
        index_url=base + "index.php",
        family_name="gb" + digest[:10],
    )


def require_secure(url: str) -> None:
    """Raise `InsecureTarget` unless the URL is HTTPS or points at this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https" or _is_loopback(parts.hostname or ""):
        return
    raise InsecureTarget(
        f"{url} uses plain HTTP on a host that is not this machine; "
        "use the https:// address so the password and cookies are encrypted."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def static_api_url(target: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The api.php URL of a target when it follows from the text alone, else None (pure)."""
    environ = os.environ if environ is None else environ
    text = target.strip()
    if text == "sandbox":
        port = environ.get("GATEBOT_SANDBOX_PORT") or DEFAULT_SANDBOX_PORT
        return f"http://127.0.0.1:{port}/w/api.php"
    if "://" not in text:
        return _site_name_url(text)
    parts = urlsplit(text)
    path = parts.path
    root = f"{parts.scheme}://{parts.netloc}"
    for entry_point in ("/api.php", "/index.php", "/rest.php"):
        if entry_point in path:
            return f"{root}{path.split(entry_point, 1)[0]}/api.php"
    legacy = re.match(r"^(/wikis/[^/]+)(/.*)?$", path)
    if parts.hostname == "patchdemo.wmcloud.org" and legacy:
        return f"{root}{legacy.group(1)}/w/api.php"
    if (parts.hostname or "").endswith(".catalyst.wmcloud.org"):
        return f"{root}/w/api.php"
    if path.rstrip("/").endswith("/w"):
        return f"{root}{path.rstrip('/')}/api.php"
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
    require_secure(base_url)
    base = base_url.rstrip("/")
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
        parts = urlsplit(target.strip())
        base = (
            f"{parts.scheme}://{parts.netloc}"
            if "/wiki/" in parts.path
            else urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        )
        api_url = discover_api_url(base, get)
    return target_from_api_url(api_url)
