"""The review page's HTTP server: standard-library ThreadingHTTPServer on 127.0.0.1.

Routes: `GET /?token=…` (the page), `GET /static/<file>?token=…` (its script and style, from a
fixed list: no directory listing), `GET /api/state` and `POST /api/answer` (token in the
`X-Gatebot-Token` header). Every request is checked by the `Guard` before anything else is
looked at; a refusal is a bare 403 whatever the path.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from bot.hangups import QuietHangups
from bot.review.security import HOST, Guard, new_token, security_headers

MAX_BODY = 64 * 1024
STATIC = {
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
FORBIDDEN = b"Forbidden.\n"


class Desk(Protocol):
    """What the page talks to: the session's state, and answers posted for its suggestion."""

    def state(self) -> dict[str, Any]: ...

    def answer(self, payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]: ...


def _static(name: str) -> bytes:
    return resources.files("bot.review").joinpath("static").joinpath(name).read_bytes()


@dataclass
class Reply:
    """One answer to send: status, content type and body."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_reply(status: int, data: Any) -> Reply:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Reply(status, body, "application/json; charset=utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    app: ReviewApp  # set on the subclass made per server

    def version_string(self) -> str:
        return "gatebot-review"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the session, not an access log (which would hold tokens)."""

    def _serve(self) -> None:
        with self.app.busy():
            headers = {name.lower(): value for name, value in self.headers.items()}
            length = self.headers.get("Content-Length", "0").strip()
            framed = length.isascii() and length.isdigit() and "transfer-encoding" not in headers
            if not framed or int(length) > MAX_BODY:
                self.close_connection = True
                self._send(Reply(413 if framed else 400, b"Bad request body.\n"))
                return
            body = self.rfile.read(int(length)) if int(length) else b""
            self._send(self.app.handle(self.command, self.path, headers, body))

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in (*security_headers(self.app.images), *reply.headers):
            self.send_header(name, value)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve


class ReviewApp:
    """Routing and checks, apart from the socket (one instance per server)."""

    def __init__(self, desk: Desk, guard: Guard, images: tuple[str, ...]):
        self.desk = desk
        self.guard = guard
        self.images = images
        self._page = _static("index.html").decode("utf-8")
        self._active = 0
        self._idle = threading.Condition()

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Count a request being answered, so that stopping lets it finish."""
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> None:
        """Wait until no request is being answered (at most `timeout` seconds)."""
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0, timeout=timeout)

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """The reply to one request; nothing is read or run before the guard agrees."""
        parts = urlsplit(target)
        tokens = parse_qs(parts.query).get("token") or []
        query_token = tokens[0] if len(tokens) == 1 else None
        if method == "POST":
            if not self.guard.may_write(headers):
                return Reply(403, FORBIDDEN)
        elif not self.guard.may_read(headers, query_token):
            return Reply(403, FORBIDDEN)
        path = parts.path
        if path == "/api/answer":
            if method == "POST":
                return self._answer(body)
            return Reply(405, b"Method not allowed.\n", headers=[("Allow", "POST")])
        if method not in ("GET", "HEAD"):
            return Reply(405, b"Method not allowed.\n", headers=[("Allow", "GET, HEAD")])
        if path == "/":
            page = self._page.replace("{{token}}", self.guard.token)
            return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8")
        if path == "/api/state":
            return json_reply(200, self.desk.state())
        name = path.removeprefix("/static/")
        if path.startswith("/static/") and name in STATIC:
            return Reply(200, _static(name), STATIC[name])
        return Reply(404, b"Not found.\n")

    def _answer(self, body: bytes) -> Reply:
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return json_reply(400, {"error": "The answer is not JSON."})
        if not isinstance(payload, dict):
            return json_reply(400, {"error": "The answer is not a JSON object."})
        status, data = self.desk.answer(payload)
        return json_reply(status, data)


class _Server(QuietHangups, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


class ReviewServer:
    """The page served on 127.0.0.1:`port` (0: a free one) in a background thread."""

    def __init__(self, desk: Desk, *, images: tuple[str, ...], port: int = 0):
        handler: type[_Handler] = type("ReviewHandler", (_Handler,), {})
        self.httpd = _Server((HOST, port), handler)
        self.guard = Guard(new_token(), self.httpd.server_address[1])
        self.app = handler.app = ReviewApp(desk, self.guard, images)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="gatebot-review", daemon=True
        )

    @property
    def port(self) -> int:
        return self.guard.port

    @property
    def url(self) -> str:
        """The one link that opens the page (it holds the token)."""
        return f"{self.guard.origin}/?token={self.guard.token}"

    def start(self) -> ReviewServer:
        self.thread.start()
        return self

    def stop(self, grace: float = 5.0) -> None:
        """Stop accepting requests, let those under way be answered, close the socket."""
        self.httpd.shutdown()
        self.app.wait_idle(grace)
        self.httpd.server_close()
        self.thread.join(timeout=grace)

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
