"""The end of a run: the ``pages`` rows of its listing responses (validators kept only when
trusted), the ``list_templates`` rows it learned, and :func:`finish_run`, which decides the
run's status, stages and loads its final batch and logs what needs a person."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from prefect import get_run_logger

from pressroom.config import SourceConfig
from pressroom.core.crawl_state import CrawlState
from pressroom.core.runs import PageRecord, TemplateRecord
from pressroom.flows.batching import RunStager
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.outcome import SourceOutcome, run_counts
from pressroom.flows.health import degraded_reason
from pressroom.flows.report import RunSummary
from pressroom.warehouse.history import SourceHistory

__all__ = ["finish_run", "listing_pages", "template_records"]


def listing_pages(source: SourceConfig, discovery: Discovery, failed: set[str]) -> list[PageRecord]:
    """``pages`` rows for the listing, feed and sitemap responses of a run.

    A 304 changes nothing worth writing (the stored validators stay valid). A page keeps its
    validators only when its walk handled everything behind it (``ListingFetch.trusted``) and
    none of its article links failed; otherwise they are dropped, so that the next run reads
    the page again instead of stopping at a 304 over articles it never stored.
    """
    rows = []
    for page in discovery.listing_pages:
        if page.not_modified:
            continue
        if not page.trusted or failed.intersection(page.links):
            page = replace(page, etag=None, last_modified=None)
        rows.append(PageRecord.of(source.id, page, url=page.url))
    return rows


def template_records(
    source: SourceConfig, discovery: Discovery, state: CrawlState
) -> list[TemplateRecord]:
    """``list_templates`` rows for the templates this run learned or re-learned (a template
    read back unchanged is not written again)."""
    now = datetime.now(UTC)
    return [
        TemplateRecord(source.id, start_url, template.to_json(), now)
        for start_url, template in discovery.templates.items()
        if state.templates.get(start_url) != template
    ]


async def finish_run(
    source: SourceConfig,
    stager: RunStager,
    last: SourceOutcome,
    history: SourceHistory,
    notes: list[str] | None = None,
) -> RunSummary:
    """Decide the run's status, stage and load its final batch, and log what needs a person
    (``notes``: what discovery found worth saying, such as a listing capped by its CMS)."""
    logger = get_run_logger()
    outcome = stager.totals
    degraded = degraded_reason(source.id, outcome.counts, history, outcome.samples)
    for note in notes or []:
        logger.warning(note)
    notes_text = "; ".join([n for n in [degraded, *(notes or [])] if n]) or None
    if degraded:
        status = "degraded"
        logger.warning(degraded)
    elif outcome.counts["errors"] and not stager.records_seen and not last.articles:
        status = "failed"
    else:
        status = "completed"
    run = replace(  # the record the run started with (its id, parameters, dates seen)
        stager.run,
        finished_at=datetime.now(UTC),
        status=status,
        **run_counts(outcome.counts),
        notes=notes_text,
    )
    loaded = await stager.finish(run, last)
    outcome.errors = stager.first_errors
    summary = RunSummary.build(source, run, outcome, loaded)
    if summary.pending:  # articles this run extracted that the locked warehouse did not take
        counts = summary.counts  # (known articles that answered 304 are not counted)
        taken = counts.get("articles_new", 0) + counts.get("articles_updated", 0)
        summary.staged = max(0, stager.articles_seen - taken)
    if loaded["failed"]:  # kept in staging_dir/_failed for a person to look at
        summary.status = "failed"
        summary.first_errors = loaded["failed"] + summary.first_errors
        logger.error("%s: %s", source.id, "; ".join(loaded["failed"]))
    if summary.pending:
        logger.warning(
            "%s: warehouse busy, %d batch(es) stay staged for the next run or `pressroom load`",
            source.id,
            summary.pending,
        )
    return summary
