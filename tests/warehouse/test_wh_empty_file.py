"""Regression (issue 12): a run killed after DuckDB created the file but before the first
migration left an empty warehouse; reading the crawl state then ran ``FROM articles`` against
a Python variable of that name (DuckDB's replacement scan) and every later run failed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.history import read_source_history
from warehouse.state import read_crawl_state


def test_an_empty_warehouse_file_reads_as_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    duckdb.connect(str(path)).close()
    state = read_crawl_state(path, "site")
    assert (dict(state.articles), dict(state.pages), dict(state.failures)) == ({}, {}, {})
    assert read_source_history(path, "site").runs == 0
