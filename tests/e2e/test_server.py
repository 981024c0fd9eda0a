"""Issue 15 item 1: ``pressroom server start|status|stop|env`` with a real Prefect server.

The commands run as a user runs them (subprocesses of the installed ``pressroom``), each test in
a private PREFECT_HOME with no PREFECT_API_URL, on a free port (another Prefect may hold 4200).
One test starts a real server (~10-20 s: a new database is migrated) and walks the whole life
of it; the others need no server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pressroom.cli import main
from pressroom.demo import DemoNewsroom, write_demo_config

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def home_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a user with a fresh PREFECT_HOME; stops whatever server is left."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    yield env
    pressroom(env, "server", "stop")  # a failing test leaves no server behind


def pressroom(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "pressroom"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _gone(pid: int) -> bool:
    """No process runs as ``pid`` (a zombie left for a container's init counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def _serve_until_registered(env: dict[str, str], config: Path, api: str, log: Path) -> str:
    """``pressroom serve`` until backfill/pressroom is on the server at ``api``; its output."""

    def registered() -> bool:
        body = {"deployments": {"name": {"any_": ["pressroom"]}}}
        return bool(httpx.post(f"{api}/deployments/filter", json=body, timeout=10).json())

    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "pressroom"), "--config", str(config), "serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while not registered():
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return log.read_text(encoding="utf-8", errors="replace")


def _write_state(env: dict[str, str], pid: int, port: int) -> Path:
    state = Path(env["PREFECT_HOME"]) / "pressroom-server.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "pid": pid,
        "host": "127.0.0.1",
        "port": port,
        "started_at": "2026-01-01T00:00:00+00:00",
        "log": "x",
    }
    state.write_text(json.dumps(record), encoding="utf-8")
    return state


def test_status_without_a_server_says_so_and_exits_1(home_env: dict[str, str]) -> None:
    shown = pressroom(home_env, "server", "status")
    assert shown.returncode == 1
    assert "no Prefect server managed by pressroom is running" in shown.stdout
    assert pressroom(home_env, "server", "env").returncode == 1
    stopped = pressroom(home_env, "server", "stop")
    assert stopped.returncode == 0 and "no Prefect server" in stopped.stdout


def test_a_stale_state_file_is_removed_and_not_used(home_env: dict[str, str]) -> None:
    state = _write_state(home_env, _dead_pid(), _free_port())

    shown = pressroom(home_env, "server", "status")

    assert shown.returncode == 1 and "no Prefect server" in shown.stdout
    assert not state.exists()


def test_start_refuses_a_port_another_program_holds(home_env: dict[str, str]) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        started = pressroom(home_env, "server", "start", "--port", str(port))
    assert started.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in started.stderr
    assert not (Path(home_env["PREFECT_HOME"]) / "pressroom-server.json").exists()


@pytest.mark.prefect
def test_server_lifecycle_and_commands_use_it(home_env: dict[str, str], tmp_path: Path) -> None:
    port = _free_port()
    _write_state(home_env, _dead_pid(), port)  # a reboot left this: start must not trust it

    started = pressroom(home_env, "server", "start", "--port", str(port))
    assert started.returncode == 0, started.stdout + started.stderr
    api = f"http://127.0.0.1:{port}/api"
    assert httpx.get(f"{api}/health", timeout=5).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200  # the UI
    db = Path(home_env["PREFECT_HOME"]) / "prefect.db"
    assert db.exists()  # SQLite under the Prefect home, not the temporary API's memory

    shown = pressroom(home_env, "server", "status")
    assert shown.returncode == 0, shown.stdout
    pid = json.loads((Path(home_env["PREFECT_HOME"]) / "pressroom-server.json").read_text())["pid"]
    assert f"http://127.0.0.1:{port} (answering)" in shown.stdout
    assert f"pid:    {pid}" in shown.stdout and "uptime: 0m" in shown.stdout

    again = pressroom(home_env, "server", "start", "--port", str(_free_port()))
    assert again.returncode == 0 and "already runs" in again.stdout and str(port) in again.stdout
    assert pressroom(home_env, "server", "env").stdout == f"export PREFECT_API_URL={api}\n"

    # a pressroom command finds the server by itself: its flow run is in the server's history
    with DemoNewsroom() as newsroom:
        config = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")
        ingest = pressroom(home_env, "--config", str(config), "ingest", "cityhall")
        assert ingest.returncode == 0, ingest.stdout + ingest.stderr
        assert "temporary" not in ingest.stderr
        runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=10).json()
        assert [r["state_type"] for r in runs] == ["COMPLETED"]
        ingest_run = runs[0]["id"]

        # `serve` registers its deployments on the same server, and says so
        said = _serve_until_registered(home_env, config, api, tmp_path / "serve.log")
    assert "deployments on the Prefect server pressroom manages" in said

    stopped = pressroom(home_env, "server", "stop")
    assert stopped.returncode == 0 and f"(pid {pid}) stopped" in stopped.stdout
    assert _gone(pid)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{api}/health", timeout=2)
    assert pressroom(home_env, "server", "status").returncode == 1

    # the run history outlives the server: a new start shows the ingest run again
    assert pressroom(home_env, "server", "start", "--port", str(port)).returncode == 0
    runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=10).json()
    # (serve's cron schedules added runs SCHEDULED for later)
    assert [r["id"] for r in runs if r["state_type"] != "SCHEDULED"] == [ingest_run]


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_api")
def test_a_flow_command_without_a_server_says_once_how_to_be_faster(
    newsroom: DemoNewsroom, tmp_path: Path
) -> None:
    config = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")

    result = CliRunner().invoke(main, ["--config", str(config), "ingest", "cityhall"])

    assert result.exit_code == 0, result.output
    hints = [line for line in result.stderr.splitlines() if "server start" in line]
    assert hints == [
        "hint: no Prefect server: starting a temporary one for this command (~20 s); "
        "`pressroom server start` once makes every command start in about a second"
    ]
    assert "server start" not in result.stdout
