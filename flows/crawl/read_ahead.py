"""A backfill's listing walk requests the next pages while it parses this one.

Only for pagination that counts in its URLs (:func:`predict_next_page`), and only pages the
walk would ask for next: a guess is used when the page's own next link names it. A guess that
is not used (the walk ended, or the site paginates otherwise) is dropped and nothing of it is
recorded; after a wrong guess the walk stops guessing. The fetcher's per-host limits and
robots.txt apply to these requests as to any other.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine, Set
from typing import Any

from pressroom.core.errors import FetchError
from pressroom.extractors.urls import normalize_url
from pressroom.flows.crawl.fetch_result import FetchResult

__all__ = ["READ_AHEAD_PAGES", "ReadAhead", "predict_next_page"]

READ_AHEAD_PAGES = 2
"""Listing pages a backfill requests ahead of the one being parsed, when it can tell their URLs."""

_NUMBER = re.compile(r"\d+")

Request = Callable[[str], Coroutine[Any, Any, FetchResult | FetchError]]
"""Requests one listing URL (unconditionally) and records it as the walk records its pages."""


def predict_next_page(previous: str | None, current: str) -> list[str]:
    """The URLs after ``current`` when pagination counts in its URLs; else none.

    ``previous`` and ``current`` must differ in exactly one number, and by one
    (``/news/page/2/`` -> ``/news/page/3/``, ``index_4.html`` -> ``index_5.html``): the
    following pages are then that number plus one, plus two, and so on.
    """
    if previous is None:
        return []
    old, new = _NUMBER.split(previous), _NUMBER.split(current)
    old_numbers, new_numbers = _NUMBER.findall(previous), _NUMBER.findall(current)
    if old != new or len(old_numbers) != len(new_numbers):
        return []
    changed = [i for i, (a, b) in enumerate(zip(old_numbers, new_numbers, strict=True)) if a != b]
    if len(changed) != 1 or int(new_numbers[changed[0]]) != int(old_numbers[changed[0]]) + 1:
        return []
    index = changed[0]

    def page(step: int) -> str:
        numbers = list(new_numbers)
        numbers[index] = str(int(numbers[index]) + step)
        return "".join(part + number for part, number in zip(new, [*numbers, ""], strict=True))

    return [page(step) for step in range(1, READ_AHEAD_PAGES + 1)]


class ReadAhead:
    """The guessed requests of one listing walk (see the module doc).

    ``request`` fetches a listing URL for the walk; ``visited`` is the walk's set of URLs
    already requested (normalized), never guessed again.
    """

    def __init__(self, request: Request, visited: Set[str]) -> None:
        self.request = request
        self.visited = visited
        self.pending: dict[str, asyncio.Task[FetchResult | FetchError]] = {}
        self.missed = False

    def guess(self, previous: str | None, current: str, *, limit: int) -> None:
        """Request up to ``limit`` pages after ``current``, if its URL counts the pages."""
        if self.missed:
            return
        for url in predict_next_page(previous, current)[: max(0, limit)]:
            key = normalize_url(url)
            if key in self.pending or key in self.visited:
                continue
            self.pending[key] = asyncio.ensure_future(self.request(url))

    def take(self, url: str) -> asyncio.Task[FetchResult | FetchError] | None:
        """The request already made for ``url``, if one was guessed; a miss stops guessing."""
        early = self.pending.pop(normalize_url(url), None)
        if early is None and self.pending:
            self.missed = True
            self.cancel()
        return early

    def cancel(self) -> None:
        """Drop every guessed request not taken."""
        for task in self.pending.values():
            task.cancel()
        self.pending.clear()
