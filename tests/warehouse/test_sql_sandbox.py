"""``pressroom sql`` is read-only in fact: one statement, the warehouse file and nothing else.

Two layers, each tested on its own: :func:`run_sql` refuses every statement type but SELECT and
EXPLAIN before it runs, and the sandboxed connection (DuckDB's external access, extension
loading and installing off, configuration locked) refuses what a SELECT could still reach for.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from pressroom.core.errors import QueryRefused, WarehouseError
from pressroom.warehouse import connect, run_sql
from tests.warehouse.wh_helpers import article, load, rows


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse for the module: every test here must leave it as it was."""
    folder = tmp_path_factory.mktemp("sandbox")
    wh = folder / "pressroom.duckdb"
    load(wh, folder / "staging", articles=[article(1), article(2)])
    return wh


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """Another DuckDB file, with one row, that the query must not be able to touch."""
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
    con.close()
    return path


def _other_rows(path: Path) -> list[tuple[int]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT x FROM t").fetchall()
    finally:
        con.close()


def _sandbox_refuses(wh: Path, sql: str) -> str:
    """The sandboxed connection alone (no statement check) refuses ``sql``; its message."""
    with pytest.raises(WarehouseError) as info, connect(wh, read_only=True, sandboxed=True) as con:
        con.execute(sql).fetchall()
    return str(info.value)


# ----------------------------------------------------------------------- what works


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT article_id FROM articles ORDER BY 1", [("city-1",), ("city-2",)]),
        ("select count(*) from articles;", [(2,)]),
        (
            "WITH t AS (SELECT article_id FROM articles) SELECT max(article_id) FROM t",
            [("city-2",)],
        ),
        ("FROM articles SELECT count(*)", [(2,)]),
        ("-- a comment first\nSELECT 1 AS one", [(1,)]),
    ],
)
def test_queries_run(warehouse: Path, sql: str, expected: list[tuple[object, ...]]) -> None:
    assert run_sql(warehouse, sql)[1] == expected


def test_describe_and_explain_run(warehouse: Path) -> None:
    _, described = run_sql(warehouse, "DESCRIBE articles")
    assert "article_id" in [row[0] for row in described]
    assert run_sql(warehouse, "EXPLAIN SELECT * FROM articles")[0] == [
        "explain_key",
        "explain_value",
    ]


def test_timestamps_still_come_back_in_utc(warehouse: Path) -> None:
    assert run_sql(warehouse, "SELECT current_setting('TimeZone')")[1] == [("UTC",)]


# ----------------------------------------------------------------------- escape routes


def test_copy_to_a_file_is_refused_and_writes_nothing(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(QueryRefused, match=r"COPY statement refused .*read-only"):
        run_sql(warehouse, f"COPY articles TO '{out}'")
    assert "disabled by configuration" in _sandbox_refuses(warehouse, f"COPY articles TO '{out}'")
    # EXPLAIN passes the statement check, so only the sandbox stands in the way
    with pytest.raises(QueryRefused, match=r"Cannot access file .*out\.csv"):
        run_sql(warehouse, f"EXPLAIN ANALYZE COPY articles TO '{out}'")
    assert not out.exists()


def test_attach_of_another_database_is_refused_and_it_stays_untouched(
    warehouse: Path, other: Path
) -> None:
    with pytest.raises(QueryRefused, match="ATTACH statement refused"):
        run_sql(warehouse, f"ATTACH '{other}' AS o")
    assert "disabled by configuration" in _sandbox_refuses(warehouse, f"ATTACH '{other}' AS o")
    with pytest.raises(QueryRefused, match="2 statements given"):
        run_sql(warehouse, f"ATTACH '{other}' AS o; INSERT INTO o.t VALUES (2)")
    # a SELECT naming the file directly is stopped by the sandbox
    with pytest.raises(QueryRefused, match="Cannot access file"):
        run_sql(warehouse, f"SELECT * FROM '{other}'")
    assert _other_rows(other) == [(1,)]


@pytest.mark.parametrize(
    "reader", ["read_text('{p}')", "read_csv('{p}')", "read_blob('{p}')", "'{p}'"]
)
def test_local_files_cannot_be_read(warehouse: Path, tmp_path: Path, reader: str) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n", encoding="utf-8")
    with pytest.raises(QueryRefused, match=r"refused: .*Cannot access file .*secret\.csv") as info:
        run_sql(warehouse, "SELECT * FROM " + reader.format(p=secret))
    assert "hunter2" not in str(info.value)
    assert "no files" in str(info.value)


def test_file_listing_is_refused(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(QueryRefused, match="Cannot access file"):
        run_sql(warehouse, f"SELECT * FROM glob('{tmp_path}/*')")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1; SELECT 2",
        "SELECT count(*) FROM articles; DELETE FROM articles",
        "SELECT 1;;SELECT 2",
    ],
)
def test_one_statement_per_call(warehouse: Path, sql: str) -> None:
    with pytest.raises(QueryRefused, match="statements given; pressroom sql runs one statement"):
        run_sql(warehouse, sql)
    assert rows(warehouse, "SELECT count(*) AS n FROM articles") == [{"n": 2}]


@pytest.mark.parametrize("sql", ["", "  ;  ", "-- only a comment"])
def test_no_statement_is_refused(warehouse: Path, sql: str) -> None:
    with pytest.raises(QueryRefused, match="no SQL statement given"):
        run_sql(warehouse, sql)


@pytest.mark.parametrize(
    ("sql", "sandbox_says"),
    [
        ("INSTALL httpfs", "disabled by configuration"),
        ("FORCE INSTALL fts", "disabled by configuration"),
        ("LOAD httpfs", "Loading external extensions is disabled"),
    ],
)
def test_extensions_are_neither_installed_nor_loaded(
    warehouse: Path, sql: str, sandbox_says: str
) -> None:
    with pytest.raises(QueryRefused, match=r"LOAD statement refused"):
        run_sql(warehouse, sql)
    assert sandbox_says in _sandbox_refuses(warehouse, sql)


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/data.csv"
    finally:
        server.shutdown()
        server.server_close()


def test_no_request_leaves_the_machine(warehouse: Path, loopback_url: str) -> None:
    for sql in (f"SELECT * FROM read_csv('{loopback_url}')", f"SELECT * FROM '{loopback_url}'"):
        with pytest.raises(QueryRefused, match="refused"):
            run_sql(warehouse, sql)
    assert _Recorder.requests == []


@pytest.mark.parametrize(
    "sql",
    [
        "SET enable_external_access = true",
        "SET GLOBAL enable_external_access = true",
        "RESET enable_external_access",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET autoload_known_extensions = true",
        "SET allowed_paths = ['/']",
    ],
)
def test_settings_cannot_undo_the_sandbox(warehouse: Path, tmp_path: Path, sql: str) -> None:
    with pytest.raises(QueryRefused, match="SET statement refused"):
        run_sql(warehouse, sql)
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2", encoding="utf-8")
    with (
        pytest.raises(WarehouseError) as info,
        connect(warehouse, read_only=True, sandboxed=True) as con,
    ):
        with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
            con.execute(sql)
        con.execute(f"SELECT * FROM read_text('{secret}')").fetchall()
    assert "disabled by configuration" in str(info.value)


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("PRAGMA memory_limit = '1GB'", "SET"),  # DuckDB parses this PRAGMA as a SET
        ("CHECKPOINT", "CALL"),
        ("CALL checkpoint()", "CALL"),
        ("VACUUM", "VACUUM"),
        ("INSERT INTO runs (run_id) VALUES ('x')", "INSERT"),
        ("UPDATE articles SET title = 'x'", "UPDATE"),
        ("DELETE FROM articles", "DELETE"),
        ("DROP TABLE articles", "DROP"),
        ("CREATE TABLE t (a INT)", "CREATE"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
        ("BEGIN TRANSACTION", "TRANSACTION"),
        ("SET VARIABLE v = 1", "SET"),
    ],
)
def test_pragmas_checkpoints_and_writes_are_refused(warehouse: Path, sql: str, kind: str) -> None:
    with pytest.raises(QueryRefused, match=f"{kind} statement refused"):
        run_sql(warehouse, sql)
    assert rows(warehouse, "SELECT count(*) AS n FROM articles WHERE title LIKE 'Article%'") == [
        {"n": 2}
    ]


def test_the_sandbox_alone_refuses_writes_and_settings(warehouse: Path) -> None:
    assert "read-only" in _sandbox_refuses(warehouse, "DELETE FROM articles")
    assert "locked" in _sandbox_refuses(warehouse, "PRAGMA enable_profiling")
    assert rows(warehouse, "SELECT count(*) AS n FROM articles") == [{"n": 2}]


# ----------------------------------------------------------------------- locks

_HOLD_WRITER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
con.close()
"""


def test_a_query_while_a_writer_holds_the_file_waits_for_it(
    warehouse: Path, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITER, str(warehouse), str(ready), "1.0"]
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert time.monotonic() < deadline and writer.poll() is None, "writer did not start"
            time.sleep(0.02)
        started = time.monotonic()
        assert run_sql(warehouse, "SELECT count(*) FROM articles", lock_timeout=20)[1] == [(2,)]
        assert time.monotonic() - started > 0.3  # it waited for the writer, then ran
    finally:
        writer.wait(timeout=30)
