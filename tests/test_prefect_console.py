"""What the CLI sets up for Prefect: its console log only with --verbose, a stale API found fast."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pressroom.prefect_env import api_problem, configure_prefect

CONSOLE = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Every variable configure_prefect may write is restored after the test."""
    for key in (CONSOLE, "PREFECT_LOGGING_LEVEL", "PREFECT_API_URL"):
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return monkeypatch


def test_prefect_console_log_is_off_by_default(env: pytest.MonkeyPatch) -> None:
    configure_prefect()
    assert os.environ[CONSOLE] == "CRITICAL"


def test_verbose_turns_prefect_console_log_on_at_info(env: pytest.MonkeyPatch) -> None:
    configure_prefect(verbose=True)
    assert os.environ[CONSOLE] == "0"
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "INFO"


def test_a_level_the_user_chose_wins(env: pytest.MonkeyPatch) -> None:
    env.setenv(CONSOLE, "WARNING")
    env.setenv("PREFECT_LOGGING_LEVEL", "DEBUG")
    configure_prefect()
    assert os.environ[CONSOLE] == "WARNING"
    configure_prefect(verbose=True)
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "DEBUG"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_api_url_is_no_problem(env: pytest.MonkeyPatch) -> None:
    assert api_problem() is None


def test_an_api_url_where_nothing_listens_is_one_message_at_once(
    env: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    env.setenv("PREFECT_API_URL", url)
    started = time.monotonic()
    problem = api_problem()
    assert time.monotonic() - started < 2
    assert problem is not None
    assert problem.startswith(f"PREFECT_API_URL={url} does not answer (ConnectError")
    assert "\n" not in problem


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def answering_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def test_any_http_answer_counts_as_alive(env: pytest.MonkeyPatch, answering_url: str) -> None:
    env.setenv("PREFECT_API_URL", answering_url)  # e.g. Prefect Cloud answering 401 or 404
    assert api_problem() is None
