"""What a flow asks of one source (:class:`RunRequest`), and the parameters a ``runs`` row
keeps of it (:func:`run_parameters`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["RunRequest", "run_parameters"]


@dataclass(frozen=True)
class RunRequest:
    """What a flow asks of one source."""

    flow: str
    mode: str
    since: date | None = None
    until: date | None = None
    recheck: bool = False
    refetch: bool = False


def run_parameters(request: RunRequest, chunk: str | None) -> dict[str, Any]:
    """The ``runs.parameters`` of a run: the request, its chunk and the Prefect flow run."""
    from prefect.runtime import flow_run

    return {
        "chunk": chunk,
        "since": request.since.isoformat() if request.since else None,
        "until": request.until.isoformat() if request.until else None,
        "recheck": request.recheck,
        "refetch": request.refetch,
        "flow_run_id": str(flow_run.id) if flow_run.id else None,
    }
