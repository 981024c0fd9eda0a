"""Progress lines for long runs: pages and articles per source, on a terminal only."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from typing import Any, TextIO

__all__ = ["Progress"]


class Progress:
    """Prints one updating status line per change when the stream is a terminal.

    Off a terminal (CI, cron, Prefect workers) it stays silent: the run summary says it all.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._expected: dict[str, int] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def expect(self, source_id: str, articles: int) -> None:
        self._expected[source_id] = articles

    def update(self, source_id: str, counts: Counter[str]) -> None:
        if not self.enabled:
            return
        done = counts["articles_fetched"] + counts["not_modified"] + counts["errors"]
        expected = self._expected.get(source_id)
        total = f"/{expected}" if expected is not None else ""
        line = (
            f"{source_id}: {counts['listing_pages']} listing pages, "
            f"{done}{total} article requests, {counts['errors']} errors"
        )
        with self._lock:
            self.stream.write("\r\033[K" + line)
            self.stream.flush()

    def done(self, source_id: str, summary: Any) -> None:
        if not self.enabled:
            return
        with self._lock:
            self.stream.write("\r\033[K" + summary.one_line() + "\n")
            self.stream.flush()
