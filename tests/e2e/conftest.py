"""Shared pieces for end-to-end tests: a running demo newsroom and CLI helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from pressroom.cli import main
from pressroom.demo import DemoNewsroom, write_demo_config


@pytest.fixture
def newsroom() -> Iterator[DemoNewsroom]:
    with DemoNewsroom() as running:
        yield running


@pytest.fixture
def demo_config(newsroom: DemoNewsroom, tmp_path: Path) -> Path:
    return write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")


def summaries_of(run: Any) -> list[dict[str, Any]]:
    """The summaries of a flow run (a coroutine), completed or degraded: a degraded run ends
    Failed (named "Degraded"), so the call raises RunDegraded, which carries them."""
    import asyncio

    from pressroom.core.errors import RunDegraded

    try:
        return asyncio.run(run)
    except RunDegraded as degraded:
        return degraded.summaries


def run_cli(*args: str) -> Result:
    """Invoke ``pressroom`` in-process (so the session's Prefect API is used)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def query(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
