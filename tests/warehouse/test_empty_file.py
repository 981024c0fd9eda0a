"""Regression (issue 12): a run killed after DuckDB created the file but before the first
migration left an empty warehouse; reading the crawl state then ran ``FROM articles`` against
a Python variable of that name (DuckDB's replacement scan) and every later run failed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pressroom.core.errors import WarehouseError
from pressroom.warehouse.db import connect
from pressroom.warehouse.history import read_source_history
from pressroom.warehouse.state import read_crawl_state


def test_an_empty_warehouse_file_reads_as_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    duckdb.connect(str(path)).close()
    state = read_crawl_state(path, "site")
    assert (dict(state.articles), dict(state.pages), dict(state.failures)) == ({}, {}, {})
    assert read_source_history(path, "site").runs == 0


def test_a_zero_byte_warehouse_file_left_by_a_kill_is_created_afresh(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    path.touch()  # killed after the file was created, before DuckDB wrote its header

    assert read_crawl_state(path, "site").articles == {}  # read-only: an empty state
    with connect(path) as con:  # a writer creates the database
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert path.stat().st_size > 0


def test_a_damaged_warehouse_file_is_never_removed(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    path.write_bytes(b"not a database, but somebody's bytes")

    with pytest.raises(WarehouseError, match="not a valid DuckDB"), connect(path):
        pass
    assert path.read_bytes() == b"not a database, but somebody's bytes"


@pytest.mark.parametrize("kept", [4096, 8192])
def test_a_file_with_only_part_of_duckdbs_headers_is_created_afresh(
    tmp_path: Path, kept: int
) -> None:
    """Regression (test_kill_rerun, at random): a kill between DuckDB's header writes left 4 or
    8 KB (measured: 3 of 80 kills as the file appeared); every later run failed with "Could not
    read enough bytes". A real file cut to that length is what such a kill leaves."""
    path = tmp_path / "wh.duckdb"
    duckdb.connect(str(path)).close()
    with path.open("r+b") as f:
        f.truncate(kept)

    assert read_crawl_state(path, "site").articles == {}  # read-only: an empty state
    with connect(path) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_short_file_that_is_not_duckdbs_is_never_removed(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    path.write_bytes(b"\0" * 4096)  # the length of a cut header, not DuckDB's bytes

    with pytest.raises(WarehouseError), connect(path):
        pass
    assert path.read_bytes() == b"\0" * 4096
