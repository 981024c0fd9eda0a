"""Prefect defaults for a command-line run, set before Prefect is imported.

Only defaults: a variable the user has set always wins. With no ``PREFECT_API_URL`` Prefect
starts its temporary local server; these settings keep it quiet and offline-friendly.
"""

from __future__ import annotations

import os

__all__ = ["configure_prefect"]

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
