"""Raw archive: every fetched article response, compressed, so reparse needs no network.

Layout (one file per URL per fetch, written atomically)::

    <root>/<source_id>/<h[:2]>/<h>/<fetched_at>.gz     h = sha256(normalized URL)[:24]

Each file is one gzip stream: a JSON header line (url, final_url, status, headers, etag,
last_modified, fetched_at, attempts, sha256 of the body), a newline, then the body bytes. The
archive key is the path relative to ``root`` with ``/`` separators. A later fetch of the same URL
adds a file; ``iter_source`` yields the latest per URL. A result without a body (a 304) has
nothing to archive and is refused with ValueError.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pressroom.extractors.urls import normalize_url
from pressroom.flows.crawl.fetch_result import FetchResult

__all__ = ["ARCHIVE_FORMAT", "ArchivedFetch", "RawArchive"]

ARCHIVE_FORMAT = 1
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def _url_hash(url: str) -> str:
    return hashlib.sha256(normalize_url(url).encode("utf-8")).hexdigest()[:24]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class ArchivedFetch:
    """What the header of an archived fetch says, without its body."""

    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


class RawArchive:
    """Compressed raw responses under ``root``, per source and URL."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _source_dir(self, source_id: str) -> Path:
        if not _SAFE_ID.match(source_id):
            raise ValueError(f"unsafe source id for the archive: {source_id!r}")
        return self.root / source_id

    def put(self, source_id: str, result: FetchResult) -> str:
        """Store ``result`` (with its body); returns the archive key."""
        if result.content is None:
            raise ValueError(
                f"nothing to archive for {result.url}: no body (status {result.status})"
            )
        url_hash = _url_hash(result.url)
        folder = self._source_dir(source_id) / url_hash[:2] / url_hash
        folder.mkdir(parents=True, exist_ok=True)
        header = {
            "format": ARCHIVE_FORMAT,
            "source_id": source_id,
            "url": result.url,
            "final_url": result.final_url,
            "status": result.status,
            "headers": result.headers,
            "etag": result.etag,
            "last_modified": result.last_modified,
            "fetched_at": result.fetched_at.astimezone(UTC).isoformat(),
            "attempts": result.attempts,
            "sha256": hashlib.sha256(result.content).hexdigest(),
        }
        payload = json.dumps(header, ensure_ascii=True, sort_keys=True).encode() + b"\n"
        name = f"{_stamp(result.fetched_at)}.gz"
        target = folder / name
        if target.is_file():  # the same fetch again (a page reused from the archive)
            return target.relative_to(self.root).as_posix()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".gz")
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
            ):
                gz.write(payload)
                gz.write(result.content)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target.relative_to(self.root).as_posix()

    def get(self, key: str) -> FetchResult:
        """The result stored under ``key``; KeyError when there is none."""
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents or not path.is_file():
            raise KeyError(key)
        with gzip.open(path, "rb") as fh:
            data = fh.read()
        head, _, body = data.partition(b"\n")
        meta = json.loads(head)
        return FetchResult(
            url=meta["url"],
            final_url=meta["final_url"],
            status=meta["status"],
            content=body,
            headers=dict(meta["headers"]),
            etag=meta["etag"],
            last_modified=meta["last_modified"],
            fetched_at=datetime.fromisoformat(meta["fetched_at"]),
            attempts=meta.get("attempts", 1),
            not_modified=False,
        )

    def latest(self, source_id: str, url: str) -> tuple[str, ArchivedFetch] | None:
        """Key and header of the latest archived fetch of ``url``, or None; reads no body."""
        url_hash = _url_hash(url)
        folder = self._source_dir(source_id) / url_hash[:2] / url_hash
        try:
            names = [n for n in os.listdir(folder) if n.endswith(".gz") and n[0] != "."]
        except FileNotFoundError:
            return None
        if not names:
            return None
        path = folder / max(names)
        try:
            with gzip.open(path, "rb") as fh:
                meta = json.loads(fh.readline())
        except (OSError, EOFError, ValueError):
            return None  # a damaged file is no reason to skip a request
        key = path.relative_to(self.root).as_posix()
        return key, ArchivedFetch(
            status=meta["status"],
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            fetched_at=datetime.fromisoformat(meta["fetched_at"]),
        )

    def iter_source(
        self, source_id: str, since: datetime | None = None
    ) -> Iterator[tuple[str, FetchResult]]:
        """(key, result) of the latest fetch of each URL of ``source_id``, fetched at or after
        ``since`` when given (a naive ``since`` is taken as UTC); ordered by key."""
        folder = self._source_dir(source_id)
        if not folder.is_dir():
            return
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        floor = _stamp(since) if since is not None else None
        for url_dir in sorted(p for p in folder.glob("*/*") if p.is_dir()):
            fetches = sorted(p.name for p in url_dir.glob("*.gz") if not p.name.startswith("."))
            if not fetches or (floor is not None and fetches[-1] < f"{floor}.gz"):
                continue
            key = (url_dir / fetches[-1]).relative_to(self.root).as_posix()
            yield key, self.get(key)
