"""The fetcher's httpx side: the run's one client (:func:`open_client`: explicit timeouts and
limits, HTTP/2 when configured and ``h2`` is importable, one TLS context per process) and one
exchange with it. :func:`send` makes one GET (or a form's POST) within a deadline and streams
the raw body, decoding its ``Content-Encoding`` layers itself
(:mod:`pressroom.flows.crawl.decoding`) and stopping as soon as the DECODED size passes
``max_response_bytes`` (:class:`ResponseTooLarge`). httpx exceptions never leave here: they
become :mod:`pressroom.core.errors` fetch errors (a connection-level failure is a
:class:`TransportFailure`, which the fetcher retries)."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import ssl
from dataclasses import dataclass

import httpx

from pressroom.config import CrawlerConfig, SourceConfig
from pressroom.core.errors import FetchError, FetchTimeout, ResponseTooLarge, UndecodableBody
from pressroom.flows.crawl.decoding import ACCEPT_ENCODING, DecodingRefused, content_decoder
from pressroom.flows.crawl.fetch_stats import FetchStats
from pressroom.flows.crawl.http_errors import transport_reason

__all__ = ["Answer", "TransportFailure", "header_dict", "open_client", "read_capped", "send"]

_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~50 ms a client."""
    return httpx.create_ssl_context()


def open_client(
    cfg: CrawlerConfig, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    """The run's one client; it follows no redirects (the fetcher checks each hop itself)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(cfg.read_timeout, connect=cfg.connect_timeout),
        limits=httpx.Limits(
            max_connections=cfg.global_concurrency,
            max_keepalive_connections=cfg.global_concurrency,
        ),
        headers={
            "User-Agent": cfg.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=False,
        http2=cfg.http2 and importlib.util.find_spec("h2") is not None,
        verify=_ssl_context(),
        transport=transport,
    )


@dataclass
class Answer:
    """One response as the fetcher sees it; ``content`` is the decoded body of a 2xx only."""

    status: int
    headers: dict[str, str]
    content: bytes | None
    attempts: int = 1


def header_dict(headers: httpx.Headers) -> dict[str, str]:
    """The headers with lower-case names; a repeated header's values joined with ", "."""
    out: dict[str, str] = {}
    for key, value in headers.multi_items():
        key = key.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


async def send(
    client: httpx.AsyncClient,
    config: CrawlerConfig,
    stats: FetchStats,
    source: SourceConfig,
    url: str,
    stage: str,
    headers: dict[str, str],
    seconds: float,
    form: tuple[tuple[str, str], ...] | None = None,
) -> Answer:
    """One GET (POST of ``form``) within ``seconds``, body decoded under the size cap;
    httpx errors translated."""
    cap = config.max_response_bytes
    robots = stage == "robots"
    if robots:
        stats.robots_requests += 1
    else:
        stats.requests += 1
    kw = {"url": url, "source": source.id, "stage": stage}
    try:
        async with asyncio.timeout(seconds):
            method, data = ("POST", dict(form)) if form is not None else ("GET", None)
            async with client.stream(method, url, headers=headers, data=data) as resp:
                status = resp.status_code
                if not robots:
                    stats.by_status[status] += 1
                content: bytes | None = None
                if 200 <= status < 300:
                    content = await read_capped(resp, cap, kw)
                    if not robots:
                        stats.bodies += 1
                if not robots:
                    stats.bytes_downloaded += resp.num_bytes_downloaded
                return Answer(status, header_dict(resp.headers), content)
    except TimeoutError as exc:
        deadline = config.request_deadline_seconds
        raise FetchTimeout(
            f"no complete answer within the {deadline:g} s deadline of this URL"
            " (request_deadline_seconds, all attempts together)",
            **kw,
        ) from exc
    except httpx.TimeoutException as exc:
        kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
        raise FetchTimeout(f"{kind} timeout", **kw) from exc
    except httpx.TransportError as exc:
        raise TransportFailure(transport_reason(exc), **kw) from exc
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", **kw) from exc


async def read_capped(resp: httpx.Response, cap: int, kw: dict[str, str]) -> bytes:
    """The decoded body; stops as soon as it passes ``cap`` however many layers it has."""
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ResponseTooLarge(f"Content-Length {declared} is over the {cap} byte cap", **kw)
    encoding = resp.headers.get("content-encoding")
    try:
        decoder = content_decoder(encoding)
    except DecodingRefused as exc:
        raise UndecodableBody(str(exc), **kw) from None
    body = bytearray()
    since_pause = 0
    try:
        async for raw in resp.aiter_raw():
            for piece in decoder.feed(raw):
                body += piece
                if len(body) > cap:
                    raise ResponseTooLarge(_over(cap, encoding), **kw)
                since_pause += len(piece)
                if since_pause >= _PAUSE_BYTES:  # let other sources run between megabytes
                    since_pause = 0
                    await asyncio.sleep(0)
        for piece in decoder.finish():
            body += piece
            if len(body) > cap:
                raise ResponseTooLarge(_over(cap, encoding), **kw)
    except DecodingRefused as exc:
        raise UndecodableBody(str(exc), **kw) from exc
    return bytes(body)


_PAUSE_BYTES = 1 << 20


def _over(cap: int, encoding: str | None) -> str:
    decoded = f" once decoded (Content-Encoding {encoding})" if encoding else ""
    return f"body over the {cap} byte cap{decoded}"


class TransportFailure(FetchError):
    """A connection-level failure (refused, reset, protocol error): retried, then a FetchError."""
