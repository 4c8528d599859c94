"""The sandbox's HTTP server: standard-library ThreadingHTTPServer, HTTP/1.1 keep-alive, 127.0.0.1.

`serve()` starts it in a background thread and returns a `SandboxServer` handle, so tests, the
`gatebot sandbox` command and a later `gatebot demo` all run the same wiki in-process.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bot.hangups import QuietHangups
from bot.sandbox import action_api, rest, thumbnails
from bot.sandbox import campaignevents_participants as _participants  # noqa: F401 - routes
from bot.sandbox import core_modules as _core_modules  # noqa: F401 - edit, login, options
from bot.sandbox import growth_api as _growth_api  # noqa: F401 - registers the Growth modules
from bot.sandbox import paraminfo_core as _paraminfo_core  # noqa: F401 - core paraminfo
from bot.sandbox import query as _query  # noqa: F401 - registers the query modules
from bot.sandbox import query_log as _query_log  # noqa: F401 - registers list=logevents
from bot.sandbox import query_templates as _query_templates  # noqa: F401 - prop=templates
from bot.sandbox import query_users as _query_users  # noqa: F401 - registers list=users
from bot.sandbox import visualeditor as _visualeditor  # noqa: F401 - registers visualeditoredit
from bot.sandbox.config import SandboxConfig, load_config
from bot.sandbox.seed import seed
from bot.sandbox.store import Store
from bot.sandbox.web import Request, Response, json_response
from bot.sandbox.wiki import Clock, RequestTally, SandboxWiki

HOST = "127.0.0.1"
LOG = logging.getLogger(__name__)
MAX_BODY = 16 * 1024 * 1024


def dispatch(wiki: SandboxWiki, request: Request) -> tuple[Response, bool]:
    """Route one request; the flag says whether it wrote something (for fault injection)."""
    faults = wiki.config.faults
    if faults.error_rate and wiki.random.random() < faults.error_rate:
        status = wiki.random.choice(faults.error_statuses)
        wiki.requests.count(f"{status} fault")
        return Response(
            status=status,
            body=f"{HTTPStatus(status).phrase}\n".encode(),
            headers=[("Retry-After", str(faults.retry_after))],
            content_type="text/plain; charset=utf-8",
        ), False
    try:
        if request.path == "/w/api.php":
            return action_api.handle(wiki, request)
        if request.path.startswith("/w/rest.php/"):
            return rest.handle(wiki, request, request.path[len("/w/rest.php") :])
        if request.path.startswith(thumbnails.PREFIX):
            return thumbnails.handle(request), False
    except Exception as error:  # any bug: answered as MediaWiki answers its own internal errors
        return _internal_error(request, error), False
    wiki.requests.count("unrouted")
    return Response(
        status=404,
        body=b"Not found: the sandbox serves /w/api.php, /w/rest.php and /w/images/ only.\n",
        content_type="text/plain; charset=utf-8",
    ), False


def after_write(wiki: SandboxWiki, response: Response) -> Response:
    """The answer to a write the wiki applied, or the fault that loses it: the connection
    dropped, or HTTP 500 (a fatal error after the commit)."""
    faults = wiki.config.faults
    if faults.drop_after_write_rate and wiki.random.random() < faults.drop_after_write_rate:
        response.drop = True
        wiki.requests.count("drop fault")
    elif faults.error_after_write_rate and wiki.random.random() < faults.error_after_write_rate:
        wiki.requests.count("500 after write fault")
        return Response(
            status=500,
            body=f"{HTTPStatus.INTERNAL_SERVER_ERROR.phrase}\n".encode(),
            content_type="text/plain; charset=utf-8",
        )
    return response


def _internal_error(request: Request, error: Exception) -> Response:
    """A bug in the sandbox answers as MediaWiki does (and is logged), not as a dropped link."""
    request_id = secrets.token_hex(10)
    kind = type(error).__name__
    LOG.exception("sandbox request %s %s failed [%s]", request.method, request.path, request_id)
    if request.path == "/w/api.php":
        code = f"internal_api_error_{kind}"
        body = {
            "error": {
                "code": code,
                "info": f"[{request_id}] Caught exception of type {kind}",
                "errorclass": kind,
            },
            "servedby": "sandbox",
        }
        return json_response(body, headers=[("MediaWiki-API-Error", code)])
    return json_response(
        {
            "message": f"Error: exception of type {kind}",
            "httpCode": 500,
            "httpReason": "Internal Server Error",
        },
        status=500,
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per answer (the base class flushes after each request) instead of
    # one for the headers and one for the body; no Nagle delay on keep-alive connections.
    wbufsize = -1
    disable_nagle_algorithm = True
    server_version = "GatebotSandbox/1.0"
    wiki: SandboxWiki  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the sandbox is a test double, not a web server people read logs of."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = body_length(self.headers.get_all("Content-Length") or [])
        if length is None:
            # The framing is unknown, so no later request on this connection can be read.
            self.send_error(400, "Bad Request", "Content-Length is not a number of bytes.")
            return
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=headers,
            body=body,
            cookies=_cookies(headers.get("cookie")),
        )
        if request.content_type == "application/x-www-form-urlencoded":
            request.form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        response, wrote = dispatch(self.wiki, request)
        if wrote:
            response = after_write(self.wiki, response)
        if self.wiki.config.latency_ms:
            time.sleep(self.wiki.config.latency_ms / 1000)
        if response.drop:
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.body or response.status != 204:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve


def body_length(values: list[str]) -> int | None:
    """The body's length from its Content-Length headers (0 when there is none), as HTTP servers
    read it: ASCII digits, one value; None (answered 400, as Apache does) for `abc`, `-1`, `1.5`
    or two different lengths."""
    lengths = {value.strip() for value in values}
    if not lengths:
        return 0
    if len(lengths) > 1:
        return None
    text = lengths.pop()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _cookies(header: str | None) -> dict[str, str]:
    """`name=value; name2=value2` pairs (clients send no quoting or attributes here)."""
    if not header:
        return {}
    pairs = (part.strip().partition("=") for part in header.split(";"))
    return {name: value.strip('"') for name, sep, value in pairs if sep and name}


class _Server(QuietHangups, ThreadingHTTPServer):
    """Remembers open connections so that stopping also hangs up on keep-alive clients (such
    as pywikibot's one session per process), whose handler threads would otherwise linger."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler]):
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def hang_up(self) -> None:
        """End every open connection; their handler threads then see EOF and finish."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@dataclass
class SandboxServer:
    """A running sandbox wiki: its URLs, its state (`wiki`) and `stop()`."""

    wiki: SandboxWiki
    httpd: _Server
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def requests(self) -> RequestTally:
        """The requests answered so far, per kind (see `RequestTally`)."""
        return self.wiki.requests

    @property
    def base_url(self) -> str:
        return self.wiki.server

    @property
    def api_url(self) -> str:
        return self.wiki.api_url

    @property
    def rest_url(self) -> str:
        return self.wiki.rest_url

    def stop(self) -> None:
        """Stop serving, hang up on open connections, close the socket and the database."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.hang_up()
        self.thread.join(timeout=5)
        self.wiki.store.close()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    config: SandboxConfig | None = None,
    port: int = 0,
    data_dir: Path | None = None,
    *,
    clock: Clock | None = None,
    with_seed: bool = True,
) -> SandboxServer:
    """Start a sandbox wiki on 127.0.0.1:`port` (0 = any free port) in a background thread.

    State lives in `data_dir/sandbox.sqlite` (kept between runs) or in memory. Raises OSError
    when the port is taken. `clock` replaces the wall clock (tests move the day with it).
    """
    config = config or load_config()
    wiki = SandboxWiki(config, Store(data_dir), clock)
    handler = type("SandboxHandler", (_Handler,), {"wiki": wiki})
    try:
        httpd = _Server((HOST, port), handler)
    except OSError:
        wiki.store.close()
        raise
    wiki.set_server(HOST, httpd.server_address[1])
    if with_seed:
        seed(wiki)
    thread = threading.Thread(target=httpd.serve_forever, name="gatebot-sandbox", daemon=True)
    thread.start()
    return SandboxServer(wiki, httpd, thread)
