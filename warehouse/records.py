"""The Arrow schema of every staged Parquet file (see :mod:`pressroom.warehouse.staging`),
which the loader also uses for its staging tables. The records themselves are
:mod:`pressroom.core.runs`."""

from __future__ import annotations

import pyarrow as pa

__all__ = ["SCHEMAS"]

_TS = pa.timestamp("us", tz="UTC")
SCHEMAS: dict[str, pa.Schema] = {
    "run": pa.schema(
        [
            ("run_id", pa.string()),
            ("flow", pa.string()),
            ("mode", pa.string()),
            ("source_id", pa.string()),
            ("parameters", pa.string()),
            ("started_at", _TS),
            ("finished_at", _TS),
            ("status", pa.string()),
            ("listing_pages", pa.int32()),
            ("articles_fetched", pa.int32()),
            ("not_modified", pa.int32()),
            ("errors", pa.int32()),
            ("empty_bodies", pa.int32()),
            ("missing_dates", pa.int32()),
            ("notes", pa.string()),
            ("not_articles", pa.int32()),
            ("uncertain_dates", pa.int32()),
            ("date_disagreements", pa.int32()),
            ("date_order", pa.string()),
            ("date_day_first", pa.int32()),
            ("date_month_first", pa.int32()),
            ("date_example", pa.string()),
        ]
    ),
    "sources": pa.schema(
        [
            ("source_id", pa.string()),
            ("name", pa.string()),
            ("timezone", pa.string()),
            ("language", pa.string()),
            ("start_urls", pa.list_(pa.string())),
        ]
    ),
    "articles": pa.schema(
        [
            ("article_id", pa.string()),
            ("source_id", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("published_at", _TS),
            ("updated_at", _TS),
            ("author", pa.string()),
            ("origin", pa.string()),
            ("language", pa.string()),
            ("lede", pa.string()),
            ("body_text", pa.string()),
            ("canonical_url", pa.string()),
            ("warnings", pa.list_(pa.string())),
            ("extraction_rules", pa.string()),
            ("content_hash", pa.string()),
            ("fetched_at", _TS),
            ("index_no", pa.string()),
            ("doc_no", pa.string()),
            ("issuer", pa.string()),
            ("written_at", pa.date32()),
            ("topic", pa.string()),
            ("validity", pa.string()),
        ]
    ),
    "paragraphs": pa.schema(
        [("article_id", pa.string()), ("position", pa.int32()), ("text", pa.string())]
    ),
    "images": pa.schema(
        [
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("src", pa.string()),
            ("alt", pa.string()),
            ("caption", pa.string()),
        ]
    ),
    "attachments": pa.schema(
        [
            ("article_id", pa.string()),
            ("position", pa.int32()),
            ("url", pa.string()),
            ("text", pa.string()),
        ]
    ),
    "unchanged": pa.schema(
        [("source_id", pa.string()), ("article_id", pa.string()), ("seen_at", _TS)]
    ),
    "pages": pa.schema(
        [
            ("source_id", pa.string()),
            ("url", pa.string()),
            ("final_url", pa.string()),
            ("status", pa.int32()),
            ("etag", pa.string()),
            ("last_modified", pa.string()),
            ("fetched_at", _TS),
            ("archive_key", pa.string()),
            ("article_id", pa.string()),
            ("kind", pa.string()),
            ("kind_reason", pa.string()),
        ]
    ),
    "templates": pa.schema(
        [
            ("source_id", pa.string()),
            ("start_url", pa.string()),
            ("template", pa.string()),
            ("learned_at", _TS),
        ]
    ),
    "errors": pa.schema(
        [
            ("source_id", pa.string()),
            ("url", pa.string()),
            ("stage", pa.string()),
            ("status", pa.int32()),
            ("reason", pa.string()),
            ("attempts", pa.int32()),
            ("run_id", pa.string()),
            ("occurred_at", _TS),
        ]
    ),
}
