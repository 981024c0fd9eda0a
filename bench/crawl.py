"""End-to-end crawl benchmark: pressroom's backfill against a synthetic newsroom network.

    .venv/bin/python bench/crawl.py                       # H=8 hosts, N=500 articles, L=50 ms, C=2
    .venv/bin/python bench/crawl.py --articles 2000 --json

``bench/_synthetic.py`` serves H hosts (one port each on 127.0.0.1) in a SEPARATE process, so
that every CPU second measured here is the pipeline's. Each answer waits L; listing pages are
paginated (20 articles, dated), articles are 5-10 KB pages with ETag and Last-Modified. A
``pressroom.toml`` (per_host_concurrency = C, min_delay_seconds = 0) goes in a temp folder.

What is timed
    The Prefect API (a temporary local server, 6-13 s to start) is started first by a warm-up
    flow and is NOT in the wall time. Run 1 is one parent flow that runs the public ``backfill``
    flow once per source, all H at once (``asyncio.gather`` of subflows, as H people starting a
    backfill each would), since the oldest article: listing walk, month chunks, fetch, parse,
    stage and load. Its wall time and process CPU are measured inside the flow body. Run 2 is an
    ``ingest`` flow of every source with nothing changed on the sites (a scheduled run): its
    requests, 304s and body bytes come from the servers' own log.

Figures
    bound = (N / C + P + 1) x L: per host, N article requests C at a time, P listing pages one
    after another (each names the next) and robots.txt; hosts run in parallel.
    efficiency = bound / wall. CPU per article is the process's user+system time over the run
    divided by H x N, and the parse pool's processes (``[crawler] parse_workers``) apart: their
    CPU (archiving, parsing articles and listings, staging, and their start-up) is shown as
    "parse"; with ``parse_workers = 0`` parse and stage CPU are thread CPU time inside
    ``extract_results`` and ``stage_batch``. Load CPU is thread CPU time in ``load_pending``.
    Peak RSS is the process's high-water mark; the pool's processes (summed RSS) apart.
    Host activity comes from the servers' request log (``--timeline FILE`` writes it): per host,
    seconds with nothing in flight, with all C slots busy, and the mean requests in flight.
    Targets (issue 7): efficiency >= 0.8 at the defaults; every no-change request is a 304;
    peak RSS <= 500 MB at H=8, N=2,000; parse+load CPU <= 10 ms per article.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import _measure as measure
import psutil
from _measure import RssSampler, ThreadCpu, children_cpu_seconds, cpu_seconds, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

__all__ = ["main", "run_benchmark"]

MODE = "run 1: backfill flow per source, all at once in one parent flow; run 2: ingest, no change"


# --------------------------------------------------------------------------- the network


class SyntheticNetwork:
    """The ``_synthetic.py`` server process; ``stats()`` reads its request log."""

    def __init__(self, hosts: int, articles: int, latency_ms: float) -> None:
        script = Path(__file__).with_name("_synthetic.py")
        cmd = [sys.executable, str(script), f"--hosts={hosts}", f"--articles={articles}"]
        cmd.append(f"--latency-ms={latency_ms}")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.info: dict[str, Any] = json.loads(self.proc.stdout.readline())
        self.ports: list[int] = self.info["ports"]

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[0]}{path}") as resp:
            return json.loads(resp.read())

    def stats(self) -> dict[str, int]:
        return self._get("/__stats")

    def timeline(self) -> list[list[Any]]:
        """Every request since the last reset: ``[host, kind, arrived, answered]``."""
        return self._get("/__timeline")  # type: ignore[return-value]

    def reset(self) -> None:
        self._get("/__reset")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def write_config(folder: Path, ports: list[int], concurrency: int) -> Path:
    """A pressroom.toml with one source per port and a warehouse in ``folder``."""
    lines = [
        '[warehouse]\npath = "bench.duckdb"\n',
        "[crawler]",
        'contact = "mailto:bench@example.org"',
        f"per_host_concurrency = {concurrency}",
        f"global_concurrency = {max(16, concurrency * len(ports))}",
        "min_delay_seconds = 0.0",
        "connect_timeout = 10.0",
        "read_timeout = 30.0",
        "max_attempts = 2",
        "backoff_base_seconds = 0.2",
    ]
    for number, port in enumerate(ports, 1):
        lines += [
            "",
            "[[sources]]",
            f'id = "district-{number}"',
            f'start_urls = ["http://127.0.0.1:{port}/news/"]',
            'timezone = "UTC"',
            'language = "en-US"',
            "max_listing_pages = 1000",
        ]
    path = folder / "pressroom.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the runs


def _flows() -> tuple[Any, Any, Any]:
    """Import Prefect and the flows (after the environment is set) and define the bench flows."""
    from prefect import flow

    from pressroom.flows.ingest import backfill, ingest

    @flow(name="bench-warm-up")
    async def warm_up() -> None:
        """Starts the temporary Prefect API; not timed."""

    @flow(name="bench-backfill")
    async def backfill_all(config_path: str, source_ids: list[str], since: date) -> dict:
        """Every source's backfill at once; times the body only."""
        wall, cpu, pool = time.perf_counter(), cpu_seconds(), children_cpu_seconds()
        started = time.monotonic()  # the servers' clock: their timeline is measured from here
        results = await asyncio.gather(
            *(backfill(source_id=s, since=since, config_path=config_path) for s in source_ids)
        )
        return {
            "started": started,
            "wall_s": time.perf_counter() - wall,
            "cpu_s": cpu_seconds() - cpu,
            "pool_cpu_s": children_cpu_seconds() - pool,
            "summaries": [s for group in results for s in group],
        }

    @flow(name="bench-no-change")
    async def ingest_all(config_path: str) -> dict:
        """One scheduled-style ingest of every source; times the body only."""
        wall, cpu, pool = time.perf_counter(), cpu_seconds(), children_cpu_seconds()
        await ingest(config_path=config_path, mode="scheduled")
        return {
            "wall_s": time.perf_counter() - wall,
            "cpu_s": cpu_seconds() - cpu,
            "pool_cpu_s": children_cpu_seconds() - pool,
        }

    return warm_up, backfill_all, ingest_all


def _other_cpu(network: SyntheticNetwork) -> dict[str, float]:
    """CPU seconds so far of the processes that share the machine with the run: the synthetic
    servers and the temporary Prefect API (both are needed, neither is the pipeline)."""
    out: dict[str, float] = {}
    procs = {"synthetic_servers": psutil.Process(network.proc.pid)}
    for child in psutil.Process().children():
        try:
            if "uvicorn" in " ".join(child.cmdline()):
                procs["prefect_api"] = child
        except psutil.Error:
            continue
    for name, proc in procs.items():
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        out[name] = times.user + times.system
    return out


def _parse_pool_on(config: Path) -> bool:
    from pressroom.config import load_config

    return load_config(config).crawler.parse_workers != 0


def _warehouse_counts(path: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT article_id) FROM"
            " articles), (SELECT count(*) FROM article_versions), (SELECT count(*) FROM"
            " fetch_errors), (SELECT count(*) FROM runs)"
        ).fetchall()[0]
    finally:
        con.close()
    keys = ("articles", "distinct_articles", "versions", "fetch_errors", "runs")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def run_benchmark(
    hosts: int, articles: int, latency_ms: float, concurrency: int, timeline_path: Path | None
) -> dict:
    """Serve the network, run both runs and return every figure as a dict; with
    ``timeline_path``, run 1's request log is written there as JSON."""
    folder = Path(tempfile.mkdtemp(prefix="pressroom-bench-crawl-"))
    os.environ.setdefault("PREFECT_HOME", str(folder / "prefect-home"))
    os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"
    os.environ.pop("PREFECT_API_URL", None)
    from pressroom.prefect_env import configure_prefect

    configure_prefect()
    network = SyntheticNetwork(hosts, articles, latency_ms)
    try:
        config = write_config(folder, network.ports, concurrency)
        warm_up, backfill_all, ingest_all = _flows()
        import pressroom.flows.crawl.listing_walk
        import pressroom.flows.crawl.pipeline
        import pressroom.flows.ingest
        import pressroom.flows.loading
        import pressroom.flows.staging

        cpu = ThreadCpu()
        if not _parse_pool_on(config):  # in-thread work is timed here; a pool's is its CPU
            cpu.wrap(pressroom.flows.crawl.pipeline, "extract_results", "parse")
            cpu.wrap(pressroom.flows.staging, "stage_batch", "stage")
            cpu.wrap(pressroom.flows.crawl.listing_walk, "_parse_listing", "listing_parse")
        cpu.wrap(pressroom.flows.loading, "load_pending", "load")
        started = time.perf_counter()
        asyncio.run(warm_up())
        prefect_start_s = time.perf_counter() - started
        rss_before = peak_rss_mb()

        since = date.fromisoformat(network.info["since"])
        ids = [f"district-{n}" for n in range(1, hosts + 1)]
        network.reset()
        rss = RssSampler()
        rss.phase = "backfill"
        others = _other_cpu(network)
        first = asyncio.run(backfill_all(str(config), ids, since))
        others = {k: round(v - others.get(k, 0.0), 2) for k, v in _other_cpu(network).items()}
        first_cpu = dict(cpu.seconds)
        blocking = {k: round(v, 2) for k, v in cpu.blocking.items()}
        walls = {k: round(v, 2) for k, v in cpu.wall.items()}
        first_log = network.stats()
        timeline = network.timeline()
        loaded = _warehouse_counts(folder / "bench.duckdb")

        network.reset()
        rss.phase = "no-change"
        second = asyncio.run(ingest_all(str(config)))
        rss_peaks = rss.stop()
        second_log = network.stats()
        after = _warehouse_counts(folder / "bench.duckdb")
        for leftover in folder.glob("bench.duckdb*"):  # warehouse, staging, raw archive
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    finally:
        network.close()
    figures = _figures(
        hosts, articles, latency_ms, concurrency, network.info["listing_pages"],
        first, first_cpu, first_log, loaded, second, second_log, after,
        prefect_start_s, rss_before,
    )  # fmt: skip
    timeline = measure.shifted(timeline, first["started"])
    figures["host_activity"] = measure.host_activity(timeline, first["wall_s"], concurrency)
    if timeline_path is not None:
        timeline_path.write_text(json.dumps(timeline), encoding="utf-8")
    figures["wall_inside_s"] = walls
    figures["event_loop_blocked_s"] = blocking
    figures["peak_rss_mb_by_run"] = rss_peaks
    figures["other_processes_cpu_s"] = others
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def _figures(
    hosts: int, articles: int, latency_ms: float, concurrency: int, pages: int,
    first: dict, cpu: dict, log: dict, loaded: dict, second: dict, log2: dict, after: dict,
    prefect_start_s: float, rss_before: float,
) -> dict:  # fmt: skip
    total = hosts * articles
    latency = latency_ms / 1000
    bound = (articles / concurrency + pages + 1) * latency
    parse = cpu.get("parse", 0) + first["pool_cpu_s"]  # in a thread, or in the pool's processes
    parse_load = parse + cpu.get("stage", 0) + cpu.get("load", 0)
    nochange_requests = log2.get("requests", 0) - log2.get("requests_robots", 0)
    nochange_304 = log2.get("status_304", 0)
    return {
        "mode": MODE,
        "hosts": hosts,
        "articles_per_host": articles,
        "latency_ms": latency_ms,
        "concurrency": concurrency,
        "listing_pages_per_host": pages,
        "prefect_start_s": round(prefect_start_s, 2),
        "wall_s": round(first["wall_s"], 3),
        "bound_s": round(bound, 3),
        "efficiency": round(bound / first["wall_s"], 3),
        "articles_per_s": round(total / first["wall_s"], 1),
        "cpu_s": round(first["cpu_s"], 2),
        "cpu_ms_per_article": round(1000 * first["cpu_s"] / total, 2),
        "parse_pool_cpu_ms_per_article": round(1000 * first["pool_cpu_s"] / total, 2),
        "parse_cpu_ms_per_article": round(1000 * parse / total, 2),
        "stage_cpu_ms_per_article": round(1000 * cpu.get("stage", 0) / total, 2),
        "load_cpu_ms_per_article": round(1000 * cpu.get("load", 0) / total, 2),
        "parse_load_cpu_ms_per_article": round(1000 * parse_load / total, 2),
        "listing_parse_cpu_s": round(cpu.get("listing_parse", 0), 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_runs_mb": round(rss_before, 1),
        "requests": log.get("requests", 0),
        "body_bytes": log.get("body_bytes", 0),
        "articles_loaded": loaded["articles"],
        "duplicates": loaded["articles"] - loaded["distinct_articles"],
        "versions": loaded["versions"],
        "fetch_errors": loaded["fetch_errors"],
        "nochange_wall_s": round(second["wall_s"], 3),
        "nochange_cpu_ms_per_request": round(1000 * second["cpu_s"] / max(1, log2["requests"]), 2),
        "nochange_requests": nochange_requests,
        "nochange_304": nochange_304,
        "nochange_200": log2.get("status_200", 0) - log2.get("requests_robots", 0),
        "nochange_body_bytes": log2.get("body_bytes", 0) - log2.get("body_bytes_robots", 0),
        "nochange_robots_requests": log2.get("requests_robots", 0),
        "nochange_new_versions": after["versions"] - loaded["versions"],
    }


def _table(fig: dict) -> str:
    rows = [
        ("network", f"{fig['hosts']} hosts x {fig['articles_per_host']} articles, "
                    f"L={fig['latency_ms']:g} ms, C={fig['concurrency']}, "
                    f"{fig['listing_pages_per_host']} listing pages/host"),
        ("mode", fig["mode"]),
        ("Prefect API start (not timed)", f"{fig['prefect_start_s']:.1f} s"),
        ("wall time (flow body)", f"{fig['wall_s']:.2f} s"),
        ("politeness bound", f"{fig['bound_s']:.2f} s"),
        ("efficiency (bound / wall)", f"{fig['efficiency']:.2f}   (target >= 0.80)"),
        ("articles per second", f"{fig['articles_per_s']:.0f}"),
        ("articles loaded / duplicates", f"{fig['articles_loaded']} / {fig['duplicates']}"),
        ("CPU per article (process)", f"{fig['cpu_ms_per_article']:.2f} ms"),
        ("  + parse pool (archive, parse, stage)",
         f"{fig['parse_pool_cpu_ms_per_article']:.2f} ms"),
        ("  parse / stage / load", f"{fig['parse_cpu_ms_per_article']:.2f} / "
                                   f"{fig['stage_cpu_ms_per_article']:.2f} / "
                                   f"{fig['load_cpu_ms_per_article']:.2f} ms"),
        ("  parse+stage+load", f"{fig['parse_load_cpu_ms_per_article']:.2f} ms   "
                               "(target <= 10)"),
        ("hosts: idle / all slots busy (s)", "{idle_s:.2f} / {full_s:.2f}   (mean of hosts; most"
         " idle {most_idle_s:.2f}; last start {first_request_s:.2f})".format(**fig["host_activity"])
         ),
        ("hosts: mean requests in flight", f"{fig['host_activity']['mean_in_flight']:.2f}"),
        ("wall inside (s)", json.dumps(fig["wall_inside_s"])),
        ("event loop blocked by (s)", json.dumps(fig["event_loop_blocked_s"])),
        ("peak RSS", f"{fig['peak_rss_mb']:.0f} MB (before runs {fig['rss_before_runs_mb']:.0f})"),
        ("  by run (MB)", json.dumps(fig["peak_rss_mb_by_run"])),
        ("other processes' CPU, run 1 (s)", json.dumps(fig["other_processes_cpu_s"])),
        ("load average at the end", json.dumps(fig["load_average"])),
        ("no-change: wall", f"{fig['nochange_wall_s']:.2f} s"),
        ("no-change: CPU per request", f"{fig['nochange_cpu_ms_per_request']:.2f} ms"),
        ("no-change: requests (no robots)", str(fig["nochange_requests"])),
        ("no-change: answered 304", f"{fig['nochange_304']}   (target: all)"),
        ("no-change: body bytes", str(fig["nochange_body_bytes"])),
        ("no-change: new versions", str(fig["nochange_new_versions"])),
    ]  # fmt: skip
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--articles", type=int, default=500, help="per host")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=2, help="per host")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--timeline", type=Path, help="write run 1's request log here (JSON)")
    args = parser.parse_args(argv)
    fig = run_benchmark(args.hosts, args.articles, args.latency_ms, args.concurrency, args.timeline)
    print(json.dumps(fig, indent=2) if args.json else _table(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
