"""The DuckDB warehouse: schema, staging, loading, crawl state, queries and search.

This package owns every line of SQL in pressroom. Runs write parsed records to a durable
staging area (:func:`stage_batch`), then :func:`load_pending` loads them in one transaction
per batch whenever the DuckDB file lock can be had; nothing is lost while an analyst's session
holds the file. Reads (:func:`run_sql`, :func:`search`, :func:`read_crawl_state`, ...) open
read-only and close at once.

Modules: ``migrate`` + ``migrations/`` (schema), ``db`` (connections, lock waiting),
``records`` (what runs stage), ``staging`` (durable batches), ``batch`` (one batch's
transaction), ``lost_fields`` (what counts as lost; classifying a batch), ``merge_sql`` (the
statements that write a batch), ``load`` (loading pending batches), ``state`` (crawl state),
``query`` (SQL, summary, schema, export), ``search_index`` (the tantivy index beside the
file: feeding, watermark, catch-up), ``search`` (queries), ``integrity`` (the keys the large
tables keep without a PRIMARY KEY).
"""

from pressroom.core.crawl_state import CrawlState, FailedUrl, KnownArticle, PageState, Validators
from pressroom.core.runs import (
    FetchErrorRecord,
    PageRecord,
    RunRecord,
    SeenUnchanged,
    SourceRecord,
    StagedArticle,
    content_hash,
)
from pressroom.warehouse.db import DEFAULT_LOCK_TIMEOUT, connect
from pressroom.warehouse.load import LoadReport, RunCounts, load_pending
from pressroom.warehouse.migrate import available_migrations, migrate
from pressroom.warehouse.query import (
    ColumnDoc,
    SchemaDoc,
    TableDoc,
    describe_schema,
    export,
    run_sql,
    source_summary,
)
from pressroom.warehouse.search import SearchHit, reindex, search
from pressroom.warehouse.staging import pending_batches, stage_batch
from pressroom.warehouse.state import pending_state, read_crawl_state

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "ColumnDoc",
    "CrawlState",
    "FailedUrl",
    "FetchErrorRecord",
    "KnownArticle",
    "LoadReport",
    "PageRecord",
    "PageState",
    "RunCounts",
    "RunRecord",
    "SchemaDoc",
    "SearchHit",
    "SeenUnchanged",
    "SourceRecord",
    "StagedArticle",
    "TableDoc",
    "Validators",
    "available_migrations",
    "connect",
    "content_hash",
    "describe_schema",
    "export",
    "load_pending",
    "migrate",
    "pending_batches",
    "pending_state",
    "read_crawl_state",
    "reindex",
    "run_sql",
    "search",
    "source_summary",
    "stage_batch",
]
