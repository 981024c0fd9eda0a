"""Open the DuckDB warehouse: bounded waiting for the file lock, migrations on every write open.

DuckDB never waits for its file lock: a process holding the file read-write blocks every other
process, and any read-only holder blocks a writer, with an immediate "Could not set lock"
error. :func:`connect` retries with exponential backoff and jitter until ``lock_timeout``
seconds have passed, then raises :class:`~pressroom.core.errors.WarehouseLocked` naming the file and
the PID of the holder. Every other duckdb error, at open or inside the ``with`` block, comes out
as :class:`~pressroom.core.errors.WarehouseError`.

``sandboxed=True`` opens read-only with no way out of the warehouse file: DuckDB's external
access (files, other databases, the network), extension installing and loading are switched off,
then the configuration is locked so that no statement can switch them back on.

Storage version: a new warehouse file is created in DuckDB storage version
:data:`STORAGE_VERSION` (``v1.4.0``), which the DuckDB CLI on the package index (``duckdb-cli``
1.4 and 1.5, ``pip install -e '.[cli]'``) opens; duckdb 2.0 would otherwise write ``v2.0.0``,
which those CLIs refuse ("version number 69"). A file keeps the storage version it was created
with through every later write, so setting it at creation is enough. A file created in a newer
version (by duckdb 2.0 without this setting) still opens and loads as before; it stays in that
version (DuckDB never rewrites a file down) and only a duckdb >= 2.0 opens it: README says how
to copy it into a v1.4.0 file. :func:`storage_version` tells which one a file has; the
``schema_version`` table records it with each migration.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pressroom.core.errors import WarehouseError, WarehouseLocked
from pressroom.warehouse.migrate import migrate

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "SANDBOX",
    "STORAGE_VERSION",
    "connect",
    "holds_a_database",
    "is_lock_error",
    "open_connection",
    "storage_version",
]

# The storage version new warehouse files are written in (see the module docstring).
STORAGE_VERSION = "v1.4.0"

DEFAULT_LOCK_TIMEOUT = 30.0
_FIRST_DELAY = 0.02
_MAX_DELAY = 1.0
_PID = re.compile(r"\(PID (\d+)\)")
# A private generator: lock-retry jitter never moves the interpreter-wide random state.
_JITTER = random.Random()


def is_lock_error(exc: BaseException) -> bool:
    """True when ``exc`` is DuckDB refusing to open a file another process has locked."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and (
        "Could not set lock" in text or "Conflicting lock" in text
    )


_ALLOCATOR_FLUSH_THRESHOLD = "16MB"

# For queries people type: set at open (before any statement runs), locked after setup.
SANDBOX = {
    "enable_external_access": False,  # no files but the warehouse, no ATTACH, no http(s)
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def _config(sandboxed: bool) -> dict[str, str | bool]:
    """duckdb.connect's config: the storage version of a new file, and the sandbox if asked."""
    config: dict[str, str | bool] = {"storage_compatibility_version": STORAGE_VERSION}
    if sandboxed:
        config.update(SANDBOX)
    return config


def storage_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The storage version of the connection's database file (``v1.4.0+``, ``v2.0.0+``, ...);
    None for an in-memory database."""
    rows = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases()"
        " WHERE database_name = current_database()"
    ).fetchall()
    return rows[0][0] if rows else None


def _locked_error(path: Path, exc: BaseException, waited: float) -> WarehouseLocked:
    match = _PID.search(str(exc))
    holder = f"process {match.group(1)}" if match else "another process"
    err = WarehouseLocked(
        f"warehouse {path} is locked by {holder}; gave up after {waited:.1f} s"
        " (an open DuckDB session on the file blocks writers; close it or retry later)"
    )
    err.path = path  # type: ignore[attr-defined]
    err.holder_pid = int(match.group(1)) if match else None  # type: ignore[attr-defined]
    return err


# DuckDB writes a new file's three 4 KB headers one after another (the file header, with the
# magic bytes DUCK at offset 8, then two database headers); a kill between them leaves 4 or
# 8 KB that DuckDB cannot read ("Could not read enough bytes"), and nothing was committed yet.
_HEADER_BLOCK = 4096
_HEADERS = 3 * _HEADER_BLOCK
_MAGIC = (8, b"DUCK")


def _left_by_a_kill_at_creation(path: Path) -> bool:
    """True for a zero-byte file, or one with only the first one or two of DuckDB's headers."""
    try:
        size = path.stat().st_size
        if size == 0:
            return True
        if size >= _HEADERS or size % _HEADER_BLOCK:
            return False
        with path.open("rb") as f:
            head = f.read(_MAGIC[0] + len(_MAGIC[1]))
    except OSError:
        return False
    return head[_MAGIC[0] :] == _MAGIC[1]


def holds_a_database(path: str | Path) -> bool:
    """True when ``path`` is a file with content (a zero-byte file, or one with only part of
    DuckDB's headers, is what a kill leaves when it lands as DuckDB creates the database:
    there is nothing in it to read)."""
    path = Path(path)
    return path.is_file() and not _left_by_a_kill_at_creation(path)


def _empty_file_left_by_a_kill(db_path: Path, exc: duckdb.Error) -> bool:
    """A warehouse file a process killed as DuckDB created it (zero bytes, or only part of the
    headers) holds nothing: it is removed so the next connect creates the file. A file being
    created by a live process is locked, so it gives a lock error, not this one. Any other
    file DuckDB cannot read is never removed."""
    text = str(exc)
    if "not a valid DuckDB database file" not in text and "Could not read enough bytes" not in text:
        return False
    if not _left_by_a_kill_at_creation(db_path):
        return False
    try:
        db_path.unlink()
    except OSError:
        return False
    return True


def open_connection(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    sandboxed: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open (and for writers, migrate) the warehouse; the caller closes the connection.

    ``sandboxed`` (read-only only) applies :data:`SANDBOX` and locks the configuration.
    Prefer :func:`connect`, which closes for you.
    """
    if sandboxed and not read_only:
        raise ValueError("a sandboxed connection is read-only")
    db_path = Path(path)
    if read_only and not holds_a_database(db_path):
        raise WarehouseError(
            f"warehouse {db_path} does not exist yet: run an ingest (or `pressroom demo`) first"
        )
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(lock_timeout, 0.0)
    started = time.monotonic()
    delay = _FIRST_DELAY
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only, config=_config(sandboxed))
            break
        except duckdb.Error as exc:
            if not read_only and _empty_file_left_by_a_kill(db_path, exc):
                continue  # removed: DuckDB creates it afresh
            if not is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {db_path}: {exc}") from exc
            now = time.monotonic()
            if now >= deadline:
                raise _locked_error(db_path, exc, now - started) from exc
            time.sleep(min(delay * (0.5 + _JITTER.random()), deadline - now))
            delay = min(delay * 2, _MAX_DELAY)
    try:
        con.execute("SET TimeZone = 'UTC'")
        # DuckDB's allocator keeps up to 128 MB of freed memory after each task by default;
        # a crawl process holds the warehouse only in short loads and state reads, so it
        # hands memory back sooner (peak RSS of bench/crawl.py --articles 2000).
        con.execute(f"SET allocator_flush_threshold = '{_ALLOCATOR_FLUSH_THRESHOLD}'")
        if not read_only:
            migrate(con)
        if sandboxed:
            con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot prepare warehouse {db_path}: {exc}") from exc
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def connect(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    sandboxed: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Context manager over an open warehouse connection, closed on exit.

    Read-write opens apply pending migrations first. A read-only open of a file that does not
    exist raises WarehouseError. duckdb errors raised inside the block become WarehouseError.
    ``sandboxed`` is for SQL a person typed: see :func:`open_connection`.
    """
    con = open_connection(path, read_only=read_only, lock_timeout=lock_timeout, sandboxed=sandboxed)
    try:
        yield con
    except duckdb.Error as exc:
        raise WarehouseError(f"warehouse {path}: {exc}") from exc
    finally:
        con.close()
