"""Extraction: bytes of a newsroom page in, typed records out.

Public entry points::

    extract_article(body, url, *, profile=ExtractionProfile(), content_type=None) -> ArticleRecord
    decode_html(body, content_type) -> str
    parse_date(text, *, timezone, date_order) -> datetime | None

Modules: ``encoding`` (bytes to text), ``markup`` (what is cut before the parse), ``dates``
(date forms), ``scan`` (the one walk over the tree), ``metadata`` (JSON-LD and meta), ``labels``
(labelled visible fields), ``headline``, ``body`` (container and paragraphs), ``boilerplate``
(what is not the article), ``cascade`` with ``body_plausibility`` and ``paragraph_runs`` (the
body's fallback steps), ``media`` (images and attachments), ``selectors`` and ``sites``
(declared overrides), ``article`` (the cascade) with ``article_fields`` (each field's sources in
order), ``inspect`` (per-field value and rule, for ``pressroom check-source``); ``listing`` (a
listing page's article links and next pages) with its parts ``listing_anchors``,
``listing_chrome``, ``listing_links``, ``listing_rows`` and ``listing_next``.
"""

from __future__ import annotations

from pressroom.extractors.article import extract_article
from pressroom.extractors.dates import parse_date
from pressroom.extractors.encoding import decode_html

__all__ = ["decode_html", "extract_article", "parse_date"]
