"""Shared settings for crawler tests: fast timeouts and backoffs, a source on the test server."""

from __future__ import annotations

from pressroom.config import CrawlerConfig, SourceConfig

from .server import TestServer

__all__ = ["FAST", "source_for"]

FAST = CrawlerConfig(
    contact="mailto:press-bot@example.org",
    connect_timeout=1.0,
    read_timeout=0.3,
    max_attempts=3,
    backoff_base_seconds=0.01,
    max_retry_after_seconds=2.0,
    max_response_bytes=4096,
)


def source_for(server: TestServer, *paths: str, **kw: object) -> SourceConfig:
    """A source whose start URLs are ``paths`` on ``server`` (default ``/news/``)."""
    urls = tuple(server.url(p) for p in (paths or ("/news/",)))
    return SourceConfig(id="city", start_urls=urls, timezone="UTC", **kw)  # type: ignore[arg-type]
