"""The search index: a tantivy index beside the warehouse, derived from it and rebuildable.

The index lives in ``<warehouse file>.search/``. It holds one document per article (its current
content) and one watermark document: the highest ``loaded_batches.load_seq`` whose articles it
holds, committed in the same tantivy commit as those articles, so the index is never ahead of
what it says. Writing it is :mod:`pressroom.warehouse.index_writer`'s job: its ``catch_up``
compares the watermark with the warehouse's highest ``load_seq`` and indexes the articles of
the runs loaded after it (their documents replace the old ones); the loader feeds each batch's
new and changed articles and moves the watermark, on a writer thread of its own. A crash
between the warehouse commit and the index commit is caught up by the next load or search. A
watermark above the warehouse's (a warehouse restored from an older copy) rebuilds the index.

Comparing watermarks means opening the warehouse (30 ms or more): a search skips it when the
warehouse file (and its WAL) is exactly as it was when the index was last known current, which
``warehouse.stamp`` in the index directory records (size, mtime, inode). The stamp is written
while holding a read-only connection (a search's catch-up), or by the loader's index commit
with the file's state as the loader closed it: a load that slipped in since changed the file,
so the stamp no longer matches.

Fields: English text with tantivy's ``en_stem`` analyzer (lowercase, Porter stemming); Chinese
as character bigrams (tantivy's n-gram tokenizer) over each CJK run of the text, one field value
per run, so no bigram spans punctuation or Latin text. Titles and bodies are separate fields,
so titles can be weighted at query time. ``key`` (:func:`article_key`) is a fast field a
search reads for many hits at once (the two-step phrase search in :mod:`.search`). Readers in
other processes search while a writer commits: tantivy's segment files are immutable and its
commit replaces ``meta.json`` atomically.
"""

from __future__ import annotations

import hashlib
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
    "article_key",
    "document",
    "file_state",
    "has_words_beside_cjk",
    "index_dir",
    "index_watermark",
    "lone_cjk_characters",
    "open_index",
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
    sb.add_unsigned_field("key", indexed=True, fast=True)
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
    # readers reload when asked (each search does): the default watches meta.json from a
    # thread of its own, whose reload briefly writes a lock file into the folder, at any time
    index.config_reader("Manual")
    return index


def lone_cjk_characters(text: str) -> list[str]:
    """The CJK characters of a query that stand alone (a run of one): Chinese is indexed in
    bigrams, so such a character matches nothing."""
    return [run for run in _CJK_ANY_RUN.findall(text) if len(run) == 1]


def has_words_beside_cjk(text: str) -> bool:
    """True when ``text`` holds a letter or digit that is not CJK (English terms to match)."""
    return any(map(str.isalnum, _CJK_ANY_RUN.sub(" ", text)))


def cjk_runs(text: str | None) -> list[str]:
    """The runs of two or more CJK characters in ``text`` (one field value each)."""
    return _CJK_RUN.findall(text) if text and not text.isascii() else []


def article_key(article_id: str) -> int:
    """A 64-bit number for an article id, kept as a fast field: a search reads it for a list of
    hits without fetching their stored documents (two ids sharing one costs nothing but time:
    the key only narrows which documents a query checks)."""
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=8).digest(), "big")


def document(row: tuple) -> tantivy.Document:
    """The index document of one article row (columns as :data:`ARTICLE_COLUMNS`)."""
    article_id, source_id, url, title, published_at, body = row
    doc = tantivy.Document(article_id=article_id, source_id=source_id, url=url)
    doc.add_unsigned("key", article_key(article_id))
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


def as_utc(value: datetime | None) -> datetime | None:
    """A tantivy date (naive UTC) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_STAMP = "warehouse.stamp"


def file_state(warehouse_path: str | os.PathLike[str]) -> str:
    parts = []
    for path in (Path(warehouse_path), Path(f"{os.fspath(warehouse_path)}.wal")):
        try:
            st = path.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return " ".join(parts)


def write_stamp(warehouse_path: str | os.PathLike[str], state: str | None = None) -> None:
    """Record that the index is current with the warehouse file as it is now (or as it was
    when :func:`file_state` gave ``state``).

    Call it only after the index has caught up, and either while holding a connection to the
    warehouse (so no writer runs) or with the ``state`` the file had when the index's
    watermark was the warehouse's: a file changed since then no longer matches.
    """
    target = index_dir(warehouse_path) / _STAMP
    tmp = target.with_name(f".{_STAMP}.tmp")
    tmp.write_text(state if state is not None else file_state(warehouse_path), encoding="utf-8")
    os.replace(tmp, target)


def stamp_matches(warehouse_path: str | os.PathLike[str]) -> bool:
    """True when the warehouse file is unchanged since :func:`write_stamp` (index current)."""
    try:
        recorded = (index_dir(warehouse_path) / _STAMP).read_text(encoding="utf-8")
    except OSError:
        return False
    return recorded == file_state(warehouse_path)
