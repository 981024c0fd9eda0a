"""A source's run in chunks: one for an ingest, one per month of listing dates for a backfill
(:func:`split_chunks`), and which article links failed across them (:class:`HandledLinks`)."""

from __future__ import annotations

import asyncio

from pressroom.core.articles import ListingLink
from pressroom.flows.run_request import RunRequest

__all__ = ["HandledLinks", "split_chunks"]


def split_chunks(
    links: list[ListingLink], request: RunRequest
) -> list[tuple[str | None, list[ListingLink]]]:
    """One chunk for an ingest; for a backfill one per month of listing date, undated last
    (with the links whose numeric date is ambiguous: their month is not known yet)."""
    if request.mode != "backfill":
        return [(None, links)]
    months: dict[str, list[ListingLink]] = {}
    undated: list[ListingLink] = []
    for link in links:
        if link.published_at is None or link.date_uncertain:
            undated.append(link)
        else:
            months.setdefault(link.published_at.strftime("%Y-%m"), []).append(link)
    chunks: list[tuple[str | None, list[ListingLink]]] = sorted(months.items())
    if undated or not chunks:
        chunks.append(("undated", undated))
    return chunks


class HandledLinks:
    """Which article links of a source's run failed, known once every chunk has staged.

    The listing pages (and their validators) are staged with the last chunk's final batch,
    after the article batches of every chunk: a chunk still loading could fail yet.
    """

    def __init__(self) -> None:
        self.failed: set[str] = set()
        self._open = 0
        self._done = asyncio.Event()

    def expect(self, chunks: int) -> None:
        self._open = chunks
        if chunks <= 1:
            self._done.set()

    def add(self, failed: set[str]) -> None:
        self.failed |= failed

    def chunk_done(self) -> None:
        self._open -= 1
        if self._open <= 1:
            self._done.set()

    async def all_staged(self) -> None:
        """Wait until every chunk but the calling (last) one has finished."""
        await self._done.wait()
