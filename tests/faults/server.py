"""A loopback HTTP server whose routes misbehave on purpose, at the socket level.

``tests/crawler/server.py`` answers with well-formed replies; the faults here need the raw
socket: a TCP reset (SO_LINGER 0), a body shorter than its Content-Length, headers that never
come in time. Each route is a function of the request handler that writes whatever it likes.

    with FaultServer() as server:
        server.route("/ok.html", page(b"<html>...</html>"))
        server.route("/reset.html", reset)
        ... server.url("/reset.html") ...
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

__all__ = [
    "FaultServer",
    "Route",
    "chunked",
    "drip",
    "page",
    "redirect",
    "reset",
    "slow_headers",
    "truncated",
]

Route = Callable[[BaseHTTPRequestHandler], None]


def page(
    body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8", **extra: str
) -> Route:
    """A complete, well-formed answer."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for key, value in extra.items():
            handler.send_header(key.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def reset(handler: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP RST before answering (connection reset by peer)."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def truncated(body: bytes, declared: int) -> Route:
    """Announce ``declared`` bytes, send ``body`` (fewer), then close."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True

    return answer


def slow_headers(delay: float, then: Route) -> Route:
    """Say nothing for ``delay`` seconds, then answer as ``then`` would."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        then(handler)

    return answer


def chunked(chunks: list[bytes]) -> Route:
    """A chunked body with no Content-Length (a size cap must be enforced while streaming)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for chunk in chunks:
            handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    return answer


def drip(interval: float, declared: int = 100_000) -> Route:
    """Headers at once, then one body byte every ``interval`` seconds (never a read timeout)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        for _ in range(declared):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(interval)

    return answer


def redirect(location: str, status: int = 302) -> Route:
    """A redirect to ``location`` (absolute or relative)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets and closed sockets are the point here


class FaultServer:
    """Threaded HTTP/1.1 server on 127.0.0.1 with raw routes and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server._lock:
                    server.requests.append(path)
                route = server.routes.get(path) or page(b"not found", 404, "text/plain")
                try:
                    route(self)
                except OSError:
                    self.close_connection = True

        self._httpd = _Quiet(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, answer: Route) -> None:
        self.routes[path] = answer

    def count(self, path: str) -> int:
        with self._lock:
            return self.requests.count(path)

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
