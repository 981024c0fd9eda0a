"""``pressroom demo``: serve the bundled newsroom, ingest it, show what landed.

The demo keeps its ports between runs (read back from the config it wrote last time) so that
article URLs, and with them article ids, stay the same: a second run is an ordinary
incremental run that finds nothing new and adds no row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from pressroom.config import load_config
from pressroom.demo import DEMO_SOURCES, DemoNewsroom, write_demo_config
from pressroom.errors import ConfigError
from pressroom.output import format_rows

__all__ = ["EXAMPLE_QUERIES", "previous_ports", "run_demo"]

EXAMPLE_QUERIES = (
    "SELECT source_id, count(*) AS articles, min(published_at) AS oldest, "
    "max(published_at) AS newest FROM articles GROUP BY source_id ORDER BY source_id",
    "SELECT published_at, title FROM articles WHERE body_text ILIKE '%budget%' "
    "ORDER BY published_at DESC LIMIT 5",
)


def previous_ports(config_path: Path) -> dict[str, int]:
    """Ports the last demo run used, per family; empty when there is no usable old config."""
    if not config_path.exists():
        return {}
    try:
        config = load_config(config_path)
    except ConfigError:
        return {}
    family_of = {source_id: family for family, (source_id, _, _) in DEMO_SOURCES.items()}
    ports = {}
    for source in config.sources:
        port = urlsplit(source.start_urls[0]).port
        if source.id in family_of and port:
            ports[family_of[source.id]] = port
    return ports


def run_demo(directory: Path, run_flow: Callable[[Callable[[], Any]], list[dict[str, Any]]]) -> int:
    """Serve, configure, ingest and report; returns the process exit code."""
    from flows.ingest import ingest
    from warehouse import source_summary

    directory.mkdir(parents=True, exist_ok=True)
    config_path = directory / "pressroom.toml"
    warehouse_path = directory / "pressroom.duckdb"
    with DemoNewsroom(ports=previous_ports(config_path)) as newsroom:
        write_demo_config(config_path, newsroom, warehouse_path)
        click.echo(f"demo newsroom: {', '.join(newsroom.base_url(f) for f in newsroom.families)}")
        click.echo(f"config: {config_path}")
        summaries = run_flow(
            lambda: ingest(config_path=str(config_path.resolve()), return_state=True)
        )

    for s in summaries:
        if s.get("failure"):
            click.echo(f"pressroom: {s['failure']}", err=True)
            continue
        c = s["counts"]
        click.echo(
            f"{s['source_id']}: {c.get('articles_new', 0)} new, "
            f"{c.get('articles_updated', 0)} updated, {c.get('articles_unchanged', 0)} unchanged, "
            f"{c.get('not_modified', 0)} not modified, {c.get('errors', 0)} errors"
        )
    rows = [
        (r["source_id"], r["articles"], r["oldest"], r["newest"], r["errors"])
        for r in source_summary(warehouse_path)
    ]
    click.echo(f"\nwarehouse: {warehouse_path}")
    click.echo(format_rows(["source", "articles", "oldest", "newest", "errors"], rows), nl=False)
    click.echo("\nTry next:")
    for query in EXAMPLE_QUERIES:
        click.echo(f'  pressroom --config {config_path} sql "{query}"')
    return 1 if any(s["status"] == "failed" for s in summaries) else 0
