"""The one fetching boundary: a polite, retrying, size-capped async HTTP client.

``Fetcher`` owns ONE ``httpx.AsyncClient`` per run (connection pooling, explicit connect/read
timeouts and limits, HTTP/2 when configured and ``h2`` is importable). ``fetch`` sends one GET
and, around it:

* refuses non-http(s) URLs and hosts outside ``source.hosts`` (:class:`FetchRefused`);
* obeys robots.txt (fetched once per origin per run; ``Crawl-delay`` raises the host delay);
* waits for the host's slot and pacing delay and for a global slot
  (:mod:`pressroom.flows.crawl.politeness`);
* follows redirects itself, only within the source's hosts, at most 5 hops;
* streams the raw body and decodes its ``Content-Encoding`` layers itself, stopping as soon as
  the DECODED size passes ``max_response_bytes`` (:mod:`pressroom.flows.crawl.http_client`);
* retries connection errors, timeouts, 5xx and 429 with exponential backoff and jitter,
  honouring ``Retry-After`` (capped by ``max_retry_after_seconds``); 404/410 and other 4xx
  are not retried (:class:`FetchStatusError` with the status);
* gives each URL a budget per run: ``max_attempts`` requests and ``request_deadline_seconds``
  of sending and reading, all attempts together (a server dripping bytes costs one deadline,
  not one per attempt; the host slot is released when it runs out). A URL that spent its
  budget is not requested again in the run;
* sends ``If-None-Match`` / ``If-Modified-Since`` when given; a 304 gives ``not_modified=True``;
* with ``form``, sends a POST of those fields instead (a CMS data endpoint), with ``referer``
  as ``Referer``; everything above applies to it alike (a 301/302/303 is followed with a GET).

httpx exceptions never leave the fetcher (:mod:`pressroom.flows.crawl.http_client` translates
them): they become :mod:`pressroom.core.errors` fetch errors.
``Fetcher.stats`` counts requests, 304s, bodies and bytes so a run can show it downloaded
nothing when nothing changed.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from pressroom.config import CrawlerConfig, SourceConfig
from pressroom.core.errors import FetchError, FetchRefused, FetchStatusError, FetchTimeout
from pressroom.extractors.urls import same_site
from pressroom.flows.crawl.fetch_budget import Budget, copy_error, error_again
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.fetch_stats import FetchStats
from pressroom.flows.crawl.http_client import Answer, TransportFailure, open_client, send
from pressroom.flows.crawl.politeness import HostThrottle, Politeness, parse_retry_after
from pressroom.flows.crawl.robots import RobotsCache, RobotsRules

__all__ = ["MAX_REDIRECTS", "FetchStats", "Fetcher", "parse_retry_after"]

MAX_REDIRECTS = 5
# A private generator: backoff jitter never moves the interpreter-wide random state.
_JITTER = random.Random()
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Fetcher:
    """Polite async fetching for a whole run; use as ``async with Fetcher(config) as f``."""

    def __init__(
        self, config: CrawlerConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self.stats = FetchStats()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._politeness = Politeness(config.global_concurrency)
        self._robots = RobotsCache()
        self._hosts: dict[tuple[object, ...], frozenset[str]] = {}
        # the read timeout is per chunk: a server trickling bytes is stopped by the deadline
        self._budgets: dict[str, Budget] = {}

    async def __aenter__(self) -> Self:
        self._client = open_client(self.config, self._transport)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def host_throttle(self, source: SourceConfig, netloc: str) -> HostThrottle:
        """The throttle of ``netloc`` (created with the source's politeness settings)."""
        cfg = self.config
        concurrency = source.per_host_concurrency or cfg.per_host_concurrency
        delay = source.min_delay_seconds
        return self._politeness.host(
            netloc.lower(),
            concurrency=concurrency,
            min_delay=cfg.min_delay_seconds if delay is None else delay,
        )

    async def fetch(
        self,
        source: SourceConfig,
        url: str,
        *,
        stage: str = "article",
        etag: str | None = None,
        last_modified: str | None = None,
        form: tuple[tuple[str, str], ...] | None = None,
        referer: str | None = None,
    ) -> FetchResult:
        """GET ``url`` for ``source`` (POST ``form`` when given); raises a :class:`FetchError`
        subclass on any failure."""
        return await self._fetch(
            source, url, stage, etag, last_modified, check_robots=True, form=form, referer=referer
        )

    async def _fetch(
        self,
        source: SourceConfig,
        url: str,
        stage: str,
        etag: str | None,
        last_modified: str | None,
        *,
        check_robots: bool,
        form: tuple[tuple[str, str], ...] | None = None,
        referer: str | None = None,
    ) -> FetchResult:
        if self._client is None:
            raise RuntimeError("Fetcher is not open: use 'async with Fetcher(config) as f'")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if referer:
            headers["Referer"] = referer
        current, seen, attempts = url, {url}, 0
        for hop in range(MAX_REDIRECTS + 1):
            netloc = self._check_target(source, current, stage, url, redirected=hop > 0)
            throttle = self.host_throttle(source, netloc)
            if check_robots:
                await self._check_robots(source, current, stage, throttle)
            answer = await self._get(source, current, stage, headers, throttle, form)
            attempts += answer.attempts
            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location:
                try:
                    target = urljoin(current, location.strip())
                except ValueError:
                    raise FetchError(
                        f"unusable redirect Location {location!r}", url=url, source=source.id,
                        stage=stage, status=answer.status, attempts=attempts,
                    ) from None  # fmt: skip
                if target in seen:
                    raise FetchError(
                        f"redirect loop at {target}", url=url, source=source.id, stage=stage,
                        status=answer.status, attempts=attempts,
                    )  # fmt: skip
                if hop == MAX_REDIRECTS:
                    raise FetchError(
                        f"more than {MAX_REDIRECTS} redirects", url=url, source=source.id,
                        stage=stage, status=answer.status, attempts=attempts,
                    )  # fmt: skip
                seen.add(target)
                current = target
                if answer.status in (301, 302, 303):
                    form = None  # a POST redirected this way is followed with a GET
                continue
            return self._result(source, url, current, stage, answer, attempts, etag, last_modified)
        raise AssertionError("unreachable")  # pragma: no cover

    def _result(
        self,
        source: SourceConfig,
        url: str,
        final_url: str,
        stage: str,
        answer: Answer,
        attempts: int,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        status = answer.status
        if status >= 300 and status != 304:
            reason = "not found" if status in (404, 410) else f"HTTP {status}"
            raise FetchStatusError(
                reason, url=url, source=source.id, stage=stage, status=status, attempts=attempts
            )
        not_modified = status == 304
        if not_modified and stage != "robots":
            self.stats.not_modified += 1
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            content=None if not_modified else answer.content,
            headers=answer.headers,
            etag=answer.headers.get("etag") or (etag if not_modified else None),
            last_modified=answer.headers.get("last-modified")
            or (last_modified if not_modified else None),
            fetched_at=datetime.now(UTC),
            attempts=attempts,
            not_modified=not_modified,
        )

    def _check_target(
        self, source: SourceConfig, url: str, stage: str, original: str, *, redirected: bool
    ) -> str:
        """The URL's netloc, or FetchRefused for a non-http(s) scheme or a foreign host."""
        try:
            parts = urlsplit(url)
            scheme, netloc, host = parts.scheme.lower(), parts.netloc, parts.hostname
        except ValueError:
            scheme, netloc, host = "", "", None
        what = f"redirect to {url}" if redirected else "URL"
        if scheme not in ("http", "https") or not host:
            raise FetchRefused(
                f"{what}: only http(s) URLs are fetched", url=original, source=source.id,
                stage=stage,
            )  # fmt: skip
        if not same_site(url, self._source_hosts(source)):
            raise FetchRefused(
                f"{what}: host {host} is not one of the source's hosts", url=original,
                source=source.id, stage=stage,
            )  # fmt: skip
        return netloc

    def _source_hosts(self, source: SourceConfig) -> frozenset[str]:
        """``source.hosts``, computed once per run (it parses every URL of the source)."""
        key = (source.id, source.start_urls, source.feed_url, source.sitemap_url)
        key += (source.allowed_hosts,)
        hosts = self._hosts.get(key)
        if hosts is None:
            hosts = self._hosts[key] = source.hosts
        return hosts

    async def _check_robots(
        self, source: SourceConfig, url: str, stage: str, throttle: HostThrottle
    ) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"

        async def load(robots_url: str) -> tuple[int, bytes | None]:
            result = await self._fetch(source, robots_url, "robots", None, None, check_robots=False)
            return result.status, result.content

        rules: RobotsRules = await self._robots.rules(origin, load)
        delay = rules.crawl_delay
        if delay:
            throttle.raise_delay(min(delay, self.config.max_retry_after_seconds))
        if rules.disallow_all:  # robots.txt unreachable: recorded as a robots failure
            raise FetchRefused(
                rules.reason, url=url, source=source.id, stage="robots", status=rules.status
            )
        if not rules.allowed(url):
            raise FetchRefused("disallowed by robots.txt", url=url, source=source.id, stage=stage)

    def _backoff(self, attempt: int) -> float:
        delay = self.config.backoff_base_seconds * 2 ** (attempt - 1)
        return min(delay * _JITTER.uniform(0.5, 1.0), self.config.max_retry_after_seconds)

    async def _get(
        self,
        source: SourceConfig,
        url: str,
        stage: str,
        headers: dict[str, str],
        throttle: HostThrottle,
        form: tuple[tuple[str, str], ...] | None = None,
    ) -> Answer:
        """One URL with retries (transport errors, timeouts, 5xx but 501, 429) in its budget."""
        cfg = self.config
        max_attempts = max(1, cfg.max_attempts)
        deadline = cfg.request_deadline_seconds
        budget = self._budgets.setdefault(url, Budget())
        if budget.final is not None:  # spent earlier in this run: not sent again
            raise error_again(budget.final)
        loop = asyncio.get_running_loop()
        while True:
            budget.attempts += 1
            attempt = budget.attempts
            try:
                async with self._politeness.slot(throttle):
                    started = loop.time()
                    try:
                        assert self._client is not None
                        answer = await send(
                            self._client,
                            cfg,
                            self.stats,
                            source,
                            url,
                            stage,
                            headers,
                            deadline - budget.seconds,
                            form,
                        )
                    finally:
                        budget.seconds += loop.time() - started
            except (FetchTimeout, TransportFailure) as exc:
                error: FetchError = exc
                delay = self._backoff(attempt)
            else:
                status = answer.status
                if status != 429 and not (500 <= status < 600 and status != 501):
                    self._budgets.pop(url, None)
                    answer.attempts = attempt
                    return answer
                error = FetchStatusError(
                    f"HTTP {status}", url=url, source=source.id, stage=stage, status=status
                )
                retry_after = parse_retry_after(answer.headers.get("retry-after"))
                if retry_after is not None:
                    delay = min(retry_after, cfg.max_retry_after_seconds)
                    throttle.hold(delay)
                else:
                    delay = self._backoff(attempt)
            error.attempts = attempt
            if attempt >= max_attempts or budget.seconds >= deadline:
                if isinstance(error, TransportFailure):
                    cause = error.__cause__
                    error = FetchError(
                        error.reason, url=url, source=source.id, stage=stage, attempts=attempt
                    )
                    error.__cause__ = cause
                budget.final = copy_error(error)  # no traceback kept: frames would hold memory
                raise error
            self.stats.retries += 1
            await asyncio.sleep(delay)
