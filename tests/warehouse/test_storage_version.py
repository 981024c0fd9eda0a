"""Issue 15 item 4: the warehouse file is one the DuckDB CLI on the package index opens.

duckdb 2.0 writes storage version v2.0.0 by default, which the DuckDB CLI 1.5 refuses; pressroom
creates its file in v1.4.0 and the file keeps it through every later load. The CLI tests run the
real ``duckdb`` binary (``pip install -e '.[cli]'``; .ci/run installs it) and skip without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pressroom.warehouse import connect
from pressroom.warehouse.db import STORAGE_VERSION, storage_version
from tests.warehouse.wh_helpers import article, load, rows

_VENV_BIN = str(Path(sys.executable).parent)
DUCKDB_CLI = shutil.which("duckdb", path=_VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
needs_cli = pytest.mark.skipif(
    DUCKDB_CLI is None, reason="the DuckDB CLI is not installed (pip install -e '.[cli]')"
)


def cli(wh: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """The DuckDB CLI on the file, read-only, CSV out."""
    assert DUCKDB_CLI is not None
    return subprocess.run(
        [DUCKDB_CLI, "-readonly", "-csv", str(wh), sql],
        capture_output=True,
        text=True,
        timeout=60,
    )


def file_version(wh: Path) -> str | None:
    with connect(wh, read_only=True) as con:
        return storage_version(con)


def test_a_new_warehouse_is_written_in_the_cli_storage_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1), article(2)])

    assert file_version(wh) == f"{STORAGE_VERSION}+"
    recorded = rows(wh, "SELECT DISTINCT storage_version FROM schema_version")
    assert recorded == [{"storage_version": "v1.4.0+"}]


def test_later_loads_keep_the_storage_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1)])
    # a later load through a plain duckdb connection (no storage setting) cannot change it either
    con = duckdb.connect(str(wh))
    con.execute("CREATE TABLE scratch AS SELECT range AS n FROM range(1000)")
    con.execute("CHECKPOINT")
    con.close()
    load(wh, staging, articles=[article(2, title="Later")])

    assert file_version(wh) == "v1.4.0+"
    assert rows(wh, "SELECT count(*) AS n FROM articles") == [{"n": 2}]


def test_a_file_duckdb_2_created_still_opens_and_says_its_version(wh: Path, staging: Path) -> None:
    con = duckdb.connect(str(wh))  # duckdb 2.0's default storage version
    con.execute("CREATE TABLE analyst_notes (note VARCHAR)")
    con.close()

    report = load(wh, staging, articles=[article(1)])

    assert report.ok and report.loaded == 1
    assert file_version(wh) == "v2.0.0+"  # DuckDB never rewrites a file to an older version
    assert rows(wh, "SELECT DISTINCT storage_version FROM schema_version") == [
        {"storage_version": "v2.0.0+"}
    ]


@needs_cli
def test_the_duckdb_cli_reads_a_warehouse_pressroom_wrote(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="First"), article(2, title="Second")])
    load(wh, staging, articles=[article(3, title="Third")])

    result = cli(wh, "SELECT title FROM articles ORDER BY title")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["title", "First", "Second", "Third"]
