"""Politeness: how many requests a host gets at once, and how often.

Each host has a :class:`HostThrottle`: a semaphore for its concurrency (default 2) and a pacing
clock so that two requests to the host *start* at least ``min_delay`` seconds apart. The delay
can only grow during a run (robots.txt ``Crawl-delay``), and a host can be put on hold (a 429 or
503 with ``Retry-After`` holds every request to that host, not only the one that got it).

:class:`Politeness` owns the throttles and one global semaphore, so that fifty sources are
fetched in parallel without more than ``global_concurrency`` requests in flight. A request
first waits for its host, then for a global slot: a busy host never blocks a global slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["HostThrottle", "Politeness", "parse_retry_after"]


class HostThrottle:
    """Concurrency and pacing for one host."""

    def __init__(self, concurrency: int, min_delay: float) -> None:
        self.concurrency = max(1, concurrency)
        self.min_delay = max(0.0, min_delay)
        self._slots = asyncio.Semaphore(self.concurrency)
        self._clock = asyncio.Lock()
        self._next_start = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    def raise_delay(self, seconds: float) -> None:
        """Make the minimum delay at least ``seconds`` (it never shrinks during a run)."""
        self.min_delay = max(self.min_delay, seconds)

    def hold(self, seconds: float) -> None:
        """Send nothing to this host for ``seconds`` from now."""
        loop = asyncio.get_running_loop()
        self._next_start = max(self._next_start, loop.time() + seconds)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a free slot and for the pacing delay, then hold the slot."""
        async with self._slots:
            loop = asyncio.get_running_loop()
            async with self._clock:
                wait = self._next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = loop.time() + self.min_delay
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                yield
            finally:
                self.in_flight -= 1


class Politeness:
    """Per-host throttles plus one global limit across hosts."""

    def __init__(self, global_concurrency: int) -> None:
        self._global = asyncio.Semaphore(max(1, global_concurrency))
        self._hosts: dict[str, HostThrottle] = {}

    def host(self, host: str, *, concurrency: int, min_delay: float) -> HostThrottle:
        """The throttle for ``host``; the first caller's settings create it, delays only grow."""
        throttle = self._hosts.get(host)
        if throttle is None:
            throttle = self._hosts[host] = HostThrottle(concurrency, min_delay)
        else:
            throttle.raise_delay(min_delay)
        return throttle

    @asynccontextmanager
    async def slot(self, throttle: HostThrottle) -> AsyncIterator[None]:
        """Hold a slot of ``throttle`` and one global slot for one request."""
        async with throttle.slot(), self._global:
            yield


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
