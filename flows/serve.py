"""``pressroom serve``: one scheduled ingest deployment per source, plus backfill and reparse.

Deployments (name them in ``prefect deployment run``):
- ``ingest/<source_id>``: the source's ``schedule`` (cron; a default when absent), at most one
  run at a time (deployment concurrency limit 1: a run that fires while the last one is still
  going waits in the queue instead of overlapping).
- ``backfill/pressroom``: unscheduled; parameters ``source_id``, ``since``, ``until``, ``refetch``.
- ``reparse/pressroom``: unscheduled; parameters ``source_id``, ``since``.

Every deployment points at the config served (its ``config_path`` parameter). One config is
served per Prefect API: serving a config first removes pressroom's deployments (flows ingest,
backfill and reparse, tag ``pressroom``) that it does not register itself, such as the
``ingest/<id>`` of another config's sources, or of a source since removed or disabled, so none
lingers pointing at a config no longer served. ``backfill/pressroom`` and ``reparse/pressroom``
are re-registered with the new config's path.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from pressroom.config import Config
from pressroom.flows.ingest import backfill, ingest
from pressroom.flows.reparse import reparse

__all__ = [
    "DEPLOYMENT_NAME",
    "PRESSROOM_FLOWS",
    "build_deployments",
    "remove_stale_deployments",
    "serve_deployments",
]

DEPLOYMENT_NAME = "pressroom"
PRESSROOM_FLOWS = ("ingest", "backfill", "reparse")
TAG = "pressroom"
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
                tags=[TAG, f"source:{source.id}"],
                **schedule,
            )
        )
    deployments.append(
        backfill.to_deployment(
            name=DEPLOYMENT_NAME,
            description="Backfill one source over a date range (trigger by hand).",
            parameters={"config_path": config_path},
            tags=[TAG],
        )
    )
    deployments.append(
        reparse.to_deployment(
            name=DEPLOYMENT_NAME,
            description="Rebuild articles from the raw archive, no network.",
            parameters={"config_path": config_path},
            tags=[TAG],
        )
    )
    return deployments


def remove_stale_deployments(keep: set[str]) -> list[tuple[str, Any]]:
    """Delete pressroom's deployments (flows ingest, backfill, reparse with tag ``pressroom``)
    whose ``flow/name`` is not in ``keep``; returns each removed name and its config_path."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterTags,
        FlowFilter,
        FlowFilterName,
    )
    from prefect.exceptions import ObjectNotFound

    removed = []
    with get_client(sync_client=True) as client:
        for flow_name in PRESSROOM_FLOWS:
            found = client.read_deployments(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
                deployment_filter=DeploymentFilter(tags=DeploymentFilterTags(all_=[TAG])),
            )
            for deployment in found:
                full_name = f"{flow_name}/{deployment.name}"
                if full_name in keep:
                    continue
                try:
                    client.delete_deployment(deployment.id)
                except ObjectNotFound:  # removed meanwhile by another serve
                    continue
                removed.append((full_name, (deployment.parameters or {}).get("config_path")))
    return removed


def serve_deployments(
    config: Config,
    *,
    interval_seconds: float | None = None,
    on_removed: Callable[[str, Any], None] | None = None,
) -> None:
    """Remove stale pressroom deployments, register this config's and run them until
    interrupted (Ctrl-C / SIGTERM). ``on_removed(name, config_path)`` hears of each removal."""
    deployments = build_deployments(config, interval_seconds=interval_seconds)
    for name, config_path in remove_stale_deployments({d.full_name for d in deployments}):
        if on_removed is not None:
            on_removed(name, config_path)
    serve(*deployments, pause_on_shutdown=False)
