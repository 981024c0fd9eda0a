"""The parse pool: work goes to worker processes once they have started, to a thread before."""

from __future__ import annotations

import asyncio
import os
import time

from pressroom.flows.crawl.parsing import ParsePool


def test_work_runs_in_a_worker_once_the_pool_has_started() -> None:
    pool = ParsePool(1)
    try:
        assert pool.in_processes
        early = asyncio.run(pool.run(os.getpid))  # the worker is still importing
        assert early == os.getpid()  # so the call ran in a thread of this process
        deadline = time.monotonic() + 60
        while asyncio.run(pool.run(os.getpid)) == os.getpid():
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.05)
        assert asyncio.run(pool.run(divmod, 17, 5)) == (3, 2)
    finally:
        pool.close()


def test_a_pool_without_workers_parses_in_a_thread() -> None:
    pool = ParsePool(0)
    assert not pool.in_processes
    assert asyncio.run(pool.run(os.getpid)) == os.getpid()
