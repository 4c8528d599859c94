"""Is this a wiki where a checklist may write test data without asking? Loopback (the sandbox, a
local MediaWiki), Patch Demo (`patchdemo.wmcloud.org/wikis/…`, `*.catalyst.wmcloud.org`) and the
`test.` wikis (test.wikipedia.org); anywhere else the tester must say `--yes`."""

from __future__ import annotations

from bot.wiki.targets import parse_url
from policies.errors import InputError

PATCHDEMO_HOST = "patchdemo.wmcloud.org"
CATALYST_SUFFIX = ".catalyst.wmcloud.org"


def kind_of_wiki(api_url: str) -> str | None:
    """What kind of test wiki `api_url` is ("loopback", "Patch Demo", "a test. wiki"), or None."""
    url = parse_url(api_url)
    host = url.host.lower()
    if url.is_loopback:
        return "loopback"
    if host == PATCHDEMO_HOST and url.path.startswith("/wikis/"):
        return "Patch Demo"
    if host.endswith(CATALYST_SUFFIX):
        return "Patch Demo (Catalyst)"
    if host.split(".")[0] == "test" and host.count(".") >= 2:
        return "a test. wiki"
    return None


def require_test_wiki(api_url: str, writes: str, *, yes: bool) -> str | None:
    """Refuse (exit status 2) to write on a wiki that is not a test wiki unless `yes`; returns
    the kind of test wiki, or None when `yes` let a real wiki through."""
    kind = kind_of_wiki(api_url)
    if kind is None and not yes:
        raise InputError(
            f"{api_url} is not a test wiki (not loopback, Patch Demo or a test. wiki such as "
            f"test.wikipedia.org), and this checklist {writes} there as you; run it on a test "
            "wiki, or add --yes if you mean to write test data on this one."
        )
    return kind
