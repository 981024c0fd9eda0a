"""Silent breakage made loud: a run whose empty-body or missing-date share jumps is degraded.

A newsroom redesign rarely fails a fetch; it makes pages parse into empty bodies or lose their
dates. Each run is compared with the source's own recent history (previous runs' totals): when
the share of empty bodies or missing dates is both high and well above what the source usually
shows, the run is marked ``degraded`` with a reason naming the source and sample URLs.
"""

from __future__ import annotations

from collections.abc import Mapping

from warehouse.history import SourceHistory

__all__ = ["degraded_reason"]

MIN_ARTICLES = 5  # too few pages in a run say nothing
MIN_SHARE = 0.5  # at least half the run's articles affected
MIN_JUMP = 0.3  # and 30 points above the source's history


def degraded_reason(
    source_id: str,
    counts: Mapping[str, int],
    history: SourceHistory,
    samples: Mapping[str, list[str]],
) -> str | None:
    """Why this run looks like a redesign broke extraction, or None when it looks normal."""
    extracted = int(counts.get("articles_fetched", 0))
    if extracted < MIN_ARTICLES or history.articles < MIN_ARTICLES:
        return None
    problems = []
    for kind, label in (("empty_bodies", "empty bodies"), ("missing_dates", "missing dates")):
        share = int(counts.get(kind, 0)) / extracted
        usual = history.share(kind)
        if share >= MIN_SHARE and share - usual >= MIN_JUMP:
            urls = ", ".join(samples.get(kind, [])[:3])
            problems.append(
                f"{label} {share:.0%} of {extracted} (usually {usual:.0%}), e.g. {urls}"
            )
    if not problems:
        return None
    return f"{source_id}: possible site redesign: " + "; ".join(problems)
