"""Read-only access for people: ad hoc SQL, per-source summary, schema docs, export.

Every function here opens the warehouse read-only and closes it before returning, so an
analyst's query never holds the file longer than it runs. SQL a person types (:func:`run_sql`)
runs one statement at a time on a sandboxed connection: it reads the warehouse and nothing else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb

from pressroom.core.errors import QueryRefused, WarehouseError
from pressroom.warehouse.db import DEFAULT_LOCK_TIMEOUT, connect, holds_a_database
from pressroom.warehouse.migrate import migrate

__all__ = [
    "EXPORT_TABLES",
    "ColumnDoc",
    "SchemaDoc",
    "TableDoc",
    "describe_schema",
    "export",
    "run_sql",
    "source_summary",
]

EXPORT_TABLES = (
    "sources",
    "articles",
    "article_versions",
    "article_paragraphs",
    "article_images",
    "article_attachments",
    "pages",
    "runs",
    "fetch_errors",
)


# What ``pressroom sql`` runs: queries (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE,
# PIVOT with an IN list) and EXPLAIN. Every other type (COPY, ATTACH, INSTALL/LOAD, SET,
# PRAGMA, CALL/CHECKPOINT, writes, transactions, ...) is refused before it runs.
_ALLOWED = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
_ALLOWED_TEXT = "SELECT (with WITH, FROM, DESCRIBE, SHOW, SUMMARIZE) and EXPLAIN"
_SANDBOX_TEXT = (
    "pressroom sql reads only the warehouse: no files, other databases, network or extensions"
)


def run_sql(
    warehouse_path: str | os.PathLike[str],
    sql: str,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement ``sql``; return (column names, rows).

    The statement runs on a sandboxed read-only connection (:func:`pressroom.warehouse.db.connect`).
    Raises QueryRefused, naming what was refused and why, for anything but one SELECT or
    EXPLAIN, and for a query that reaches for a file, another database, the network, an
    extension or a setting; WarehouseError for any other failure (syntax, unknown table).
    """
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout, sandboxed=True) as con:
        statement = _one_statement(con, sql)
        try:
            cursor = con.execute(statement)
        except duckdb.Error as exc:
            raise _refusal(exc) or WarehouseError(f"query failed: {exc}") from exc
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()


def _one_statement(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WarehouseError(f"query failed: {exc}") from exc
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(
            f"{len(statements)} statements given; pressroom sql runs one statement per call"
        )
    (statement,) = statements
    if statement.type not in _ALLOWED:
        raise QueryRefused(
            f"{statement.type.name} statement refused ({_opening(statement.query)}): "
            f"pressroom sql is read-only and runs only {_ALLOWED_TEXT}"
        )
    return statement


def _opening(sql: str, width: int = 40) -> str:
    text = " ".join(sql.split()).rstrip(";")
    return text if len(text) <= width else text[: width - 1] + "…"


def _refusal(exc: duckdb.Error) -> QueryRefused | None:
    """The sandbox's own refusals (a file, a setting, a write) as QueryRefused."""
    text = str(exc).strip().splitlines()[0]  # DuckDB adds the query and a caret below
    if isinstance(exc, duckdb.PermissionException):
        return QueryRefused(f"refused: {text} ({_SANDBOX_TEXT})")
    if "configuration has been locked" in text:
        return QueryRefused(f"refused: {text} (pressroom sql cannot change settings)")
    if "read-only mode" in text:
        return QueryRefused(f"refused: {text} (the warehouse is opened read-only here)")
    return None


_SUMMARY_SQL = """
WITH ids AS (
    SELECT source_id FROM sources UNION SELECT DISTINCT source_id FROM articles
    UNION SELECT DISTINCT source_id FROM fetch_errors
),
art AS (
    SELECT source_id, count(*) AS articles, min(published_at) AS oldest,
           max(published_at) AS newest
    FROM articles GROUP BY source_id
),
err AS (SELECT source_id, count(*) AS errors FROM fetch_errors GROUP BY source_id)
SELECT ids.source_id, coalesce(s.name, ids.source_id) AS name,
       coalesce(art.articles, 0)::INTEGER AS articles, art.oldest, art.newest,
       coalesce(err.errors, 0)::INTEGER AS errors
FROM ids
LEFT JOIN sources AS s USING (source_id)
LEFT JOIN art USING (source_id)
LEFT JOIN err USING (source_id)
ORDER BY ids.source_id
"""


def source_summary(
    warehouse_path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> list[dict[str, Any]]:
    """Per source: source_id, name, articles, oldest and newest published_at, errors.

    A missing warehouse gives an empty list.
    """
    if not holds_a_database(warehouse_path):
        return []
    columns, rows = run_sql(warehouse_path, _SUMMARY_SQL, lock_timeout=lock_timeout)
    return [dict(zip(columns, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class ColumnDoc:
    """A column with its type and COMMENT."""

    name: str
    type: str
    comment: str | None


@dataclass(frozen=True)
class TableDoc:
    """A table or view with its COMMENT and columns, in column order."""

    name: str
    kind: Literal["table", "view"]
    comment: str | None
    columns: tuple[ColumnDoc, ...]


_TABLES_SQL = """
SELECT table_name, 'table', comment FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
UNION ALL
SELECT view_name, 'view', comment FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
    AND NOT temporary
"""

_COLUMNS_SQL = """
SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
ORDER BY table_name, column_index
"""


@dataclass(frozen=True)
class SchemaDoc:
    """Every table (then view) of the warehouse; ``str()`` renders it for ``pressroom schema``."""

    tables: tuple[TableDoc, ...]

    def table(self, name: str) -> TableDoc:
        """The table or view called ``name`` (KeyError when there is none)."""
        for doc in self.tables:
            if doc.name == name:
                return doc
        raise KeyError(name)

    def to_text(self) -> str:
        """Plain text: one block per table, one line per column with type and comment."""
        blocks = []
        for doc in self.tables:
            lines = [f"{doc.name} ({doc.kind}): {doc.comment or ''}".rstrip()]
            width = max((len(c.name) for c in doc.columns), default=0)
            type_width = max((len(c.type) for c in doc.columns), default=0)
            for col in doc.columns:
                line = f"  {col.name:<{width}}  {col.type:<{type_width}}  {col.comment or ''}"
                lines.append(line.rstrip())
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    def __str__(self) -> str:
        return self.to_text()


def _schema_docs(con: duckdb.DuckDBPyConnection) -> SchemaDoc:
    columns: dict[str, list[ColumnDoc]] = {}
    for table, name, dtype, comment in con.execute(_COLUMNS_SQL).fetchall():
        columns.setdefault(table, []).append(ColumnDoc(name, dtype, comment))
    docs = [
        TableDoc(name, kind, comment, tuple(columns.get(name, ())))
        for name, kind, comment in con.execute(_TABLES_SQL).fetchall()
    ]
    return SchemaDoc(tuple(sorted(docs, key=lambda d: (d.kind != "table", d.name))))


def describe_schema(
    warehouse_path: str | os.PathLike[str] | None = None,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> SchemaDoc:
    """Tables (then views) with their columns and COMMENTs, for ``pressroom schema``.

    Without a warehouse (or when the file does not exist yet) the schema the migrations
    create is described, from an in-memory database.
    """
    if warehouse_path is None or not holds_a_database(warehouse_path):
        con = duckdb.connect()
        try:
            migrate(con)
            return _schema_docs(con)
        finally:
            con.close()
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        return _schema_docs(con)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(
    warehouse_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    fmt: Literal["parquet", "csv"] = "parquet",
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[Path]:
    """Write the warehouse tables to ``out_dir``; return the files written, in order.

    Parquet: ``articles/source_id=<id>/year=<yyyy>/*.parquet`` (hive partitions by source and
    publication year; ``year=NULL`` for undated articles) and one ``<table>.parquet`` per other
    table. CSV: one ``<table>.csv`` per table, with a header. Existing output is replaced.
    """
    if fmt not in ("parquet", "csv"):
        raise WarehouseError(f"unknown export format {fmt!r} (use parquet or csv)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        for table in EXPORT_TABLES:
            if fmt == "parquet" and table == "articles":
                target = out / "articles"
                con.execute(
                    "COPY (SELECT *, year(published_at) AS year FROM articles"
                    " ORDER BY source_id, published_at, article_id)"
                    f" TO {_literal(target)} (FORMAT parquet, PARTITION_BY (source_id, year),"
                    " OVERWRITE true)"
                )
                written += sorted(p for p in target.rglob("*") if p.is_file())
            elif fmt == "parquet":
                target = out / f"{table}.parquet"
                con.execute(f"COPY {table} TO {_literal(target)} (FORMAT parquet)")
                written.append(target)
            else:
                target = out / f"{table}.csv"
                con.execute(f"COPY {table} TO {_literal(target)} (FORMAT csv, HEADER true)")
                written.append(target)
    return written
