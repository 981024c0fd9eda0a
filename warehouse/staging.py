"""The durable staging area: parsed records written to disk before any DuckDB lock is needed.

A run hands its records to :func:`stage_batch`, which writes them as Parquet files into a
temporary directory, fsyncs them and renames the directory to ``staging_dir/<batch id>/``. The
rename is atomic, so a batch is either wholly there or absent; batch ids sort in staging order.
:func:`pressroom.warehouse.load.load_pending` loads and then removes them.

Work that needs no warehouse is done here, outside the lock: the content hash, de-duplication
of articles (by ``article_id``, last wins) and pages (by ``url``, last wins). The search index
is fed from the warehouse after each load (see :mod:`pressroom.warehouse.search_index`).

Layout of a batch directory (a table with no rows has no file)::

    manifest.json     batch id, run id, row counts, format version (written last)
    run.parquet       one row: the RunRecord
    sources.parquet   SourceRecord rows
    articles.parquet  one row per article (+ content_hash, fetched_at)
    paragraphs.parquet / images.parquet / attachments.parquet   (article_id, position, ...)
    unchanged.parquet SeenUnchanged rows
    pages.parquet     PageRecord rows
    errors.parquet    FetchErrorRecord rows
    templates.parquet TemplateRecord rows (learned list templates; staged with listing pages)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pressroom.core.articles import DISCLOSURE_FIELDS
from pressroom.core.errors import WarehouseError
from pressroom.core.runs import (
    FetchErrorRecord,
    PageRecord,
    RunRecord,
    SeenUnchanged,
    SourceRecord,
    StagedArticle,
    TemplateRecord,
    content_hash,
    utc,
)
from pressroom.warehouse.records import SCHEMAS

__all__ = ["BATCH_FORMAT", "is_batch_id", "pending_batches", "stage_batch"]

# The record types a batch holds are pressroom.core.runs'; callers import them from there.

BATCH_FORMAT = 3
"""3: no search postings (the index is fed from the warehouse); 1 and 2 held terms.parquet."""
_BATCH_ID = re.compile(r"^\d{8}T\d{12}Z-\d+-[0-9a-f]{6}$")


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- batch ids

_id_lock = threading.Lock()
_last_stamp: datetime | None = None


def _new_batch_id() -> str:
    """``YYYYMMDDTHHMMSSffffffZ-<pid>-<random>``: sorts in staging order within a process."""
    global _last_stamp
    with _id_lock:
        stamp = _now()
        if _last_stamp is not None and stamp <= _last_stamp:
            stamp = _last_stamp + timedelta(microseconds=1)
        _last_stamp = stamp
    return f"{stamp:%Y%m%dT%H%M%S%f}Z-{os.getpid()}-{secrets.token_hex(3)}"


def is_batch_id(name: str) -> bool:
    """True for a directory name :func:`stage_batch` could have produced."""
    return bool(_BATCH_ID.match(name))


def pending_batches(staging_dir: str | os.PathLike[str]) -> list[Path]:
    """Complete staged batch directories, oldest first (temporary and removed ones excluded)."""
    root = Path(staging_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and is_batch_id(p.name))


# --------------------------------------------------------------------------- writing


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_table(directory: Path, name: str, rows: Mapping[str, list[Any]]) -> int:
    table = pa.Table.from_pydict(dict(rows), schema=SCHEMAS[name])
    if table.num_rows == 0:
        return 0
    return _write_arrow(directory, name, table)


def _write_arrow(directory: Path, name: str, table: pa.Table) -> int:
    path = directory / f"{name}.parquet"
    with open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd", compression_level=1)
        fh.flush()
        os.fsync(fh.fileno())
    return table.num_rows


def _columns(name: str) -> dict[str, list[Any]]:
    return {f.name: [] for f in SCHEMAS[name]}


def _run_rows(run: RunRecord) -> dict[str, list[Any]]:
    return {
        "run_id": [run.run_id],
        "flow": [run.flow],
        "mode": [run.mode],
        "source_id": [run.source_id],
        "parameters": [json.dumps(dict(run.parameters), sort_keys=True, default=str)],
        "started_at": [utc(run.started_at)],
        "finished_at": [utc(run.finished_at)],
        "status": [run.status],
        "listing_pages": [run.listing_pages],
        "articles_fetched": [run.articles_fetched],
        "not_modified": [run.not_modified],
        "errors": [run.errors],
        "empty_bodies": [run.empty_bodies],
        "missing_dates": [run.missing_dates],
        "notes": [run.notes],
        "not_articles": [run.not_articles],
        "uncertain_dates": [run.uncertain_dates],
        "date_disagreements": [run.date_disagreements],
        "date_order": [run.date_order],
        "date_day_first": [run.date_day_first],
        "date_month_first": [run.date_month_first],
        "date_example": [run.date_example],
    }


def _article_tables(articles: Iterable[StagedArticle]) -> dict[str, dict[str, list[Any]]]:
    latest: dict[str, StagedArticle] = {}
    for item in articles:
        latest.pop(item.article_id, None)  # last wins, in the order last seen
        latest[item.article_id] = item
    out = {name: _columns(name) for name in ("articles", "paragraphs", "images", "attachments")}
    art, par, img, att = (out[n] for n in ("articles", "paragraphs", "images", "attachments"))
    for item in latest.values():
        rec = item.record
        aid = item.article_id
        art["article_id"].append(aid)
        art["source_id"].append(item.source_id)
        art["url"].append(item.url)
        art["title"].append(rec.title)
        art["published_at"].append(utc(rec.published_at))
        art["updated_at"].append(utc(rec.updated_at))
        art["author"].append(rec.author)
        art["origin"].append(rec.origin)
        art["language"].append(rec.language)
        art["lede"].append(rec.lede)
        art["body_text"].append(rec.body_text)
        art["canonical_url"].append(rec.canonical_url)
        art["warnings"].append(list(rec.warnings))
        art["extraction_rules"].append(json.dumps(dict(rec.rules), sort_keys=True))
        art["content_hash"].append(content_hash(rec))
        art["fetched_at"].append(utc(item.fetched_at))
        for name in DISCLOSURE_FIELDS:
            art[name].append(getattr(rec, name))
        n = len(rec.paragraphs)
        par["article_id"].extend([aid] * n)
        par["position"].extend(range(1, n + 1))
        par["text"].extend(rec.paragraphs)
        for pos, image in enumerate(rec.images, start=1):
            img["article_id"].append(aid)
            img["position"].append(pos)
            img["src"].append(image.src)
            img["alt"].append(image.alt)
            img["caption"].append(image.caption)
        for pos, attachment in enumerate(rec.attachments, start=1):
            att["article_id"].append(aid)
            att["position"].append(pos)
            att["url"].append(attachment.url)
            att["text"].append(attachment.text)
    return out


def stage_batch(
    staging_dir: str | os.PathLike[str],
    *,
    run: RunRecord,
    articles: Sequence[StagedArticle] = (),
    unchanged: Sequence[SeenUnchanged] = (),
    pages: Sequence[PageRecord] = (),
    errors: Sequence[FetchErrorRecord] = (),
    sources: Sequence[SourceRecord] = (),
    templates: Sequence[TemplateRecord] = (),
) -> Path:
    """Write one batch durably and atomically; return its directory.

    A batch with no articles is fine (for example the final runs row of a run that found
    nothing new). Raises WarehouseError when the staging directory cannot be written.
    """
    root = Path(staging_dir)
    batch_id = _new_batch_id()
    tmp = root / f".tmp-{batch_id}"
    staged_at = _now()
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        counts: dict[str, int] = {}
        tables = _article_tables(articles)
        for name in ("paragraphs", "images", "attachments"):
            counts[name] = _write_table(tmp, name, tables[name])
        if tables["articles"]["article_id"]:
            article_table = pa.Table.from_pydict(tables["articles"], schema=SCHEMAS["articles"])
            counts["articles"] = _write_arrow(tmp, "articles", article_table)
        else:
            counts["articles"] = 0

        unc = _columns("unchanged")
        for u in unchanged:
            unc["source_id"].append(u.source_id)
            unc["article_id"].append(u.article_id)
            unc["seen_at"].append(utc(u.seen_at) or staged_at)
        counts["unchanged"] = _write_table(tmp, "unchanged", unc)

        by_url: dict[str, PageRecord] = {}
        for page in pages:
            by_url.pop(page.url, None)
            by_url[page.url] = page
        pag = _columns("pages")
        for page in by_url.values():
            for key in pag:
                value = getattr(page, key)
                pag[key].append(utc(value) if isinstance(value, datetime) else value)
        counts["pages"] = _write_table(tmp, "pages", pag)

        err = _columns("errors")
        for error in errors:
            for key in err:
                value = getattr(error, key)
                err[key].append(utc(value) if isinstance(value, datetime) else value)
        counts["errors"] = _write_table(tmp, "errors", err)

        src = _columns("sources")
        for source in {s.source_id: s for s in sources}.values():
            for key in src:
                value = getattr(source, key)
                src[key].append(list(value) if key == "start_urls" else value)
        counts["sources"] = _write_table(tmp, "sources", src)
        tpl = _columns("templates")
        for template in {(t.source_id, t.start_url): t for t in templates}.values():
            for key in tpl:
                value = getattr(template, key)
                tpl[key].append(utc(value) if isinstance(value, datetime) else value)
        counts["templates"] = _write_table(tmp, "templates", tpl)
        counts["run"] = _write_table(tmp, "run", _run_rows(run))

        manifest = {
            "format": BATCH_FORMAT,
            "batch_id": batch_id,
            "run_id": run.run_id,
            "staged_at": staged_at.isoformat(),
            "counts": counts,
        }
        with open(tmp / "manifest.json", "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(tmp)
        final = root / batch_id
        os.rename(tmp, final)
        _fsync_dir(root)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise WarehouseError(f"cannot stage batch in {root}: {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
