"""Both backends over real loopback HTTP: the client's timeout holds, two wikis are served at
the same time, and one wiki still gets one request at a time."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.wiki import RetryPolicy, WikiClient, WikiUnreachable, backend_class, resolve_target

SITEINFO = {"action": "query", "meta": "siteinfo"}


class Wiki:
    """An api.php on 127.0.0.1. Each answer waits `hang` seconds, then for `partner` to have
    a request in flight too (up to 2 s; `met` says whether it had), then `hold` seconds;
    `most_in_flight` is the most requests it was ever answering at once."""

    def __init__(self, hang: float = 0.0, hold: float = 0.0):
        self.partner: Wiki | None = None
        self.hang, self.hold = hang, hold
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.in_flight = self.most_in_flight = 0
        self._count = threading.Lock()
        wiki = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(wiki.answer()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/w/api.php"

    def answer(self) -> dict:
        with self._count:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.arrived.set()
        try:
            self.released.wait(self.hang)
            met = self.partner.arrived.wait(2.0) if self.partner else None
            self.released.wait(self.hold)
        finally:
            with self._count:
                self.in_flight -= 1
        return {"query": {"met": met}}

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_wiki() -> Iterator:
    wikis: list[Wiki] = []

    def make(**options: float) -> Wiki:
        wikis.append(Wiki(**options))
        return wikis[-1]

    yield make
    for wiki in wikis:
        wiki.stop()


def client_for(backend: str, wiki: Wiki, tmp_path: Path, **options) -> WikiClient:
    target = resolve_target(wiki.api_url, environ={})
    return backend_class(backend)(
        target,
        credentials=None,
        state_dir=tmp_path,
        retry_policy=RetryPolicy(attempts=1),
        **options,
    )


def in_parallel(*calls) -> list:
    results: list = [None] * len(calls)

    def run(n: int) -> None:
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_a_wiki_that_does_not_answer_fails_after_the_clients_timeout(backend, make_wiki, tmp_path):
    wiki = make_wiki(hang=5.0)
    client = client_for(backend, wiki, tmp_path, timeout=(2.0, 0.5))
    began = time.monotonic()
    with pytest.raises(WikiUnreachable) as caught:
        client.api_get(SITEINFO)
    assert time.monotonic() - began < 3.0
    assert "ReadTimeout" in str(caught.value)


def test_two_wikis_are_served_at_the_same_time(backend, make_wiki, tmp_path):
    one, two = make_wiki(), make_wiki()
    one.partner, two.partner = two, one
    clients = [
        client_for(backend, w, tmp_path / str(n), timeout=(2, 5)) for n, w in enumerate((one, two))
    ]
    answers = in_parallel(*(lambda c=c: c.api_get(SITEINFO) for c in clients))
    assert [answer["query"]["met"] for answer in answers] == [True, True]


def test_one_wiki_gets_one_request_at_a_time(backend, make_wiki, tmp_path):
    wiki = make_wiki(hold=0.3)
    clients = [client_for(backend, wiki, tmp_path / str(n), timeout=(2, 5)) for n in range(2)]
    answers = in_parallel(*(lambda c=c: c.api_get(SITEINFO) for c in clients))
    assert [answer["query"]["met"] for answer in answers] == [None, None]
    assert wiki.most_in_flight == 1
