"""Silent breakage made loud: a run whose empty-body or missing-date share jumps is degraded.

A listing whose learned row template no longer matched its pages (``templates_relearned``:
discovery re-learned it) is degraded too, whatever the article counts: the list may now be
read from the wrong block of the page.

A newsroom redesign rarely fails a fetch; it makes pages parse into empty bodies or lose their
dates. Each run is compared with the source's own recent history (previous runs' totals): when
the share of empty bodies or missing dates is both high and well above what the source usually
shows, the run is marked ``degraded`` with a reason naming the source and sample URLs.

Known articles extracted again without fields the warehouse has are found by the loader (it
alone sees the stored rows): it keeps the stored values, counts them in ``runs.lost_fields`` and
degrades the runs row itself (:func:`pressroom.warehouse.history.lost_fields_alarm`). After the
load,
:func:`lost_fields_reason` turns the loaded counts into the same verdict for the run's summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pressroom.warehouse.history import MIN_ARTICLES, MIN_SHARE, SourceHistory, lost_fields_alarm

__all__ = [
    "MIN_ARTICLES",
    "MIN_JUMP",
    "MIN_SHARE",
    "LostFields",
    "degraded_reason",
    "lost_fields_reason",
]

MIN_JUMP = 0.3  # and 30 points above the source's history


def degraded_reason(
    source_id: str,
    counts: Mapping[str, int],
    history: SourceHistory,
    samples: Mapping[str, list[str]],
) -> str | None:
    """Why this run looks like a redesign broke extraction, or None when it looks normal."""
    problems = []
    relearned = int(counts.get("templates_relearned", 0))
    if relearned:
        urls = ", ".join(samples.get("templates_relearned", [])[:3])
        problems.append(
            f"the list template of {relearned} listing page(s) no longer matched and was"
            f" re-learned, e.g. {urls}"
        )
    extracted = int(counts.get("articles_fetched", 0))
    if extracted < MIN_ARTICLES or history.articles < MIN_ARTICLES:
        return _verdict(source_id, problems)
    for kind, label in (("empty_bodies", "empty bodies"), ("missing_dates", "missing dates")):
        share = int(counts.get(kind, 0)) / extracted
        usual = history.share(kind)
        if share >= MIN_SHARE and share - usual >= MIN_JUMP:
            urls = ", ".join(samples.get(kind, [])[:3])
            problems.append(
                f"{label} {share:.0%} of {extracted} (usually {usual:.0%}), e.g. {urls}"
            )
    return _verdict(source_id, problems)


def _verdict(source_id: str, problems: list[str]) -> str | None:
    if not problems:
        return None
    return f"{source_id}: possible site redesign: " + "; ".join(problems)


@dataclass(frozen=True)
class LostFields:
    """What a load says about known articles extracted without fields the warehouse has."""

    message: str
    degraded: bool


def lost_fields_reason(source_id: str, loaded: Mapping[str, int]) -> LostFields | None:
    """A warning when the loader kept stored values over poorer extractions, and whether it is
    enough to call the run degraded; None when nothing was lost.

    ``loaded`` holds the loader's counts (``lost_fields``, ``articles_updated``,
    ``articles_unchanged``), as in a run summary's counts.
    """
    lost = int(loaded.get("lost_fields", 0))
    if not lost:
        return None
    seen = lost + int(loaded.get("articles_updated", 0)) + int(loaded.get("articles_unchanged", 0))
    message = (
        f"{source_id}: {lost} of {seen} known articles seen again were extracted without fields"
        " the warehouse has; stored values kept, see fetch_errors (stage extract)"
    )
    return LostFields(message, lost_fields_alarm(lost, seen))
