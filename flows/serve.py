"""``pressroom serve``: one scheduled ingest deployment per source, plus backfill and reparse.

Deployments (name them in ``prefect deployment run``):
- ``ingest/<source_id>``: the source's ``schedule`` (cron; a default when absent), at most one
  run at a time (deployment concurrency limit 1: a run that fires while the last one is still
  going waits in the queue instead of overlapping).
- ``backfill/pressroom``: unscheduled; parameters ``source_id``, ``since``, ``until``, ``refetch``.
- ``reparse/pressroom``: unscheduled; parameters ``source_id``, ``since``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from flows.ingest import backfill, ingest
from flows.reparse import reparse
from pressroom.config import Config

__all__ = ["DEPLOYMENT_NAME", "build_deployments", "serve_deployments"]

DEPLOYMENT_NAME = "pressroom"
ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def build_deployments(config: Config, *, interval_seconds: float | None = None) -> list[Any]:
    """The runner deployments for this config; ``interval_seconds`` replaces cron (for trials)."""
    config_path = str(config.path) if config.path else None
    deployments = []
    for source in config.sources:
        if not source.enabled:
            continue
        schedule: dict[str, Any] = (
            {"interval": timedelta(seconds=interval_seconds)}
            if interval_seconds
            else {"cron": source.effective_schedule}
        )
        deployments.append(
            ingest.to_deployment(
                name=source.id,
                description=f"Scheduled incremental ingest of {source.display_name}",
                parameters={
                    "source_ids": [source.id],
                    "config_path": config_path,
                    "mode": "scheduled",
                },
                concurrency_limit=ONE_AT_A_TIME,
                tags=["pressroom", f"source:{source.id}"],
                **schedule,
            )
        )
    deployments.append(
        backfill.to_deployment(
            name=DEPLOYMENT_NAME,
            description="Backfill one source over a date range (trigger by hand).",
            parameters={"config_path": config_path},
            tags=["pressroom"],
        )
    )
    deployments.append(
        reparse.to_deployment(
            name=DEPLOYMENT_NAME,
            description="Rebuild articles from the raw archive, no network.",
            parameters={"config_path": config_path},
            tags=["pressroom"],
        )
    )
    return deployments


def serve_deployments(config: Config, *, interval_seconds: float | None = None) -> None:
    """Register the deployments and run them until interrupted (Ctrl-C / SIGTERM)."""
    serve(
        *build_deployments(config, interval_seconds=interval_seconds),
        pause_on_shutdown=False,
    )
