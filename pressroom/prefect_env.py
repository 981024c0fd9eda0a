"""Prefect defaults for a command-line run, set before Prefect is imported.

Only defaults: a variable the user has set always wins. With no ``PREFECT_API_URL`` Prefect
starts its temporary local server; these settings keep it quiet and offline-friendly, and keep
its database in memory.

Why in memory: on its SQLite file the temporary API answers 503 when flow runs of one process
start or change state at the same time (a transaction that read, then writes after another
connection committed), and Prefect's client waits 2 s, then 4 s before trying again. Eight
backfills started together began their bodies 2-9 s apart (bench/crawl.py, a third of its
wall time). In memory Prefect uses one connection, so requests queue instead of failing: all
eight start within 0.8 s. Costs: the server migrates a fresh database at every start (~8 s
against ~5 s on an existing file, ~11 s on a new one), and nothing of it outlives the command:
keep run history in the UI with a Prefect server and ``PREFECT_API_URL``.
"""

from __future__ import annotations

import os

__all__ = ["IN_MEMORY_DATABASE", "configure_prefect"]

IN_MEMORY_DATABASE = (
    "sqlite+aiosqlite:///file::memory:?cache=shared&uri=true&check_same_thread=false"
)
_DATABASE_KEYS = ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")

DEFAULTS = {
    # telemetry tries the internet and logs errors on a machine without it
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    # a first run on a new PREFECT_HOME migrates a database: give a slow machine time
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # the CLI prints its own summary; Prefect's per-task lines are for the UI
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure_prefect() -> None:
    """Apply pressroom's Prefect defaults to this process's environment."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not any(key in os.environ for key in _DATABASE_KEYS):  # either name is the user's choice
        os.environ[_DATABASE_KEYS[0]] = IN_MEMORY_DATABASE
