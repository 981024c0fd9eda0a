"""Hostile servers against one Fetcher: a gzip-stack bomb and a byte-a-second drip.

    .venv/bin/python bench/hostile.py gzip-stack     # 1 GiB of zeros, gzipped twice (~1.8 KB)
    .venv/bin/python bench/hostile.py drip           # [crawler] defaults: minutes
    .venv/bin/python bench/hostile.py drip --read-timeout 2 --deadline 6

A raw socket server on 127.0.0.1 (threads, in this process) answers every request.

gzip-stack
    One GET of a page served with ``Content-Encoding: gzip, gzip`` whose body inflates to 1 GiB.
    Figures: the process's peak RSS (``ru_maxrss``) before and after, the seconds the fetch took
    and how it ended, and the event loop's longest stall (the worst gap of a 10 ms ticker).
drip
    ``--drips`` URLs (default 1) whose bodies arrive one byte a second (never a read timeout),
    fetched at the same time as ``--others`` ordinary pages of the same host (per-host
    concurrency 2: two drips hold both slots). Figures: the seconds until the drip URLs fail and
    the requests sent for them; the seconds until the host's other pages are all fetched.

``--deadline`` is ``[crawler] request_deadline_seconds`` (ignored by code that has no such key).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import resource
import socket
import threading
import time
import zlib
from collections import Counter

from pressroom.config import CrawlerConfig, SourceConfig
from pressroom.core.errors import FetchError
from pressroom.flows.crawl.fetch import Fetcher

PAGE = b"<html><body><h1>An ordinary page</h1><p>Nothing hostile here.</p></body></html>"


def gzip_stack(size: int) -> bytes:
    """``size`` zero bytes gzipped twice (what ``Content-Encoding: gzip, gzip`` announces)."""
    once = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk, parts = bytes(1 << 20), []
    for _ in range(size >> 20):
        parts.append(once.compress(chunk))
    parts.append(once.flush())
    twice = zlib.compressobj(9, zlib.DEFLATED, 31)
    return twice.compress(b"".join(parts)) + twice.flush()


class RawServer:
    """A threaded socket server: ``/drip`` sends a byte a second, ``/bomb`` the gzip stack."""

    def __init__(self, bomb: bytes) -> None:
        self.bomb = bomb
        self.hits: Counter[str] = Counter()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                while True:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        data = conn.recv(65536)
                        if not data:
                            return
                        request += data
                    path = request.split(b" ", 2)[1].decode()
                    self.hits[path] += 1
                    self._answer(conn, path)
            except OSError:
                return

    def _answer(self, conn: socket.socket, path: str) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        if path.startswith("/drip"):
            conn.sendall(f"{head}Content-Length: 100000\r\n\r\n".encode())
            while True:
                conn.sendall(b"x")
                time.sleep(1.0)
        body, extra = PAGE, ""
        if path == "/bomb":
            body, extra = self.bomb, "Content-Encoding: gzip, gzip\r\n"
        elif path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        conn.sendall(f"{head}{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _config(args: argparse.Namespace) -> CrawlerConfig:
    config = CrawlerConfig(read_timeout=args.read_timeout, connect_timeout=args.connect_timeout)
    fields = getattr(CrawlerConfig, "model_fields", None)  # a pydantic model since issue 16
    names = (
        set(fields) if fields is not None else {f.name for f in dataclasses.fields(CrawlerConfig)}
    )
    if args.deadline is not None and "request_deadline_seconds" in names:
        if fields is not None:
            return config.model_copy(update={"request_deadline_seconds": args.deadline})
        config = dataclasses.replace(config, request_deadline_seconds=args.deadline)
    return config


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _ticker(gaps: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    last = loop.time()
    while not stop.is_set():
        await asyncio.sleep(0.01)
        now = loop.time()
        gaps.append(now - last - 0.01)
        last = now


async def bench_gzip_stack(args: argparse.Namespace, server: RawServer) -> dict[str, object]:
    source = SourceConfig(id="bomb", start_urls=(server.url("/"),), timezone="UTC")
    rss_before = _rss_mb()
    gaps: list[float] = []
    stop = asyncio.Event()
    async with Fetcher(_config(args)) as fetcher:
        await fetcher.fetch(source, server.url("/"))  # robots.txt and a first page
        ticker = asyncio.create_task(_ticker(gaps, stop))
        start = time.perf_counter()
        try:
            result = await fetcher.fetch(source, server.url("/bomb"))
            outcome = f"fetched {len(result.content or b'')} bytes"
        except FetchError as exc:
            outcome = f"{type(exc).__name__}: {exc.reason}"
        seconds = time.perf_counter() - start
        stop.set()
        await ticker
    return {
        "scenario": "gzip-stack",
        "body_bytes": len(server.bomb),
        "outcome": outcome,
        "seconds": round(seconds, 3),
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
        "longest_loop_stall_s": round(max(gaps, default=0.0), 3),
    }


async def bench_drip(args: argparse.Namespace, server: RawServer) -> dict[str, object]:
    source = SourceConfig(id="drip", start_urls=(server.url("/"),), timezone="UTC")
    others = [server.url(f"/page-{n}") for n in range(args.others)]
    drips = [server.url(f"/drip-{n}") for n in range(args.drips)]
    async with Fetcher(_config(args)) as fetcher:
        await fetcher.fetch(source, server.url("/"))
        start = time.perf_counter()

        async def drip(url: str) -> tuple[float, str]:
            try:
                await fetcher.fetch(source, url)
                outcome = "fetched"
            except FetchError as exc:
                outcome = f"{type(exc).__name__}: {exc.reason} (attempts {exc.attempts})"
            return time.perf_counter() - start, outcome

        async def rest() -> float:
            await asyncio.sleep(0.2)  # the drip holds its slot first
            for url in others:
                await fetcher.fetch(source, url)
            return time.perf_counter() - start

        *dripped, others_seconds = await asyncio.gather(*map(drip, drips), rest())
    drip_seconds = max(seconds for seconds, _ in dripped)
    outcome = dripped[0][1]
    return {
        "scenario": "drip",
        "outcome": outcome,
        "drip_seconds": round(drip_seconds, 1),
        "drip_urls": len(drips),
        "drip_requests": sum(server.hits[f"/drip-{n}"] for n in range(len(drips))),
        "other_pages": len(others),
        "other_pages_done_s": round(others_seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["gzip-stack", "drip"])
    parser.add_argument("--size-mib", type=int, default=1024, help="decoded size of the bomb")
    parser.add_argument("--others", type=int, default=6, help="other pages of the drip's host")
    parser.add_argument("--drips", type=int, default=1, help="dripping URLs of the host")
    parser.add_argument("--connect-timeout", type=float, default=CrawlerConfig.connect_timeout)
    parser.add_argument("--read-timeout", type=float, default=CrawlerConfig.read_timeout)
    parser.add_argument("--deadline", type=float, default=None)
    args = parser.parse_args()
    bomb = gzip_stack(args.size_mib << 20) if args.scenario == "gzip-stack" else b""
    server = RawServer(bomb)
    run = bench_gzip_stack if args.scenario == "gzip-stack" else bench_drip
    print(json.dumps(asyncio.run(run(args, server)), indent=2))


if __name__ == "__main__":
    main()
