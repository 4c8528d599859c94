"""Sandbox wiki throughput on loopback, served in-process as `gatebot sandbox` serves it.

(a) GET requests/s over one keep-alive connection: `meta=siteinfo` and the REST GET of an
    event (goal: at least 500/s each on a 2-core machine), through `requests` (what gatebot
    uses; the client itself tops out near 650/s here) and through bare `http.client` (what the
    server can do); also four `requests` sessions in parallel;
(b) event registrations created per second through REST POST (params, token, EventFactory);
(c) resident memory (RSS) of the server process once 10,000 events are stored.
The server runs in a child process, as `gatebot sandbox` does, so the client does not share
its interpreter lock.

Run from the repository root: `.venv/bin/python -m bench.sandbox [--requests N]`.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

from bot.sandbox.seed import create_page
from bot.sandbox.server import serve

TIMEOUT = 10


def rss_mb() -> float:
    """Current resident set size in MiB (Linux /proc), else the peak from getrusage."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Remote:
    """The child process's sandbox as the client sees it: URLs and a command pipe."""

    api_url: str
    rest_url: str
    pipe: Connection

    def ask(self, *command: object) -> object:
        self.pipe.send(command)
        return self.pipe.recv()


def serve_in_child(pipe: Connection) -> None:
    """Child process: serve, then answer commands (pages, fill, count, rss) until stop."""
    server = serve()
    store = server.wiki.store
    pipe.send((server.api_url, server.rest_url))
    while True:
        command, *args = pipe.recv()
        if command == "pages":
            for page in args[0]:
                create_page(server.wiki, page, "Organizer", "A benchmark event.")
            pipe.send(None)
        elif command == "fill":
            template, _deleted = store.event(1)
            for n in range(store.event_count(), args[0]):
                store.create_event({**template, "event_page": f"Event:Stored {n}"}, 2)
            pipe.send(store.event_count())
        elif command == "rss":
            pipe.send(rss_mb())
        else:
            server.stop()
            pipe.send(None)
            return


def login(server: Remote, name: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    params = {"format": "json", "formatversion": "2"}
    token = session.get(
        server.api_url,
        params={**params, "action": "query", "meta": "tokens", "type": "login"},
        timeout=TIMEOUT,
    ).json()
    session.post(
        server.api_url,
        timeout=TIMEOUT,
        data={
            **params,
            "action": "login",
            "lgname": f"{name}@gatebot",
            "lgpassword": "sandbox",
            "lgtoken": token["query"]["tokens"]["logintoken"],
        },
    )
    csrf = session.get(
        server.api_url, params={**params, "action": "query", "meta": "tokens"}, timeout=TIMEOUT
    ).json()["query"]["tokens"]["csrftoken"]
    return session, csrf


def gets_per_second(session: requests.Session, url: str, params: dict, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        session.get(url, params=params, timeout=TIMEOUT).raise_for_status()
    return count / (time.perf_counter() - start)


def raw_gets_per_second(url: str, params: dict, count: int, cookies: str) -> float:
    """The same GETs over bare http.client, so the figure is the server's, not the client's."""
    parts = urlsplit(f"{url}?{urlencode(params)}" if params else url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    start = time.perf_counter()
    for _ in range(count):
        connection.request("GET", target, headers={"Cookie": cookies})
        connection.getresponse().read()
    elapsed = time.perf_counter() - start
    connection.close()
    return count / elapsed


def parallel_gets_per_second(url: str, params: dict, count: int, workers: int = 4) -> float:
    sessions = [requests.Session() for _ in range(workers)]
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda s: gets_per_second(s, url, params, count // workers), sessions))
    return (count // workers * workers) / (time.perf_counter() - start)


def creates_per_second(server: Remote, count: int) -> float:
    session, csrf = login(server, "Organizer")
    start_day = (datetime.now(timezone.utc) + timedelta(days=90)).strftime("%Y%m%d")
    pages = [f"Event:Bench {n}" for n in range(count)]
    server.ask("pages", pages)
    url = f"{server.rest_url}/campaignevents/v0/event_registration"
    body = {
        "timezone": "Europe/Berlin",
        "start_time": f"{start_day}090000",
        "end_time": f"{start_day}170000",
        "types": ["editing-event"],
        "wikis": ["sandboxwiki"],
        "online_meeting": True,
        "tracks_contributions": True,
        "token": csrf,
    }
    start = time.perf_counter()
    for page in pages:
        session.post(url, json={**body, "event_page": page}, timeout=TIMEOUT).raise_for_status()
    return count / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="GETs per measurement")
    parser.add_argument("--creates", type=int, default=500, help="events created over REST")
    parser.add_argument("--events", type=int, default=10_000, help="events stored for RSS")
    args = parser.parse_args()
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve_in_child, args=(child,), daemon=True)
    process.start()
    api_url, rest_url = parent.recv()
    server = Remote(api_url, rest_url, parent)
    try:
        figures = {"RSS of the fresh sandbox (MiB)": server.ask("rss")}
        session, _ = login(server, "Admin")
        siteinfo = {"action": "query", "meta": "siteinfo", "format": "json", "formatversion": "2"}
        event_url = f"{server.rest_url}/campaignevents/v0/event_registration/1"
        gets_per_second(session, server.api_url, siteinfo, 100)  # warm-up
        cookies = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
        figures.update({
            "GET meta=siteinfo, requests keep-alive session (req/s)":
                gets_per_second(session, server.api_url, siteinfo, args.requests),
            "GET REST event, requests keep-alive session (req/s)":
                gets_per_second(session, event_url, {}, args.requests),
            "GET meta=siteinfo, bare http.client, logged in (req/s)":
                raw_gets_per_second(server.api_url, siteinfo, args.requests, cookies),
            "GET REST event, bare http.client, logged in (req/s)":
                raw_gets_per_second(event_url, {}, args.requests, cookies),
            "GET meta=siteinfo, 4 sessions in parallel (req/s)":
                parallel_gets_per_second(server.api_url, siteinfo, args.requests),
            "POST REST event registration (creates/s)": creates_per_second(server,
                                                                           args.creates),
        })  # fmt: skip
        stored = server.ask("fill", args.events)
        figures[f"RSS with {stored:,} events stored (MiB)"] = server.ask("rss")
    finally:
        server.ask("stop")
        process.join(timeout=10)
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
