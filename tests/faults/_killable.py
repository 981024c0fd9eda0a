"""``pressroom`` with a pause at a chosen point, so that a test can SIGKILL it right there.

    python -m tests.faults._killable POINT NTH MARKER -- --config FILE backfill SRC --since D

POINT is ``parse`` (an article batch handed to the parse pool), ``staged`` (a batch is staged,
its load not begun) or ``load`` (inside the load transaction, just before COMMIT, through the
loader's own ``before_commit`` hook). On the NTH time the point is reached, MARKER is written
and the process sleeps until it is killed. Everything else is the real command line.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import time
from pathlib import Path
from typing import Any

_calls: dict[str, int] = {}
_lock = threading.Lock()


def _reached(point: str, nth: int, marker: Path) -> None:
    with _lock:
        _calls[point] = _calls.get(point, 0) + 1
        if _calls[point] != nth:
            return
    marker.write_text(point, encoding="utf-8")
    time.sleep(3600)  # until SIGKILL


def install(point: str, nth: int, marker: Path) -> None:
    """Patch the pipeline so that ``point`` pauses on its ``nth`` occurrence."""
    import pressroom.flows.crawl.parsing
    import pressroom.flows.loading

    if point == "parse":
        run = pressroom.flows.crawl.parsing.ParsePool.run

        async def paused_run(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            if getattr(fn, "__name__", "") == "archive_and_extract":  # articles, not listings
                await asyncio.to_thread(_reached, point, nth, marker)
            return await run(self, fn, *args, **kwargs)

        pressroom.flows.crawl.parsing.ParsePool.run = paused_run  # type: ignore[method-assign]
    elif point in ("staged", "load"):
        load = pressroom.flows.loading.load_pending

        def paused_load(*args: Any, **kwargs: Any) -> Any:
            if point == "staged":
                _reached(point, nth, marker)
                return load(*args, **kwargs)
            hook = functools.partial(lambda _batch: _reached(point, nth, marker))
            return load(*args, before_commit=hook, **kwargs)

        pressroom.flows.loading.load_pending = paused_load
    else:
        raise SystemExit(f"unknown point {point!r}")


def main(argv: list[str]) -> None:
    point, nth, marker, sep, *cli_args = argv
    assert sep == "--", "usage: POINT NTH MARKER -- pressroom arguments"
    install(point, int(nth), Path(marker))
    from pressroom.cli import main as cli

    cli(cli_args)


if __name__ == "__main__":
    main(sys.argv[1:])
