"""What a command that ran a flow prints at the end, and its exit code.

One result line per source on stdout (a failed source: one line on stderr instead); a backfill
prints one line per month it loaded, labelled with the month, and a total line per source.
Below a line, indented: why the run needs a person (once per source), its first errors, and
what a locked warehouse left staged. The same plain lines on a terminal and off one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pressroom.cli_context import EXIT_DEGRADED, EXIT_OK, EXIT_RUN_FAILED
from pressroom.flows.report import without_source

__all__ = ["exit_code", "result_lines"]

Summary = Mapping[str, Any]
_WORST = ("failed", "degraded", "completed")


def exit_code(summaries: Sequence[Summary]) -> int:
    """1 when a source failed, else 3 when one degraded, else 0."""
    statuses = {s["status"] for s in summaries}
    if "failed" in statuses:
        return EXIT_RUN_FAILED
    if "degraded" in statuses:
        return EXIT_DEGRADED
    return EXIT_OK


def result_lines(
    summaries: Sequence[Summary], echo: Callable[..., Any], *, durations: bool = True
) -> None:
    """Print the result of a run through ``echo`` (``click.echo``: ``err=True`` for stderr)."""
    by_source: dict[str, list[Summary]] = {}
    for s in summaries:
        by_source.setdefault(s["source_id"], []).append(s)
    said: set[str] = set()  # what was said already: a reason per source, the lock once
    for source_id, group in by_source.items():
        for s in group:
            if s.get("failure"):
                echo(f"pressroom: {s['failure']}", err=True)
                continue
            label = f"{source_id} {s['chunk']}" if s.get("chunk") else source_id
            echo(f"{label}: {s['status']} - {_counts(s['counts'], s)}{_took(s, durations)}")
            _details(s, echo, said)
        chunks = [s for s in group if s.get("chunk") and not s.get("failure")]
        if chunks:
            echo(f"{source_id} total: {_total(chunks)}")


def _counts(c: Mapping[str, int], s: Summary) -> str:
    staged = (
        f"{s.get('staged', 0)} article(s) staged and waiting for the locked warehouse, "
        if s.get("pending")
        else ""
    )
    return (
        f"{staged}{c.get('articles_new', 0)} new, {c.get('articles_updated', 0)} updated, "
        f"{c.get('articles_unchanged', 0)} unchanged, {c.get('not_modified', 0)} not modified, "
        f"{c.get('listing_pages', 0)} listing pages, {c.get('errors', 0)} errors"
    )


def _took(s: Summary, durations: bool) -> str:
    return f" ({s['duration_s']:.1f}s)" if durations else ""


def _details(s: Summary, echo: Callable[..., Any], said: set[str]) -> None:
    reason = _reason(s)
    key = f"{s['source_id']}: {reason}"
    if reason and key not in said:  # a backfill's months share a source's reason
        said.add(key)
        echo(f"  {'degraded' if s['status'] == 'degraded' else 'note'}: {reason}")
    for text in s.get("first_errors", []):
        echo(f"  error: {text}")
    if s.get("pending") and "pending" not in said:  # batches of every source: say it once
        said.add("pending")
        echo(
            "  the warehouse is locked by another process: what is staged loads on the next"
            " run or with `pressroom load`"
        )


def _reason(s: Summary) -> str | None:
    """The notes without the source's name on each part (the line above names it)."""
    return without_source(s["source_id"], s["notes"]) if s.get("notes") else None


def _total(chunks: Sequence[Summary]) -> str:
    counts: dict[str, int] = {}
    for s in chunks:
        for key, value in s["counts"].items():
            counts[key] = counts.get(key, 0) + int(value)
    status = next(x for x in _WORST if x in {s["status"] for s in chunks} | {"completed"})
    total = {
        "status": status,
        "pending": sum(int(s.get("pending", 0)) for s in chunks),
        "staged": sum(int(s.get("staged", 0)) for s in chunks),
    }
    months = len([s for s in chunks if s["chunk"] != "undated"])
    over = f" over {months} month(s)" if months else ""
    if len(chunks) > months:
        over += " and the undated" if months else " (undated links only)"
    return f"{status} - {_counts(counts, total)}{over}"
