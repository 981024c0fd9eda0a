"""robots.txt: fetched once per origin per run, cached, read with protego.

Rules (RFC 9309 2.3.1.3 and 2.3.1.4): a 2xx body is parsed; a 4xx (404, 410, 403 ...) means no
rules, everything is allowed; a 5xx or a 429 after retries, a timeout or a connection failure
means the site is unreachable and everything is disallowed for this run. The refusals then
carry stage ``robots`` and robots.txt's status (None when nothing answered), so the run records
them in ``fetch_errors``; nothing is cached across runs, so the next run asks again. A
robots.txt larger than 500 KiB is cut there. ``Crawl-delay`` for our user-agent token (or ``*``)
is returned so the fetcher can raise the host's minimum delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego

from pressroom.core.errors import FetchError, FetchRefused, FetchStatusError

__all__ = ["ROBOTS_MAX_BYTES", "USER_AGENT_TOKEN", "RobotsCache", "RobotsRules"]

ROBOTS_MAX_BYTES = 500 * 1024
USER_AGENT_TOKEN = "pressroom"


@dataclass(frozen=True)
class RobotsRules:
    """The outcome of reading one origin's robots.txt."""

    parser: Protego | None
    disallow_all: bool = False
    reason: str = ""
    status: int | None = None  # robots.txt's HTTP status when it disallowed everything

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, USER_AGENT_TOKEN))

    @property
    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(USER_AGENT_TOKEN)
        return float(delay) if delay is not None else None


#: Fetches a robots.txt URL, returning (status, body) or raising a FetchError.
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes | None]]]


class RobotsCache:
    """robots.txt rules per origin (``scheme://host:port``), loaded at most once per run."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, origin: str, load: RobotsLoader) -> RobotsRules:
        """The rules of ``origin``; the first caller loads them, concurrent callers wait."""
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin, load)
        return self._rules[origin]

    @staticmethod
    async def _load(origin: str, load: RobotsLoader) -> RobotsRules:
        url = f"{origin}/robots.txt"
        try:
            status, body = await load(url)
        except FetchStatusError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules(None, reason=f"robots.txt HTTP {exc.status}: no rules")
            return RobotsRules(
                None,
                disallow_all=True,
                reason=f"robots.txt unreachable ({url} answered HTTP {exc.status}, "
                f"{exc.attempts} attempt(s)): everything disallowed for this run (RFC 9309), "
                "asked again next run",
                status=exc.status,
            )
        except FetchRefused as exc:  # e.g. redirected off-site: we cannot read it
            return RobotsRules(None, reason=f"robots.txt not readable: {exc.reason}")
        except FetchError as exc:
            return RobotsRules(None, disallow_all=True, reason=f"robots.txt unreachable: {exc}")
        if not 200 <= status < 300 or not body:
            return RobotsRules(None, reason=f"robots.txt HTTP {status}: no rules")
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(text))
