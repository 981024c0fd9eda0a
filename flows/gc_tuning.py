"""Keep Python's full garbage collections short while a crawl runs.

A crawl process holds some 320,000 objects before its first request (Prefect, pydantic, httpx,
pyarrow, DuckDB's bindings). CPython's full (generation 2) collection walks every one of them
each time the long-lived objects have grown by a quarter, which a run's records and task runs
do several times: each pause stopped the event loop, and so every host at once, for 0.1-0.25 s
(bench/crawl.py at the defaults: about 0.6 s of the wall time). Those objects live as long as
the process, so :func:`freeze_startup_objects` moves them out of the collector's way.
"""

from __future__ import annotations

import functools
import gc

__all__ = ["freeze_startup_objects"]


@functools.cache
def freeze_startup_objects() -> None:
    """Exempt every object alive now from future collections (``gc.freeze``); once a process.

    Called when a run starts, when what is alive is the imported stack. Objects made later are
    collected as usual. Cyclic garbage alive at that moment is kept rather than freed (once, a
    few kilobytes); a long-lived ``pressroom serve`` freezes only at its first run.
    """
    gc.freeze()
