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

The terminal gets pressroom's own lines (progress, one summary per source, one line per failure);
Prefect's console log (task retries, tracebacks) only with ``pressroom --verbose``. Prefect's
log still goes to its API, so the UI has every traceback either way.
"""

from __future__ import annotations

import os

__all__ = ["IN_MEMORY_DATABASE", "api_problem", "configure_prefect", "show_prefect_log"]

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


# Prefect's logging config takes overrides from PREFECT_LOGGING_<PATH>: this is the level of
# the console handler (stderr); the API handler is another one and keeps every record.
_CONSOLE_LEVEL = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"
API_CONNECT_TIMEOUT = 2.0
API_READ_TIMEOUT = 5.0


def configure_prefect(*, verbose: bool = False) -> None:
    """Apply pressroom's Prefect defaults to this process's environment.

    Without ``verbose`` Prefect's console log is off (unless the user set its level);
    ``verbose`` turns it on at INFO (unless the user chose a logging level).
    """
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not any(key in os.environ for key in _DATABASE_KEYS):  # either name is the user's choice
        os.environ[_DATABASE_KEYS[0]] = IN_MEMORY_DATABASE
    if verbose:
        show_prefect_log()
        if os.environ["PREFECT_LOGGING_LEVEL"] == DEFAULTS["PREFECT_LOGGING_LEVEL"]:
            os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    else:
        os.environ.setdefault(_CONSOLE_LEVEL, "CRITICAL")


def show_prefect_log() -> None:
    """Prefect's console log on, for commands whose output it is (``serve``, ``--verbose``)."""
    os.environ[_CONSOLE_LEVEL] = "0"


def api_problem() -> str | None:
    """Why ``$PREFECT_API_URL`` cannot be used (nothing listens, no answer), or None.

    Any HTTP answer counts as alive (a Prefect Cloud URL may answer 401 or 404 to /health);
    only a refused or timed-out connection is a problem. Without the variable: None (the
    temporary local API is started when a flow runs).
    """
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        return None
    import httpx  # here, not at the top: commands that run no flow never pay for it

    timeout = httpx.Timeout(API_READ_TIMEOUT, connect=API_CONNECT_TIMEOUT)
    try:
        httpx.get(url.rstrip("/") + "/health", timeout=timeout)
    except httpx.TimeoutException:
        reason = f"no answer within {API_READ_TIMEOUT:.0f} s"
    except httpx.TransportError as exc:
        reason = f"{type(exc).__name__}: {exc or 'could not connect'}"
    except ValueError as exc:  # httpx.InvalidURL and friends
        reason = f"not a usable URL ({exc})"
    else:
        return None
    return (
        f"PREFECT_API_URL={url} does not answer ({reason}): start that Prefect server, "
        "or unset PREFECT_API_URL to use a temporary local one"
    )
