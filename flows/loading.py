"""Warehouse side of the flows: read a source's crawl state and history, stage and load a run.

Staging is durable before loading (:func:`pressroom.flows.staging.stage_outcome`, run in the parse
pool), so a locked warehouse or a killed process loses nothing: the batch stays staged for the
next run or ``pressroom load``.
Reading and loading are plain functions (:func:`read_state`, :func:`stage_and_load`); the
Prefect tasks around them add no retries (retries sit on fetching only). The async tasks run
them in a worker thread, so that the event loop keeps fetching for the other sources.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from pressroom.config import Config, SourceConfig
from pressroom.core.crawl_state import CrawlState
from pressroom.core.runs import RunRecord
from pressroom.core.tuning import release_free_memory
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.pipeline import SourceOutcome
from pressroom.flows.staging import stage_outcome
from pressroom.warehouse import load_pending, read_crawl_state
from pressroom.warehouse.history import SourceHistory, read_source_history

__all__ = [
    "load_staged",
    "read_history",
    "read_history_task",
    "read_state",
    "read_state_task",
    "stage_and_load",
    "stage_and_load_async",
    "stage_and_load_task",
]


class _FairLock:
    """A first-come, first-served lock. With ``threading.Lock`` a stream of loads (eight
    sources finishing months) kept a source's state read waiting for half a minute."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def __enter__(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the holder hands the lock over: _held stays True

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False


# One warehouse connection at a time per process: loads run in worker threads, and DuckDB
# refuses a read-only connection to a file this process has open read-write (and two loaders
# in one process would share one instance, with no file lock between them).
_WAREHOUSE_LOCK = _FairLock()
# counts of runs whose batch another thread's load picked up, kept only for runs of this
# process still waiting for them (a long `pressroom serve` must not collect other runs' counts)
_AWAITED_RUNS: set[str] = set()
_LOADED_COUNTS: dict[str, dict[str, int]] = {}


@task(name="read-state", cache_policy=NO_CACHE)
async def read_state_task(config: Config, source: SourceConfig) -> CrawlState:
    """The source's crawl state, read in a worker thread (the event loop keeps fetching)."""
    return await asyncio.to_thread(read_state, config, source)


@task(name="read-history", cache_policy=NO_CACHE)
async def read_history_task(config: Config, source: SourceConfig) -> SourceHistory:
    return await asyncio.to_thread(read_history, config, source)


def read_state(config: Config, source: SourceConfig) -> CrawlState:
    with _WAREHOUSE_LOCK:
        return read_crawl_state(config.warehouse_path, source.id, staging_dir=config.staging_dir)


def read_history(config: Config, source: SourceConfig) -> SourceHistory:
    with _WAREHOUSE_LOCK:
        return read_source_history(config.warehouse_path, source.id)


@task(name="stage-and-load", cache_policy=NO_CACHE)
def stage_and_load_task(
    config: Config, source: SourceConfig, run: RunRecord, outcome: SourceOutcome
) -> dict[str, Any]:
    return stage_and_load(config, source, run, outcome)


@task(name="stage-and-load", cache_policy=NO_CACHE)
async def stage_and_load_async(
    config: Config,
    source: SourceConfig,
    run: RunRecord,
    outcome: SourceOutcome,
    parser: ParsePool | None = None,
    final: bool = True,
) -> dict[str, Any]:
    """Stage in the parse pool (building the Parquet files is CPU work), load in a worker
    thread: the event loop keeps fetching for other sources. ``final`` is false for a run's
    intermediate batches (:mod:`pressroom.flows.batching`): counts of its batches that another
    thread
    loads are kept for it until its final batch."""
    if parser is None:
        parser = ParsePool(0)
    _AWAITED_RUNS.add(run.run_id)
    await parser.run(stage_outcome, config.staging_dir, source, run, outcome)
    return await asyncio.to_thread(load_staged, config, run, final=final)


def stage_and_load(
    config: Config, source: SourceConfig, run: RunRecord, outcome: SourceOutcome
) -> dict[str, Any]:
    """Stage one run's batch durably, then load every pending batch."""
    _AWAITED_RUNS.add(run.run_id)
    stage_outcome(config.staging_dir, source, run, outcome)
    return load_staged(config, run)


def load_staged(config: Config, run: RunRecord, *, final: bool = True) -> dict[str, Any]:
    """Load every pending batch (``run``'s among them); the counts of ``run``'s batches loaded
    since the last call (here or by another thread), batches pending and failures."""
    with _WAREHOUSE_LOCK:
        report = load_pending(config.warehouse_path, config.staging_dir)
        # a load in another thread may have loaded this run's batches along with its own
        for run_id in report.runs:
            if run_id in _AWAITED_RUNS:
                kept = _LOADED_COUNTS.setdefault(run_id, {})
                for key, value in report.counts_for(run_id).items():
                    kept[key] = kept.get(key, 0) + value
        counts = _LOADED_COUNTS.pop(run.run_id, report.counts_for(run.run_id))
        if final:
            _AWAITED_RUNS.discard(run.run_id)
        if report.runs:
            release_free_memory()
    failed = [f"load batch {name}: {error}" for name, error in report.failed.items()]
    return {"counts": counts, "pending": report.pending, "failed": failed}
