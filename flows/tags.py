"""The tags of pressroom's flow runs: the same for a deployment's run and one started by hand.

``pressroom serve`` tags each deployment (``pressroom.flows.serve``) and the CLI wraps the runs it
starts
in ``prefect.tags`` with these, so a filter or an automation on a tag sees both kinds of run.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["PRESSROOM_TAG", "run_tags", "source_tag"]

PRESSROOM_TAG = "pressroom"


def source_tag(source_id: str) -> str:
    """The tag of one source's runs: ``source:<id>``."""
    return f"source:{source_id}"


def run_tags(source_ids: Sequence[str] | None = None) -> list[str]:
    """``pressroom``, then one ``source:<id>`` tag per source of an ingest (none for a
    backfill or reparse, as their deployments have none)."""
    return [PRESSROOM_TAG, *(source_tag(s) for s in source_ids or ())]
