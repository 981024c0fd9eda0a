"""Live progress of a run on a terminal: one bar per source, with rich.

Each source gets a row: listing pages read, articles requested of the known total (the plan of
every chunk so far: a backfill adds a month's articles as it plans it), errors, time. The rows
are transient: they vanish when the run ends, and the command prints one result line per source.
Off a terminal (cron, CI, a Prefect worker, pytest) it draws nothing: plain result lines only.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bars

__all__ = ["LISTING", "Progress"]

LISTING = "listing"
"""The chunk key of the listing walk's counts, shown until the first chunk reports."""


class Progress:
    """Per-source bars while a run goes; silent when ``console`` is not a terminal."""

    def __init__(self, console: Console | None = None, *, enabled: bool | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = self.console.is_terminal if enabled is None else enabled
        self._lock = threading.Lock()
        self._rows: dict[str, TaskID] = {}
        self._expected: dict[str, dict[str | None, int]] = {}
        self._counts: dict[str, dict[str | None, Counter[str]]] = {}
        self._bars: Bars | None = None
        if self.enabled:
            self._bars = Bars(
                TextColumn("{task.description:<16}"),
                BarColumn(bar_width=30),
                TextColumn("{task.completed:>4.0f}/{task.fields[expected]} articles"),
                TextColumn("{task.fields[listing]} listing pages, {task.fields[errors]} errors"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )

    def __enter__(self) -> Progress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    def start(self, source_id: str) -> None:
        """Show the source's row while its listings are walked (total not known yet)."""
        self._row(source_id)

    def expect(self, source_id: str, articles: int, chunk: str | None = None) -> None:
        """The articles one chunk of the source will request (its plan)."""
        self._expected.setdefault(source_id, {})[chunk] = articles
        self._draw(source_id)

    def update(self, source_id: str, counts: Mapping[str, int], chunk: str | None = None) -> None:
        """The counts so far of one chunk of the source (replacing that chunk's last ones);
        ``chunk`` :data:`LISTING` for the listing walk's."""
        self._counts.setdefault(source_id, {})[chunk] = Counter(counts)
        self._draw(source_id)

    def done(self, source_id: str, summary: Any) -> None:
        """A chunk of the source finished: its row shows its final counts (no line printed:
        the command prints the result once, after the run)."""
        self.update(source_id, summary.counts, summary.run_id)

    def _row(self, source_id: str) -> TaskID | None:
        if self._bars is None:
            return None
        with self._lock:
            if source_id not in self._rows:
                self._rows[source_id] = self._bars.add_task(
                    source_id, total=None, expected="?", listing=0, errors=0
                )
            return self._rows[source_id]

    def _draw(self, source_id: str) -> None:
        row = self._row(source_id)
        if row is None or self._bars is None:
            return
        chunks = dict(self._counts.get(source_id, {}))
        if len(chunks) > 1:  # the first chunk's counts include the listing walk's
            chunks.pop(LISTING, None)
        total: Counter[str] = Counter()
        for counts in chunks.values():
            total.update(counts)
        expected = self._expected.get(source_id)
        planned = sum(expected.values()) if expected else None
        done = total["articles_fetched"] + total["not_modified"] + total["errors"]
        if planned is None:  # still walking the listings
            bar_total, completed = None, 0
        elif planned == 0:  # nothing to request: a full bar
            bar_total, completed = 1, 1
        else:  # the first chunk's counts hold the listing's 304s and errors too: clamp
            bar_total, completed = planned, min(done, planned)
        self._bars.update(
            row,
            total=bar_total,
            completed=completed,
            expected="?" if planned is None else planned,
            listing=total["listing_pages"],
            errors=total["errors"],
        )
