"""CPU work off the event loop: HTML parsing in a process pool, so it uses the other cores.

One :class:`ParsePool` per process while flow runs use it: ``ParsePool.shared(workers)`` is a
context manager that starts the pool for the first run and shuts it down when the last run
that holds it ends (eight backfills at once in one process share one pool, not eight).

* Workers are started with the **spawn** method, without the parent's ``__main__``, and import
  only the modules of the functions the pool's owner names in ``preload`` (unpickling a
  function imports its module; the flows name the pipeline's and discovery's), up front while
  the run walks its listings: never Prefect (a child process that touches Prefect starts its
  own server and never stops it). Arguments and
  results are plain picklable records (``SourceConfig``, ``FetchResult``, ``SourceOutcome``).
* A worker whose parent dies (SIGKILL) exits by itself within a second.
* Workers run at a lower CPU priority (nice 10, :func:`pressroom.core.tuning.lower_priority`):
  the process that drives the downloads, whose
  latency sets the crawl's pace, gets the CPU first; parsing takes what is left.
* Until its workers have started (spawn and imports take about a second), the pool parses in
  a thread, so the first listing pages of a run do not wait for it.
* ``workers = 0`` parses in a thread (as before); so does a pool that cannot start or breaks
  (a worker killed by the OOM killer): the run goes on, slower, and the log says why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from pressroom.core.tuning import lower_priority

__all__ = ["ParsePool", "default_workers"]

T = TypeVar("T")
log = logging.getLogger(__name__)


def default_workers() -> int:
    """Pool size when ``[crawler] parse_workers`` is not set: one per CPU."""
    return os.cpu_count() or 1


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone (a SIGKILLed parent cannot shut its pool down)."""
    stop = threading.Event()
    while not stop.wait(1.0):
        if os.getppid() != parent:
            os._exit(0)


def _init_worker(parent: int, preload: tuple[Callable[..., Any], ...]) -> None:
    """A worker's start: watch the parent, step back in CPU priority. ``preload`` is not called:
    unpickling it has imported the modules the work will need."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    lower_priority()
    del preload


def _ready() -> int:
    return os.getpid()


_MAIN_LOCK = threading.Lock()


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start processes without the parent's ``__main__``.

    A spawned child imports the parent's main module (a script, or ``python -m prefect.engine``
    for a served deployment's run), and with it Prefect; the workers need nothing from it.
    """
    with _MAIN_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


class ParsePool:
    """Runs picklable functions in worker processes, or in a thread when it has none."""

    _lock = threading.Lock()
    _shared: ParsePool | None = None
    _users = 0

    def __init__(
        self, workers: int | None = None, preload: tuple[Callable[..., Any], ...] = ()
    ) -> None:
        """``workers`` processes (None: one per CPU, 0: a thread); ``preload``: functions whose
        modules each worker imports as it starts."""
        self.workers = default_workers() if workers is None else max(0, workers)
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._starting: list[concurrent.futures.Future[int]] = []
        if self.workers:
            try:
                self._executor = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker,
                    initargs=(os.getpid(), preload),
                )
                with _main_module_hidden():  # every worker starts now, not at the first page
                    self._starting = [self._executor.submit(_ready) for _ in range(self.workers)]
            except (OSError, RuntimeError, ValueError) as exc:
                self._fall_back(f"cannot start {self.workers} parse worker(s): {exc}")

    @property
    def in_processes(self) -> bool:
        return self._executor is not None

    @classmethod
    @contextmanager
    def shared(
        cls, workers: int | None = None, preload: tuple[Callable[..., Any], ...] = ()
    ) -> Iterator[ParsePool]:
        """This process's pool, started by the first user and shut down by the last."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = ParsePool(workers, preload)
            cls._users += 1
            pool = cls._shared
        try:
            yield pool
        finally:
            with cls._lock:
                cls._users -= 1
                if cls._users == 0 and cls._shared is pool:
                    cls._shared = None
                    pool.close()

    def close(self) -> None:
        """Stop the workers without waiting for them to exit: the last run to leave the pool
        closes it on the event loop, where joining two processes stalled the other runs'
        final steps for about 0.1 s. (The interpreter still joins them before it exits.)"""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def _fall_back(self, why: str) -> None:
        log.warning("%s; parsing in a thread instead", why)
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker process (or a thread), awaited."""
        call = functools.partial(fn, *args, **kwargs)
        executor = self._executor
        if self._starting and not all(f.done() for f in self._starting):
            return await asyncio.to_thread(call)  # the workers are still starting
        if executor is not None:
            try:
                future = executor.submit(call)
            except RuntimeError as exc:  # broken or shut down (BrokenProcessPool included)
                self._fall_back(f"parse pool unusable ({type(exc).__name__}: {exc})")
            else:
                try:
                    return await asyncio.wrap_future(future)
                except BrokenProcessPool as exc:  # a worker died; fn's own errors pass through
                    if self._executor is executor:
                        self._fall_back(f"parse pool broke ({exc})")
        return await asyncio.to_thread(call)
