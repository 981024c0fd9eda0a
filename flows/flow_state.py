"""A flow run's final Prefect state from its sources' summaries: Completed, Failed, or Failed
named "Degraded" (:data:`DEGRADED`), so that a degraded run never looks green."""

from __future__ import annotations

from prefect.states import Completed, Failed, State

from pressroom.core.errors import RunDegraded, RunFailed
from pressroom.flows.report import RunSummary

__all__ = ["DEGRADED", "final_state"]


DEGRADED = "Degraded"
"""The name of a degraded flow run's (Failed) state; its event is prefect.flow-run.Degraded."""


def final_state(summaries: list[RunSummary]) -> State:
    """Failed when a source failed; Failed named "Degraded" when one degraded; else Completed.

    A degraded run must not look green in the Prefect UI: its state has the Failed type (red,
    counted in the failed runs) under the name "Degraded", with the reasons as its message, so
    an automation can react to the event ``prefect.flow-run.Degraded``. The data that did load
    is good; the alarm is for a person. Every state carries all the sources' summaries (the
    data of a Failed state is :class:`RunFailed`, of a Degraded one :class:`RunDegraded`).
    """
    data = [s.as_dict() for s in summaries]
    failed = [s for s in summaries if s.status == "failed"]
    if failed:  # the flow run is Failed; its exception carries every source's summary
        message = _reasons(failed)
        return Failed(message=message, data=RunFailed(message, data))
    degraded = [s for s in summaries if s.status == "degraded"]
    if not degraded:
        return Completed(data=data)
    message = _reasons(degraded)  # Prefect logs it: "Finished in state Degraded(...)"
    return Failed(name=DEGRADED, message=message, data=RunDegraded(message, data))


def _reasons(summaries: list[RunSummary]) -> str:
    """One reason per source (a backfill's months of one source share it), naming it once."""
    reasons = [s.reason() or f"{s.source_id}: {s.status}" for s in summaries]
    return "; ".join(dict.fromkeys(reasons))
