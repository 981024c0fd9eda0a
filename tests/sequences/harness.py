"""Run pressroom against a :class:`~tests.sequences.site.Newsroom` and read what it stored.

:class:`Pressroom` writes a ``pressroom.toml`` for one newsroom (fast crawler settings: short
timeouts, two attempts, tiny backoff, parsing in a thread), runs the real ``ingest``,
``backfill`` and ``reparse`` flows in-process against the session's Prefect API, starts the real
CLI as a subprocess to SIGKILL it mid-run, and reads the warehouse read-only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect.states import State

from pressroom.core.errors import RunFailed
from pressroom.flows.ingest import backfill, ingest
from pressroom.flows.reparse import reparse
from pressroom.warehouse.integrity import duplicate_keys
from pressroom.warehouse.staging import pending_batches
from tests.sequences.site import Article, Newsroom

__all__ = ["SOURCE", "Pressroom", "Stored"]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "seqcity"
FIELDS = ("title", "published_at", "body_text", "author", "origin")

CONFIG = """\
[warehouse]
path = "wh.duckdb"

[crawler]
max_attempts = 2
backoff_base_seconds = 0.01
connect_timeout = 2.0
read_timeout = {read_timeout}
give_up_after_runs = 100
parse_workers = 0
per_host_concurrency = 4
stage_batch_articles = 5

[[sources]]
id = "{source}"
start_urls = ["{start}"]
timezone = "UTC"
language = "en"
"""


@dataclass(frozen=True)
class Stored:
    """One row of ``articles``: the fields the invariants compare."""

    article_id: str
    url: str
    title: str | None
    published_at: datetime | None
    body_text: str | None
    author: str | None
    origin: str | None

    def field(self, name: str) -> Any:
        return getattr(self, name)

    def differs_from(self, article: Article) -> list[str]:
        """Fields whose stored value is not the model's (empty list: current content)."""
        want = {
            "title": article.title,
            "published_at": datetime(*article.published.timetuple()[:3], tzinfo=UTC),
            "body_text": article.body_text,
            "author": article.author,
            "origin": article.origin,
        }
        return [name for name, value in want.items() if self.field(name) != value]


class Pressroom:
    """pressroom configured for one newsroom, with its warehouse in ``folder``."""

    def __init__(self, site: Newsroom, folder: Path, *, read_timeout: float = 0.5) -> None:
        self.site = site
        self.folder = folder
        self.config = folder / "pressroom.toml"
        self.warehouse = folder / "wh.duckdb"
        self.config.write_text(
            CONFIG.format(
                read_timeout=read_timeout,
                source=SOURCE,
                start=site.url(site.listing_path(0)),
            ),
            encoding="utf-8",
        )

    # -- actions -----------------------------------------------------------------------

    def ingest(self, *, recheck: bool = False) -> list[dict[str, Any]]:
        """The flow's per-source summaries (a failed source's included)."""
        state = asyncio.run(
            ingest(config_path=str(self.config), recheck=recheck, return_state=True)
        )
        return _summaries(state)

    def backfill(
        self, since: date, until: date | None = None, *, refetch: bool = False
    ) -> list[dict[str, Any]]:
        state = asyncio.run(
            backfill(
                source_id=SOURCE,
                since=since,
                until=until,
                refetch=refetch,
                config_path=str(self.config),
                return_state=True,
            )
        )
        return _summaries(state)

    def reparse(self) -> list[dict[str, Any]]:
        state = asyncio.run(
            reparse(source_id=SOURCE, config_path=str(self.config), return_state=True)
        )
        return _summaries(state)

    def kill_mid_ingest(
        self,
        api_url: str,
        *,
        after_articles: int,
        once_staged: bool = False,
        timeout: float = 30,
    ) -> bool:
        """Start ``pressroom ingest`` as a process; SIGKILL it once it has requested
        ``after_articles`` article pages (and, with ``once_staged``, once it has staged its first
        batch). False when it finished before that point."""
        start = len(self.site.served)
        env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-c", "from pressroom.cli import main; main()",
             "--config", str(self.config), "ingest"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                requested = sum(s.article for s in self.site.served[start:])
                staged = not once_staged or _has_entries(self.folder / "wh.duckdb.staging")
                if requested >= after_articles and staged:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
                    return True
                time.sleep(0.01)
            return False
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    # -- reading -----------------------------------------------------------------------

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        if not self.warehouse.exists():
            return []
        if self.warehouse.stat().st_size == 0:  # a kill as DuckDB created the file
            return []
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        except duckdb.CatalogException:  # a kill before the first migration: no tables yet
            return []
        finally:
            con.close()

    def stored(self) -> list[Stored]:
        """Every row of ``articles`` (duplicates included), by URL path."""
        rows = self.query(
            "SELECT article_id, url, title, published_at, body_text, author, origin FROM articles"
        )
        origin = self.site.server.origin
        return [Stored(r[0], r[1].removeprefix(origin), *r[2:]) for r in rows]

    def duplicate_keys(self) -> dict[str, list[tuple]]:
        """Keys of articles, article_versions and pages held by more than one row."""
        if not self.query("SELECT 1 FROM duckdb_tables() WHERE table_name = 'pages'"):
            return {}
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return duplicate_keys(con)
        finally:
            con.close()

    def by_path(self) -> dict[str, Stored]:
        return {row.url: row for row in self.stored()}


def _summaries(state: State) -> list[dict[str, Any]]:
    """A flow's summaries from its final state; a run that failed for a source gives them too."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunFailed):
        return result.summaries
    if isinstance(result, BaseException):
        raise result
    return list(result)


def _has_entries(folder: Path) -> bool:
    """A complete batch is in ``folder`` (staged, or loaded and being removed)."""
    try:
        return bool(pending_batches(folder)) or any(
            p.name.startswith(".done-") for p in folder.iterdir()
        )
    except FileNotFoundError:
        return False
