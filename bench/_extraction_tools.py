"""The extractors bench/extraction.py compares, run on a corpus's pages and timed.

Each tool's output is reduced to the compared fields (:class:`Output`); :func:`run_tools` runs
every tool on every page, interleaved page by page, after one warm-up page, and times the
extraction call only.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from corpora import Page

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors import extract_article
from pressroom.extractors.inspect import record_to_dict

__all__ = ["RUNNERS", "TOOLS", "Output", "run_pressroom", "run_tools", "run_trafilatura"]

TOOLS = ("pressroom", "trafilatura")
_MIN_TIMED_PAGES = 200


@dataclass
class Output:
    """What a tool gave for one page, reduced to the compared fields."""

    title: str | None = None
    day: str | None = None
    updated_day: str | None = None
    published: str | None = None
    author: str | None = None
    origin: str | None = None
    body: str = ""
    rule: str | None = None


def run_pressroom(body: bytes, url: str, profile: ExtractionProfile, ctype: str | None) -> Output:
    """pressroom's ``extract_article`` on one page."""
    record = extract_article(body, url, profile=profile, content_type=ctype)
    data = record_to_dict(record)
    published, updated = record.published_at, record.updated_at
    return Output(  # .date() in the datetime's own offset: the calendar day the page gave
        title=record.title,
        day=published.date().isoformat() if published else None,
        updated_day=updated.date().isoformat() if updated else None,
        published=data.get("published_at"),
        author=record.author,
        origin=record.origin,
        body="\n".join(record.paragraphs),
        rule=record.rules.get("paragraphs"),
    )


def run_trafilatura(body: bytes, url: str, profile: ExtractionProfile, ctype: str | None) -> Output:
    """trafilatura's ``bare_extraction`` with metadata on one page (the profile is not used)."""
    import trafilatura

    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    if doc is None:
        return Output()
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return Output(
        title=data.get("title"),
        day=data.get("date"),
        author=data.get("author"),
        origin=data.get("sitename"),
        body=data.get("text") or "",
    )


RUNNERS: dict[str, Callable[[bytes, str, ExtractionProfile, str | None], Output]] = {
    "pressroom": run_pressroom,
    "trafilatura": run_trafilatura,
}


def run_tools(pages: list[Page], tools: list[str]) -> dict[str, tuple[list[Output], float, int]]:
    """Every tool on every page, interleaved page by page so that a busy machine slows all
    tools alike; per tool: outputs, seconds spent in the tool, crashes."""
    runs: dict[str, tuple[list[Output], float, int]] = {}
    if pages:  # warm-up: lazy imports and caches stay out of the timing
        for tool in tools:
            with contextlib.suppress(Exception):
                RUNNERS[tool](pages[0].body, pages[0].url, pages[0].profile, pages[0].content_type)
    outputs: dict[str, list[Output]] = {tool: [] for tool in tools}
    seconds = dict.fromkeys(tools, 0.0)
    failures = dict.fromkeys(tools, 0)
    rounds = max(1, -(-_MIN_TIMED_PAGES // max(1, len(pages))))  # small corpora run repeatedly
    for round_no in range(rounds):
        for page in pages:
            for tool in tools:
                started = time.perf_counter()
                try:
                    out = RUNNERS[tool](page.body, page.url, page.profile, page.content_type)
                except Exception:  # a crash scores as an empty output, and is counted
                    failures[tool] += round_no == 0
                    out = Output()
                seconds[tool] += time.perf_counter() - started
                if round_no == 0:
                    outputs[tool].append(out)
    for tool in tools:
        runs[tool] = (outputs[tool], seconds[tool] / rounds, failures[tool])
    return runs
