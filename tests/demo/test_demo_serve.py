"""Issue 15 item 3: ``pressroom demo --serve`` keeps the demo newsroom answering on its fixed
ports after the load, every command it prints works as printed, and Ctrl-C ends it cleanly.

The command runs as a real subprocess (``python -m pressroom``, its own temporary Prefect API),
as a person would start it; the test talks to it over HTTP and through the printed commands.
"""

from __future__ import annotations

import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from pressroom.demo import cityhall as cityhall_site
from pressroom.demo import hightech as hightech_site

pytestmark = pytest.mark.prefect

LOADED_WITHIN = 240.0  # seconds: a first Prefect start on a busy 2-core machine


def _two_free_ports() -> int:
    """A port P with P and P + 1 free on 127.0.0.1 (--port takes both)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            if port > 65000:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    raise RuntimeError("no two free ports in a row")


def _lines(stream, out: queue.Queue[str]) -> None:
    for line in stream:
        out.put(line.rstrip("\n"))
    out.put("<eof>")


def _read_until(lines: queue.Queue[str], marker: str, seen: list[str]) -> None:
    deadline = time.monotonic() + LOADED_WITHIN
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if marker in line or line == "<eof>":
            return
    raise AssertionError("no line with " + marker + " in:\n" + "\n".join(seen))


def test_demo_serve_answers_on_its_ports_until_ctrl_c(tmp_path: Path) -> None:
    port = _two_free_ports()
    folder = tmp_path / "demo"
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "demo", "--serve", "--port", str(port),
         "--dir", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _read_until(lines, "until Ctrl-C", seen)
        assert process.poll() is None, "\n".join(seen)
        output = "\n".join(seen)
        assert f"http://127.0.0.1:{port}" in output and f"http://127.0.0.1:{port + 1}" in output

        # the listing pages answer on the fixed ports after the load
        hightech = httpx.get(f"http://127.0.0.1:{port}{hightech_site.listing_path(0)}", timeout=10)
        assert hightech.status_code == 200 and "news-list" in hightech.text
        cityhall = httpx.get(
            f"http://127.0.0.1:{port + 1}{cityhall_site.listing_path(0)}", timeout=10
        )
        assert cityhall.status_code == 200 and "newsItem" in cityhall.text

        # the printed commands work as printed (no network, no Prefect: sql and check-source)
        printed = [line.strip() for line in seen if line.startswith("  ") and "--config" in line]
        assert len(printed) >= 3, output
        runnable = [c for c in printed if " sql " in c or " check-source " in c]
        for command in runnable:
            assert Path(shlex.split(command)[0]).is_file(), command  # not a bare `pressroom`
            done = subprocess.run(
                command, shell=True, capture_output=True, text=True, timeout=120,
                cwd=Path(__file__).resolve().parents[2],
            )  # fmt: skip
            assert done.returncode == 0, (command, done.stdout, done.stderr)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    # generous: under a loaded CI machine the temporary Prefect API takes long to stop
    assert process.wait(timeout=180) == 0, "\n".join(seen)
    _read_until(lines, "<eof>", seen)
    assert "demo newsroom stopped" in seen
    with pytest.raises(httpx.ConnectError):  # the ports are released
        httpx.get(f"http://127.0.0.1:{port}{hightech_site.listing_path(0)}", timeout=5)
