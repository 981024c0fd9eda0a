"""Issue 6: `pressroom serve` against a real local Prefect server (`prefect server start`).

One test, because a server costs ~10 s to start: an ingest deployment with a short interval
really runs on its schedule, and a backfill triggered the README's way
(`prefect deployment run 'backfill/pressroom' --param ...`) loads exactly the range.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from pressroom.demo import DemoNewsroom, write_demo_config

pytestmark = pytest.mark.prefect
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/api"

    def healthy() -> bool:
        try:
            return httpx.get(f"{api}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait_for(healthy, 90, "prefect server health")
        yield {**env, "PREFECT_API_URL": api, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    finally:
        _stop(proc)
        log.close()


FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _flow_run_states(api: str, flow_name: str) -> set[str]:
    """State types of every run of a flow, read from the Prefect API."""
    body = {"flows": {"name": {"any_": [flow_name]}}}
    response = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    return {run["state_type"] for run in response.json()}


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    if not warehouse.exists():
        return []
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:  # the loader holds the file right now
        return []
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def test_served_schedule_runs_and_a_deployment_backfill_loads_the_range(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    warehouse = tmp_path / "wh.duckdb"
    config = tmp_path / "pressroom.toml"
    with DemoNewsroom() as newsroom:
        write_demo_config(config, newsroom, warehouse)
        # hightech has no schedule of its own here: it is only backfilled by hand
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace('id = "hightech"', 'id = "hightech"\nenabled = false'), encoding="utf-8"
        )
        log = (tmp_path / "serve.log").open("wb")
        serve = subprocess.Popen(
            [str(BIN / "pressroom"), "--config", str(config), "serve", "--interval", "3"],
            env=prefect_server,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(
                lambda: _rows(
                    warehouse,
                    "SELECT 1 FROM runs WHERE mode = 'scheduled' AND source_id = 'cityhall'",
                ),
                120,
                "a scheduled cityhall run",
            )
            trigger = subprocess.run(
                [
                    str(BIN / "prefect"), "deployment", "run", "backfill/pressroom",
                    "--param", "source_id=hightech",
                    "--param", "since=2023-01-01",
                    "--param", "until=2023-06-30",
                ],
                env=prefect_server,
                capture_output=True,
                timeout=60,
            )  # fmt: skip
            assert trigger.returncode == 0, trigger.stdout + trigger.stderr
            api = prefect_server["PREFECT_API_URL"]
            _wait_for(lambda: _flow_run_states(api, "backfill") & FINAL, 120, "the backfill")
            assert _flow_run_states(api, "backfill") == {"COMPLETED"}
        finally:
            _stop(serve)
            log.close()
        expected = {
            a.title
            for a in newsroom.articles("hightech")
            if date(2023, 1, 1) <= a.published.date() <= date(2023, 6, 30)
        }

    loaded = _rows(warehouse, "SELECT title FROM articles WHERE source_id = 'hightech'")
    assert {title for (title,) in loaded} == expected
    assert _rows(warehouse, "SELECT count(*) FROM articles WHERE source_id = 'cityhall'") == [(35,)]
    statuses = _rows(warehouse, "SELECT DISTINCT status FROM runs")
    assert ("failed",) not in statuses


def _deployments(api: str) -> dict[str, str | None]:
    """Every deployment on the server: ``flow/name`` -> its config_path parameter."""
    # deployments first: a deployment's flow exists before it, so the flows read after know it
    found = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
    flows = httpx.post(f"{api}/flows/filter", json={}, timeout=10).json()
    flow_names = {f["id"]: f["name"] for f in flows}
    return {
        f"{flow_names[d['flow_id']]}/{d['name']}": d["parameters"].get("config_path") for d in found
    }


def _serve_until_registered(
    env: dict[str, str], config: Path, wanted: dict[str, str | None], log: Path
) -> str:
    """``pressroom serve`` until the server's deployments are ``wanted`` (name -> config),
    then SIGTERM; its output."""
    api = env["PREFECT_API_URL"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "pressroom"), "--config", str(config), "serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(lambda: _deployments(api) == wanted, 120, f"deployments {wanted}")
        finally:
            _stop(proc)
    return log.read_text(encoding="utf-8", errors="replace")


def test_serving_another_config_leaves_no_deployment_of_the_first(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    """Issue 15 item 6: after config B is served, nothing registered by config A is left, and
    backfill/pressroom runs B's config."""
    with DemoNewsroom() as newsroom:
        first = write_demo_config(tmp_path / "a" / "pressroom.toml", newsroom, tmp_path / "a.db")
        second = tmp_path / "b" / "pressroom.toml"
        second.parent.mkdir()
        # config B: one source of its own, cityhall's pages under another id
        text = first.read_text(encoding="utf-8").replace('id = "cityhall"', 'id = "springfield"')
        second.write_text(
            text.replace('id = "hightech"', 'id = "hightech"\nenabled = false'), encoding="utf-8"
        )
        api = prefect_server["PREFECT_API_URL"]
        a_names = {"ingest/hightech", "ingest/cityhall", "backfill/pressroom", "reparse/pressroom"}
        a_wanted = dict.fromkeys(a_names, str(first))
        _serve_until_registered(prefect_server, first, a_wanted, tmp_path / "serve-a.log")

        b_names = {"ingest/springfield", "backfill/pressroom", "reparse/pressroom"}
        b_wanted = dict.fromkeys(b_names, str(second))
        said = _serve_until_registered(prefect_server, second, b_wanted, tmp_path / "serve-b.log")

    assert _deployments(api) == b_wanted
    assert f"removed deployment ingest/cityhall (it ran config {first})" in said
    assert "removed deployment ingest/hightech" in said  # disabled in B: no schedule of A's left
