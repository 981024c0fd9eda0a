"""Process tuning, in one place: heap arenas, garbage collection, CPU priority, freed memory.

Nothing here happens at import. :func:`tune_process` is applied once per process, first thing,
by the CLI entry point (``pressroom ...``), and again (a no-op then) when a flow run starts, for
runs a served deployment starts in a process of its own. The parse pool's workers call
:func:`lower_priority` as they start; loads call :func:`release_free_memory` when they finish.
DuckDB's own memory settings are per connection and stay with the warehouse's connections
(:mod:`pressroom.warehouse.db`).

* Heap arenas: glibc's malloc keeps up to eight arenas per core, each with its own free memory;
  a crawl's loads, DuckDB and Prefect run in threads. Two are enough (bench/crawl.py
  --articles 2000: peak RSS 496 -> 457-466 MB, the same efficiency). Set before the threads
  exist: arenas already made are not given back.
* Garbage collection: a crawl process holds some 320,000 objects before its first request
  (Prefect, pydantic, httpx, pyarrow, DuckDB's bindings). Each full collection walked all of
  them whenever the long-lived objects had grown by a quarter, stopping the event loop, and so
  every host at once, for 0.1-0.25 s (about 0.6 s of bench/crawl.py's wall time at the
  defaults). :func:`freeze_startup_objects` moves what is alive when a run starts out of the
  collector's way.
* CPU priority: parsing is throughput work; the process that drives the downloads (and a local
  Prefect API) answers first.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import os
import sys

import pyarrow

__all__ = [
    "WORKER_NICENESS",
    "cap_heap_arenas",
    "freeze_startup_objects",
    "lower_priority",
    "release_free_memory",
    "tune_process",
]

WORKER_NICENESS = 10
_M_ARENA_MAX = -8  # mallopt parameter (malloc.h)
_HEAP_ARENAS = 2


@functools.cache
def _libc() -> ctypes.CDLL | None:
    return ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform == "linux" else None


@functools.cache
def tune_process() -> None:
    """The settings every pressroom process gets, once (see the module docstring)."""
    cap_heap_arenas()


def cap_heap_arenas() -> None:
    """Let glibc's malloc keep at most two heap arenas from now on (no-op off Linux)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, _HEAP_ARENAS)


@functools.cache
def freeze_startup_objects() -> None:
    """Exempt every object alive now from future collections (``gc.freeze``); once a process.

    Called when a run starts, when what is alive is the imported stack. Objects made later are
    collected as usual. Cyclic garbage alive at that moment is kept rather than freed (once, a
    few kilobytes); a long-lived ``pressroom serve`` freezes only at its first run.
    """
    gc.freeze()


def lower_priority(niceness: int = WORKER_NICENESS) -> None:
    """Run this process at a lower CPU priority (``nice``); where that is refused, as it is."""
    with contextlib.suppress(OSError):
        os.nice(niceness)


def release_free_memory() -> None:
    """Give freed memory back to the system: the Arrow pool's cached blocks and the C heap's
    free pages (glibc keeps them per thread arena otherwise)."""
    pyarrow.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
