"""Transport benchmark against a fresh local MediaWiki, for each backend.

(a) every HTTP request from nothing (no cookies) to the first authenticated REST write,
    counted at the `requests` adapter, so nothing either library sends is missed;
    the goal is login-token + login + userinfo + csrf + the write, nothing else.
(b) requests for N more REST writes on the same session (goal: N; identity is confirmed
    again only when the session cookies change or after IDENTITY_TTL);
(c) the client's own overhead per Action API call: median of `api_get(meta=siteinfo)`
    through the client minus the median of the same raw `requests` call on the backend's own
    session (goal: at most 2 ms).

Run from the repository root: `.venv/bin/python -m bench.transport [--calls N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from bot.wiki import BACKEND_NAMES, BotPassword, WikiClient, connect
from bot.wiki.mwclient_backend import MwclientClient
from bot.wiki.pywikibot_backend import PywikibotClient
from tests.mediawiki import LocalMediaWiki, missing_reason

SITEINFO = {"action": "query", "meta": "siteinfo", "format": "json", "formatversion": "2"}
OVERHEAD_GOAL_MS = 2.0


@contextmanager
def recorded_requests() -> Iterator[list[str]]:
    """Record `METHOD path what` for every request any `requests` session sends."""
    seen: list[str] = []
    original_send = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        seen.append(describe(request))
        return original_send(adapter, request, **kwargs)

    HTTPAdapter.send = send  # type: ignore[method-assign,assignment]
    try:
        yield seen
    finally:
        HTTPAdapter.send = original_send  # type: ignore[method-assign]


def describe(request: requests.PreparedRequest) -> str:
    """`POST api.php action=login` style: the path and the parameters that name the call."""
    url = urlsplit(request.url or "")
    params = dict(parse_qsl(url.query))
    if isinstance(request.body, str | bytes) and "json" not in request.headers.get(
        "Content-Type", ""
    ):
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        params.update(parse_qsl(body))
    naming = [f"{key}={params[key]}" for key in ("action", "meta", "type") if key in params]
    return f"{request.method} {url.path.lstrip('/').split('/v1/')[0]} {' '.join(naming)}".strip()


def requests_for_rest_writes(
    wiki: LocalMediaWiki, backend: str, more: int
) -> tuple[list[str], list[str]]:
    """The requests of connect() and one REST page creation from an empty state folder,
    then those of `more` page creations on the same session."""
    with tempfile.TemporaryDirectory() as state, recorded_requests() as seen:
        client = connect(
            wiki.wiki.api_url,
            backend=backend,
            credentials=BotPassword(*wiki.admin),
            state_dir=Path(state),
        )
        create_page(client)
        first = list(seen)
        for _ in range(more):
            create_page(client)
        client.close()
    return first, seen[len(first) :]


def create_page(client: WikiClient) -> None:
    title = f"Bench_{uuid.uuid4().hex[:10]}"
    client.rest("PUT", f"/v1/page/{title}", json={"source": "bench", "comment": "bench"})


def median_ms(call: Callable[[], Any], calls: int) -> float:
    timings = []
    for _ in range(calls):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def raw_call(client: WikiClient, api_url: str) -> Callable[[], Any]:
    """The same siteinfo GET sent straight on the session (and cookies) the backend uses."""
    if isinstance(client, MwclientClient):
        session = client.site.connection
    else:
        assert isinstance(client, PywikibotClient)
        session = client.session
    return lambda: session.get(api_url, params=SITEINFO, timeout=10).json()


def overhead_ms(wiki: LocalMediaWiki, backend: str, calls: int) -> tuple[float, float]:
    """(client median, raw median) in ms for meta=siteinfo, measured alternately in rounds."""
    with tempfile.TemporaryDirectory() as state:
        client = connect(
            wiki.wiki.api_url,
            backend=backend,
            credentials=BotPassword(*wiki.admin),
            state_dir=Path(state),
        )
        raw = raw_call(client, wiki.wiki.api_url)

        def through_client() -> Any:
            return client.api_get({"action": "query", "meta": "siteinfo"})

        through_client(), raw()  # warm both paths
        rounds, per_round = 10, max(1, calls // 10)
        client_medians, raw_medians = [], []
        for _ in range(rounds):
            client_medians.append(median_ms(through_client, per_round))
            raw_medians.append(median_ms(raw, per_round))
        client.close()
    return statistics.median(client_medians), statistics.median(raw_medians)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="siteinfo calls per path")
    parser.add_argument("--writes", type=int, default=20, help="REST writes after the first")
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        print(f"cannot benchmark: {reason}", file=sys.stderr)
        return 2
    with LocalMediaWiki() as wiki:
        print(f"local MediaWiki ready in {wiki.startup_seconds:.2f} s at {wiki.base_url}\n")
        rows = []
        for backend in BACKEND_NAMES:
            seen, more = requests_for_rest_writes(wiki, backend, args.writes)
            client_ms, raw_ms = overhead_ms(wiki, backend, args.calls)
            rows.append((backend, seen, more, client_ms, raw_ms))
        print(
            f"| backend | requests to 1st REST write | requests for {args.writes} more "
            "| client ms | raw ms | overhead ms |"
        )
        print("|---|---|---|---|---|---|")
        for backend, seen, more, client_ms, raw_ms in rows:
            over = client_ms - raw_ms
            mark = "ok" if over <= OVERHEAD_GOAL_MS else f"over {OVERHEAD_GOAL_MS} ms goal"
            cells = [backend, str(len(seen)), str(len(more)), f"{client_ms:.2f}", f"{raw_ms:.2f}"]
            print(f"| {' | '.join(cells)} | {over:+.2f} ({mark}) |")
        for backend, seen, _, _, _ in rows:
            print(f"\n{backend}: requests from nothing to the first REST write")
            for n, line in enumerate(seen, 1):
                print(f"  {n}. {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
