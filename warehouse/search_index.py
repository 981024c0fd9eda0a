"""The search index: a tantivy index beside the warehouse, derived from it and rebuildable.

The index lives in ``<warehouse file>.search/``. It holds one document per article (its current
content) and one watermark document: the highest ``loaded_batches.load_seq`` whose articles it
holds, committed in the same tantivy commit as those articles, so the index is never ahead of
what it says. :func:`catch_up` compares the watermark with the warehouse's highest ``load_seq``
and indexes the articles of the runs loaded after it (their documents replace the old ones);
the loader feeds each batch's new and changed articles after the batch commits and moves the
watermark (:class:`IndexFeeder`); a crash between the warehouse commit and the index commit is
caught up by the next load or search. A watermark above the warehouse's (a warehouse restored
from an older copy) rebuilds the index.

Comparing watermarks means opening the warehouse (30 ms or more): a search skips it when the
warehouse file (and its WAL) is exactly as it was when the index was last known current, which
``warehouse.stamp`` in the index directory records (size, mtime, inode). The stamp is written
only while the writer holds a read-only connection, so no load can slip in between.

Fields: English text with tantivy's ``en_stem`` analyzer (lowercase, Porter stemming); Chinese
as character bigrams (tantivy's n-gram tokenizer) over each CJK run of the text, one field value
per run, so no bigram spans punctuation or Latin text. Titles and bodies are separate fields,
so titles can be weighted at query time. Readers in other processes search while a writer
commits: tantivy's segment files are immutable and its commit replaces ``meta.json`` atomically.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import tantivy

__all__ = [
    "ARTICLE_COLUMNS",
    "IndexFeeder",
    "catch_up",
    "index_dir",
    "index_watermark",
    "lone_cjk_characters",
    "open_index",
    "rebuild",
    "stamp_matches",
    "warehouse_watermark",
    "write_stamp",
]

log = logging.getLogger(__name__)

ZH_TOKENIZER = "pressroom_zh_bigram"
WATERMARK_ID = "\x00watermark"
"""article_id of the watermark document (no real article id starts with NUL)."""

_CJK_CHARS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CJK_RUN = re.compile(_CJK_CHARS + "{2,}")
_CJK_ANY_RUN = re.compile(_CJK_CHARS + "+")
_WRITER_HEAP = 64_000_000
_CHUNK = 5_000

ARTICLE_COLUMNS = "article_id, source_id, url, title, published_at AT TIME ZONE 'UTC', body_text"
"""What a document is built from; the date as naive UTC, as tantivy stores it (no conversion
in Python)."""


def index_dir(warehouse_path: str | os.PathLike[str]) -> Path:
    """Where the search index of a warehouse file lives: ``<file>.search/``."""
    return Path(f"{os.fspath(warehouse_path)}.search")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("article_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("source_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title_en", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("body_en", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("title_zh", tokenizer_name=ZH_TOKENIZER)
    sb.add_text_field("body_zh", tokenizer_name=ZH_TOKENIZER)
    sb.add_date_field("published_at", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("load_seq", stored=True)
    return sb.build()


SCHEMA = _schema()


def zh_analyzer() -> tantivy.TextAnalyzer:
    """Overlapping character bigrams, as the index and the snippets of Chinese text use."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2, False)).build()


def open_index(warehouse_path: str | os.PathLike[str], *, create: bool) -> tantivy.Index | None:
    """The warehouse's index with its tokenizers registered; None if absent and not ``create``."""
    path = index_dir(warehouse_path)
    if not (path.is_dir() and tantivy.Index.exists(str(path))):
        if not create:
            return None
        path.mkdir(parents=True, exist_ok=True)
    try:
        index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    except (ValueError, OSError):
        if not create:
            return None
        log.warning("search index %s cannot be opened: rebuilding it", path)
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(ZH_TOKENIZER, zh_analyzer())
    return index


def lone_cjk_characters(text: str) -> list[str]:
    """The CJK characters of a query that stand alone (a run of one): Chinese is indexed in
    bigrams, so such a character matches nothing."""
    return [run for run in _CJK_ANY_RUN.findall(text) if len(run) == 1]


def cjk_runs(text: str | None) -> list[str]:
    """The runs of two or more CJK characters in ``text`` (one field value each)."""
    return _CJK_RUN.findall(text) if text and not text.isascii() else []


def _document(row: tuple) -> tantivy.Document:
    article_id, source_id, url, title, published_at, body = row
    doc = tantivy.Document(article_id=article_id, source_id=source_id, url=url)
    doc.add_text("title_en", title or "")
    doc.add_text("body_en", body or "")
    for run in cjk_runs(title):
        doc.add_text("title_zh", run)
    for run in cjk_runs(body):
        doc.add_text("body_zh", run)
    if published_at is not None:
        doc.add_date("published_at", published_at)
    return doc


def index_watermark(index: tantivy.Index) -> int:
    """The highest load_seq the index holds (0 for an empty index)."""
    index.reload()
    searcher = index.searcher()
    query = tantivy.Query.term_query(SCHEMA, "article_id", WATERMARK_ID)
    hits = searcher.search(query, 1).hits
    if not hits:
        return 0
    return int(searcher.doc(hits[0][1])["load_seq"][0])


def warehouse_watermark(con: duckdb.DuckDBPyConnection) -> int:
    """The highest load_seq in the warehouse (0 before the first load)."""
    return int(
        con.execute("SELECT coalesce(max(load_seq), 0) FROM loaded_batches").fetchall()[0][0]
    )


class IndexFeeder:
    """A writer on the index for one loader (or catch-up): add articles, then :meth:`commit`.

    Hold it only while holding the warehouse file (read-write, or read-only for a catch-up):
    DuckDB's lock then keeps a second feeder away. ``base`` is the watermark the index had
    committed when the feeder was made: what :meth:`restart` goes back to.
    """

    def __init__(self, index: tantivy.Index, base: int = 0) -> None:
        self.index = index
        self.writer = index.writer(_WRITER_HEAP, 1)
        self.base = base
        self.added = 0

    def add_rows(self, cursor: duckdb.DuckDBPyConnection, *, replacing: bool = True) -> int:
        """Index the rows a query gave (columns as :data:`ARTICLE_COLUMNS`).

        ``replacing`` deletes each article's earlier document first; leave it off only for
        articles the index cannot hold yet (new in the warehouse: the index is never ahead).
        Documents are indexed by tantivy's own thread as they are added, so the caller can go
        on with other work until :meth:`commit`.
        """
        added = 0
        while rows := cursor.fetchmany(_CHUNK):
            for row in rows:
                if replacing:
                    self.writer.delete_documents_by_term("article_id", row[0])
                self.writer.add_document(_document(row))
            added += len(rows)
        self.added += added
        return added

    def add_query(self, con: duckdb.DuckDBPyConnection, where: str, params: object = None) -> int:
        """Index (replacing) the articles ``SELECT ... FROM articles WHERE <where>`` returns."""
        return self.add_rows(
            con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {where}", params)
        )

    def restart(self, con: duckdb.DuckDBPyConnection) -> None:
        """Drop what was added, then add again what the warehouse holds beyond :attr:`base`
        (after a batch whose documents were added failed to load)."""
        self.writer.rollback()
        self.added = 0
        _add_missing(self, con, self.base, warehouse_watermark(con))

    def commit(self, watermark: int) -> None:
        """Commit the added articles together with the new watermark, then merge and let go."""
        self.writer.delete_documents_by_term("article_id", WATERMARK_ID)
        self.writer.add_document(tantivy.Document(article_id=WATERMARK_ID, load_seq=watermark))
        self.writer.commit()
        self.writer.wait_merging_threads()

    def rollback(self) -> None:
        """Drop what was added since the last commit."""
        self.writer.rollback()
        self.writer.wait_merging_threads()


def _add_missing(feeder: IndexFeeder, con: duckdb.DuckDBPyConnection, have: int, want: int) -> None:
    """Add the articles of the runs loaded after watermark ``have`` (all when it is 0)."""
    if have == 0 and want > 0:
        feeder.writer.delete_all_documents()
        feeder.add_query(con, "true")
    elif have < want:
        feeder.add_query(
            con, "run_id IN (SELECT run_id FROM loaded_batches WHERE load_seq > ?)", [have]
        )


def catch_up(
    con: duckdb.DuckDBPyConnection, warehouse_path: str | os.PathLike[str]
) -> tuple[IndexFeeder, int]:
    """A feeder that holds every article the index lacks; and the warehouse watermark.

    Behind: the articles of runs with batches loaded after the index's watermark are added
    (all articles when the index is empty or missing). Ahead (an older warehouse): rebuilt.
    Nothing is committed: the caller commits with the returned watermark.
    """
    index = open_index(warehouse_path, create=True)
    assert index is not None
    have, want = index_watermark(index), warehouse_watermark(con)
    if have > want:
        log.warning("search index is ahead of the warehouse (%d > %d): rebuilding", have, want)
        index = _fresh_index(warehouse_path)
        have = 0
    feeder = IndexFeeder(index, base=have)
    _add_missing(feeder, con, have, want)
    if feeder.added:
        log.info("search index caught up: %d article(s) indexed", feeder.added)
    return feeder, want


def _fresh_index(warehouse_path: str | os.PathLike[str]) -> tantivy.Index:
    shutil.rmtree(index_dir(warehouse_path), ignore_errors=True)
    index = open_index(warehouse_path, create=True)
    assert index is not None
    return index


def rebuild(con: duckdb.DuckDBPyConnection, warehouse_path: str | os.PathLike[str]) -> int:
    """Build the index anew from every article in the warehouse; return how many."""
    feeder = IndexFeeder(_fresh_index(warehouse_path))
    count = feeder.add_query(con, "true")
    feeder.commit(warehouse_watermark(con))
    return count


def as_utc(value: datetime | None) -> datetime | None:
    """A tantivy date (naive UTC) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_STAMP = "warehouse.stamp"


def _file_state(warehouse_path: str | os.PathLike[str]) -> str:
    parts = []
    for path in (Path(warehouse_path), Path(f"{os.fspath(warehouse_path)}.wal")):
        try:
            st = path.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return " ".join(parts)


def write_stamp(warehouse_path: str | os.PathLike[str]) -> None:
    """Record that the index is current with the warehouse file as it is now.

    Call it only while holding a connection to the warehouse (so no writer runs) and after
    the index has caught up.
    """
    target = index_dir(warehouse_path) / _STAMP
    tmp = target.with_name(f".{_STAMP}.tmp")
    tmp.write_text(_file_state(warehouse_path), encoding="utf-8")
    os.replace(tmp, target)


def stamp_matches(warehouse_path: str | os.PathLike[str]) -> bool:
    """True when the warehouse file is unchanged since :func:`write_stamp` (index current)."""
    try:
        recorded = (index_dir(warehouse_path) / _STAMP).read_text(encoding="utf-8")
    except OSError:
        return False
    return recorded == _file_state(warehouse_path)
