"""The ``pressroom`` command line.

Exit codes: 0 ok, 1 a run started and failed, 2 usage or config error (nothing sent, nothing
written). Prefect is imported only by the commands that run flows, so ``pressroom sql`` and
friends start fast.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from pressroom import cli_query
from pressroom.cli_context import (
    EXIT_RUN_FAILED,
    Context,
    errors_to_exit_codes,
    iso_date,
    pass_ctx,
)

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $PRESSROOM_CONFIG, else ./pressroom.toml).",
)
@click.version_option(package_name="pressroom")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """pressroom: ingest municipal and government press releases into a DuckDB warehouse."""
    ctx.obj = Context(config_path)


# --------------------------------------------------------------------------- runs


def _run_flow(coro_factory: Callable[[], Any]) -> list[dict[str, Any]]:
    from pressroom.prefect_env import configure_prefect

    configure_prefect()
    return asyncio.run(coro_factory())


def _finish(summaries: list[dict[str, Any]]) -> None:
    for s in summaries:
        c = s["counts"]
        click.echo(
            f"{s['source_id']}: {s['status']} - {c.get('articles_new', 0)} new, "
            f"{c.get('articles_updated', 0)} updated, {c.get('articles_unchanged', 0)} unchanged, "
            f"{c.get('not_modified', 0)} not modified, {c.get('listing_pages', 0)} listing pages, "
            f"{c.get('errors', 0)} errors ({s['duration_s']:.1f}s)"
        )
        if s.get("pending"):
            click.echo(
                f"{s['source_id']}: {s['pending']} batch(es) stay staged; "
                "they load on the next run or with `pressroom load`"
            )
    if any(s["status"] == "failed" for s in summaries):
        sys.exit(EXIT_RUN_FAILED)


@main.command()
@click.argument("source_ids", nargs=-1)
@click.option(
    "--recheck", is_flag=True, help="Revalidate every known article, not just recent ones."
)
@pass_ctx
def ingest(obj: Context, source_ids: tuple[str, ...], recheck: bool) -> None:
    """One incremental run now for SOURCE_IDS (all enabled sources by default)."""
    with errors_to_exit_codes():
        config = obj.config
        config.select(list(source_ids))  # unknown ids fail here, before any request
        from flows.ingest import ingest as ingest_flow

        path = str(config.path) if config.path else None
        summaries = _run_flow(
            lambda: ingest_flow(
                source_ids=list(source_ids) or None, config_path=path, recheck=recheck
            )
        )
    _finish(summaries)


@main.command()
@click.argument("source_id")
@click.option("--since", required=True, callback=iso_date, help="First day, YYYY-MM-DD.")
@click.option("--until", callback=iso_date, help="Last day, YYYY-MM-DD (default: today).")
@click.option("--refetch", is_flag=True, help="Download pages again even when already loaded.")
@pass_ctx
def backfill(obj: Context, source_id: str, since: date, until: date | None, refetch: bool) -> None:
    """Load the articles SOURCE_ID published between --since and --until."""
    if until is not None and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    with errors_to_exit_codes():
        config = obj.config
        config.source(source_id)
        from flows.ingest import backfill as backfill_flow

        path = str(config.path) if config.path else None
        summaries = _run_flow(
            lambda: backfill_flow(
                source_id=source_id, since=since, until=until, refetch=refetch, config_path=path
            )
        )
    _finish(summaries)


@main.command()
@pass_ctx
def load(obj: Context) -> None:
    """Load batches left staged by runs that found the warehouse locked."""
    from warehouse import load_pending

    with errors_to_exit_codes():
        config = obj.config
        report = load_pending(config.warehouse_path, config.staging_dir)
    click.echo(f"loaded {report.loaded} batch(es); {report.pending} still staged")
    if report.pending:
        sys.exit(EXIT_RUN_FAILED)


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default="pressroom-demo",
    show_default=True,
    help="Where the demo config and warehouse go.",
)
def demo(directory: str) -> None:
    """Serve the bundled demo newsroom on 127.0.0.1, ingest it and print what was loaded."""
    from pressroom.demo_command import run_demo

    with errors_to_exit_codes():
        code = run_demo(Path(directory), _run_flow)
    sys.exit(code)


for _command in cli_query.COMMANDS:
    main.add_command(_command)
