"""A small real HTTP server on 127.0.0.1 for crawler tests.

Routes map a path (optionally with its query) to a :class:`Reply`, bytes, or a function of the
:class:`Request` returning a ``Reply``. GET and POST are served (a POST's body is in
``Request.body``). The server is threaded (HTTP/1.1 keep-alive), records
every request with its headers and arrival time, and tracks how many requests were in flight at
once. A route can delay its answer, stream a chunked body, or answer conditionally.

    with TestServer() as server:
        server.route("/news/", b"<html>...</html>")
        server.route("/robots.txt", Reply(404))
        ... server.url("/news/") ...
        assert server.paths() == ["/robots.txt", "/news/"]
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

__all__ = ["Reply", "Request", "TestServer", "conditional"]


@dataclass(frozen=True)
class Request:
    """A request as the server saw it."""

    method: str
    target: str
    path: str
    headers: dict[str, str]
    at: float
    body: bytes = b""
    """The request body (a POST's form)."""


@dataclass
class Reply:
    """What to answer. ``chunks`` streams a chunked body (``chunk_delay`` between chunks);
    status 0 closes the connection without answering."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: Iterable[bytes] | None = None
    chunk_delay: float = 0.0


Handler = Callable[[Request], Reply]


def conditional(
    body: bytes, *, etag: str, last_modified: str | None = None, **headers: str
) -> Handler:
    """A route answering 304 when the request's validators match, else 200 with validators."""

    def handle(request: Request) -> Reply:
        base = {"ETag": etag, **headers}
        if last_modified:
            base["Last-Modified"] = last_modified
        if request.headers.get("if-none-match") == etag or (
            last_modified and request.headers.get("if-modified-since") == last_modified
        ):
            return Reply(304, headers=base)
        return Reply(200, body, headers=base)

    return handle


class TestServer:
    """Threaded HTTP server with routes, a request log and an in-flight high-water mark."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self)

            def do_POST(self) -> None:
                server._serve(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- setup -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, target: str) -> str:
        return self.origin + target

    def route(self, target: str, answer: Reply | bytes | str | Handler) -> None:
        """Answer ``target`` (a path, or a path with query for an exact match)."""
        if isinstance(answer, str):
            answer = answer.encode("utf-8")
        if isinstance(answer, bytes):
            answer = Reply(200, answer, {"Content-Type": "text/html; charset=utf-8"})
        if isinstance(answer, Reply):
            fixed = answer
            self._routes[target] = lambda _request: fixed
        else:
            self._routes[target] = answer

    def sequence(self, target: str, replies: list[Reply]) -> None:
        """Answer ``target`` with each reply in turn, the last one repeated."""
        remaining = list(replies)

        def handle(_request: Request) -> Reply:
            with self._lock:
                return remaining.pop(0) if len(remaining) > 1 else remaining[0]

        self._routes[target] = handle

    # -- inspection --------------------------------------------------------------------

    def paths(self) -> list[str]:
        """Request targets (path + query) in arrival order."""
        with self._lock:
            return [r.target for r in self.requests]

    def requests_to(self, target: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.target == target]

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- serving -----------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = handler.headers.get("Content-Length", "")
        body = handler.rfile.read(int(length)) if length.isdigit() else b""
        request = Request(
            method=handler.command,
            target=handler.path,
            path=urlsplit(handler.path).path,
            headers={k.lower(): v for k, v in handler.headers.items()},
            at=time.monotonic(),
            body=body,
        )
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            route = self._routes.get(request.target) or self._routes.get(request.path)
            reply = route(request) if route else Reply(404, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status == 0:
                handler.close_connection = True
                return
            self._write(handler, reply)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.in_flight -= 1

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        handler.send_response(reply.status)
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        if reply.chunks is not None:
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for chunk in reply.chunks:
                handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                handler.wfile.flush()
                if reply.chunk_delay:
                    time.sleep(reply.chunk_delay)
            handler.wfile.write(b"0\r\n\r\n")
            return
        if "Content-Length" not in reply.headers:
            handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        if reply.status != 304 and reply.body:
            handler.wfile.write(reply.body)
