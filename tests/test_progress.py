"""Live progress (``pressroom.flows.progress``): bars on a terminal only, per-source totals over a
backfill's chunks, and no result line of its own (the command prints each source's once)."""

from __future__ import annotations

import io
from collections import Counter
from types import SimpleNamespace

from rich.console import Console

from pressroom.flows.progress import LISTING, Progress


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=120), buffer


def test_off_a_terminal_it_draws_nothing() -> None:
    console, buffer = _console(terminal=False)
    with Progress(console) as progress:
        progress.start("city")
        progress.expect("city", 3, "run-1")
        progress.update("city", Counter(articles_fetched=3), "run-1")
    assert buffer.getvalue() == ""


def test_a_bar_per_source_totals_every_chunk_and_prints_no_result_line() -> None:
    console, buffer = _console(terminal=True)
    with Progress(console) as progress:
        progress.start("city")
        progress.update("city", Counter(listing_pages=4, not_modified=1), LISTING)
        progress.expect("city", 20, "run-1")  # a backfill's first month
        progress.expect("city", 10, "run-2")  # and its second
        progress.update("city", Counter(listing_pages=4, articles_fetched=12), "run-1")
        progress.update("city", Counter(articles_fetched=8, errors=1), "run-2")
        progress._bars.refresh()  # draw now, not at the next tick
        summary = SimpleNamespace(run_id="run-2", counts=Counter(articles_fetched=9, errors=1))
        progress.done("city", summary)
        progress._bars.refresh()
    text = buffer.getvalue()
    assert "city" in text
    # requests done (fetched + 304s + errors) of the two chunks' 20 + 10 planned, by hand:
    assert "21/30 articles 4 listing pages, 1 errors" in text  # 12 + (8 + 1 error)
    assert "22/30 articles 4 listing pages, 1 errors" in text  # 12 + (9 + 1 error) when done
    assert "completed" not in text and " new" not in text  # the command's line, not ours
