"""The ``pressroom`` command line.

Exit codes: 0 ok, 1 a run started and failed, 2 usage or config error (nothing sent, nothing
written): a bad config, a refused ``sql`` statement, a ``PREFECT_API_URL`` where nothing answers;
3 a run degraded (nothing failed, but a source looks broken, e.g. redesigned: see its reason).
Prefect is imported only by the commands that run flows, so ``pressroom sql`` and friends start
fast. A run's failures are one line each on stderr; Prefect's own log and tracebacks only with
``--verbose``.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from pressroom import cli_query
from pressroom.cli_context import (
    DEMO_DIR,
    EXIT_RUN_FAILED,
    EXIT_USAGE,
    Context,
    config_option,
    errors_to_exit_codes,
    iso_date,
    pass_ctx,
)
from pressroom.core.errors import PressroomError, RunFailed
from pressroom.core.tuning import tune_process
from pressroom.prefect_env import api_problem, configure_prefect, show_prefect_log
from pressroom.server import serve_notice, server_group, temporary_api_notice, use_managed_server

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $PRESSROOM_CONFIG, else ./pressroom.toml).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show Prefect's log on stderr (task retries, tracebacks of failures).",
)
@click.version_option(package_name="pressroom")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """pressroom: ingest municipal and government press releases into a DuckDB warehouse.

    \b
    Exit codes:
      0  ok
      1  a run started and a source failed (or a check found problems)
      2  usage or config error: nothing was sent or written
      3  a run degraded: nothing failed, but a source looks broken (a likely redesign)
    """
    tune_process()  # heap arenas before any thread exists (pressroom.core.tuning)
    use_managed_server()  # `pressroom server start`'s server, unless PREFECT_API_URL is set
    configure_prefect(verbose=verbose)
    ctx.obj = Context(config_path, verbose=verbose)


# --------------------------------------------------------------------------- runs


def _check_prefect_api(*, temporary_notice: bool = True) -> None:
    """A PREFECT_API_URL where nothing answers: one line and exit code 2, before any request.
    Without one, a line on stderr says how to skip the temporary API's start next time."""
    problem = api_problem()
    if problem is not None:
        click.echo(f"pressroom: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    if temporary_notice and (notice := temporary_api_notice()) is not None:
        click.echo(notice, err=True)


async def _settle(run: Awaitable[Any]) -> Any:
    """The flow's result: a returned State is opened; a failed run's exception is raised."""
    from prefect.states import State

    result = await run
    if isinstance(result, State):
        result = result.result(raise_on_failure=False)
        if inspect.isawaitable(result):
            result = await result
    if isinstance(result, RunFailed):  # failed or degraded: every source's summary still prints
        return result.summaries
    if isinstance(result, BaseException):
        raise result
    return result


def _starting() -> None:
    """Say at once that Prefect is starting (a terminal only: cron and CI get result lines)."""
    if sys.stderr.isatty():
        where = os.environ.get("PREFECT_API_URL") or "a temporary local API"
        click.echo(f"starting Prefect ({where})...", err=True)


def _run_flow(
    coro_factory: Callable[[], Awaitable[Any]], source_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Run a flow in-process, tagged as the deployments' runs are (``pressroom.flows.tags``). A
    PressroomError propagates (to ``errors_to_exit_codes``); any other failure is one line and
    exit code 1, its traceback only with ``--verbose``."""
    from prefect import tags

    from pressroom.flows.tags import run_tags

    try:
        with tags(*run_tags(source_ids)):
            return asyncio.run(_settle(coro_factory()))
    except PressroomError:
        raise
    except Exception as exc:
        context = click.get_current_context(silent=True)
        if context is not None and context.find_object(Context).verbose:
            raise
        click.echo(
            f"pressroom: the run failed: {type(exc).__name__}: {exc}"
            " (run with --verbose for the traceback)",
            err=True,
        )
        sys.exit(EXIT_RUN_FAILED)


def _finish(summaries: list[dict[str, Any]]) -> None:
    """One result line per source (per month and a total for a backfill); exit 1 when a source
    failed, 3 when one degraded."""
    from pressroom.run_output import exit_code, result_lines

    result_lines(summaries, click.echo)
    code = exit_code(summaries)
    if code:
        sys.exit(code)


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
        # unknown ids fail here, before any request
        selected = [s.id for s in config.select(list(source_ids))]
        _check_prefect_api()  # before Prefect is imported: a stale URL fails fast
        _starting()
        from pressroom.flows.ingest import ingest as ingest_flow

        path = str(config.path) if config.path else None
        summaries = _run_flow(
            lambda: ingest_flow(
                source_ids=list(source_ids) or None,
                config_path=path,
                recheck=recheck,
                return_state=True,
            ),
            selected,
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
        _check_prefect_api()  # before Prefect is imported: a stale URL fails fast
        _starting()
        from pressroom.flows.ingest import backfill as backfill_flow

        path = str(config.path) if config.path else None
        summaries = _run_flow(
            lambda: backfill_flow(
                source_id=source_id,
                since=since,
                until=until,
                refetch=refetch,
                config_path=path,
                return_state=True,
            )
        )
    _finish(summaries)


@main.command()
@pass_ctx
def load(obj: Context) -> None:
    """Load batches left staged by runs that found the warehouse locked."""
    from pressroom.warehouse import load_pending

    with errors_to_exit_codes():
        config = obj.config
        report = load_pending(config.warehouse_path, config.staging_dir)
    click.echo(f"loaded {report.loaded} batch(es); {report.pending} still staged")
    for name, error in report.failed.items():
        click.echo(f"failed: batch {name}: {error} (moved to {config.staging_dir / '_failed'})")
    if report.message:
        click.echo(report.message, err=True)
    if report.pending or report.failed:
        sys.exit(EXIT_RUN_FAILED)


@main.command()
@click.argument("source_id", required=False)
@click.option("--since", callback=iso_date, help="Only pages archived on or after YYYY-MM-DD.")
@pass_ctx
def reparse(obj: Context, source_id: str | None, since: date | None) -> None:
    """Rebuild articles from the raw archive (no network) after an extractor change."""
    with errors_to_exit_codes():
        config = obj.config
        if source_id:
            config.source(source_id)
        _check_prefect_api()  # before Prefect is imported: a stale URL fails fast
        _starting()
        from pressroom.flows.reparse import reparse as reparse_flow

        path = str(config.path) if config.path else None
        summaries = _run_flow(
            lambda: reparse_flow(
                source_id=source_id, since=since, config_path=path, return_state=True
            )
        )
    _finish(summaries)


@main.command(name="check-source")
@click.argument("source_id")
@click.argument("url", required=False)
@pass_ctx
def check_source(obj: Context, source_id: str, url: str | None) -> None:
    """Fetch one listing page and one article of SOURCE_ID and show what each field would be."""
    from pressroom.flows.check import check_source as run_check
    from pressroom.output import format_rows

    with errors_to_exit_codes():
        config = obj.config
        source = config.source(source_id)
        check = asyncio.run(run_check(config, source, url))
    listing = check.listing
    click.echo(f"listing {check.listing_url}")
    if listing is not None:
        next_pages = ", ".join([*listing.next_urls, *(r.url for r in listing.next_requests)])
        click.echo(f"  {len(listing.links)} article links, next page: {next_pages or 'none'}")
        click.echo(f"  pager: {check.pager}")
        template = check.template or listing.template
        if template is not None:
            where = "stored" if check.template is not None else "learned from this page"
            matched = {True: "matched", False: "did NOT match", None: "learned"}
            click.echo(
                f"  list template ({where}, {matched[listing.template_matched]}, "
                f"{len(listing.links)} rows): {' > '.join(template.tail)}"
            )
            if template.date_path:
                click.echo(f"  date in each row at: {' > '.join(template.date_path)}")
        if listing.date_order is not None:
            click.echo(f"  numeric dates read {listing.date_order.describe()}")
        for link in listing.links[:5]:
            date_text = link.published_at.isoformat() if link.published_at else "no date"
            click.echo(f"  - {link.title or '(no text)'} [{date_text}] {link.url}")
        click.echo(f"  every link of the page ({len(check.links)}):")
        for verdict in check.links:
            mark = "article" if verdict.taken else "skipped"
            click.echo(f"    {mark:<8} {verdict.url}  ({verdict.reason})")
    if check.article is not None:
        click.echo(f"article {check.article_url}")
        rows = [(f.name, f.value or "(none)", f.rule or "-") for f in check.article.fields]
        click.echo(format_rows(["field", "value", "rule"], rows, "table"), nl=False)
        if check.article.record.date_order is not None:
            click.echo(f"  numeric dates read {check.article.record.date_order.describe()}")
        for warning in check.article.warnings:
            click.echo(f"  warning: {warning}")
    for problem in check.problems:
        click.echo(f"problem: {problem}")
    if check.problems or check.article is None or not check.article.record.paragraphs:
        sys.exit(EXIT_RUN_FAILED)


@main.command()
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    help="Run every N seconds instead of each source's cron schedule (for trying it out).",
)
@pass_ctx
def serve(obj: Context, interval: float | None) -> None:
    """Register and serve the Prefect deployments: ingest per source, backfill, reparse."""
    with errors_to_exit_codes():
        config = obj.config
        _check_prefect_api(temporary_notice=False)
        click.echo(serve_notice(), err=True)  # which Prefect API, and who can reach it
        show_prefect_log()  # the runner's log is what `serve` shows
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        from pressroom.flows.serve import serve_deployments

        serve_deployments(
            config,
            interval_seconds=interval,
            on_removed=lambda name, path: click.echo(
                f"pressroom serve: removed deployment {name} (it ran config {path})", err=True
            ),
        )


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=DEMO_DIR,
    show_default=True,
    help="Where the demo config and warehouse go.",
)
@click.option(
    "--serve",
    "keep_serving",
    is_flag=True,
    help="Keep the demo newsroom serving after the load, until Ctrl-C, so that check-source,"
    " ingest, backfill and serve work against the demo config from another terminal.",
)
@click.option(
    "--port",
    type=click.IntRange(1024, 65534),
    help="First port of the demo newsroom on 127.0.0.1 (default: the last run's, else 8731).",
)
def demo(directory: str, keep_serving: bool, port: int | None) -> None:
    """Serve the bundled demo newsroom on 127.0.0.1, ingest it and print what was loaded."""
    from pressroom.demo_command import run_demo

    _check_prefect_api()
    _starting()
    with errors_to_exit_codes():
        code = run_demo(Path(directory), _run_flow, serve=keep_serving, port=port)
    sys.exit(code)


for _command in cli_query.COMMANDS:
    main.add_command(_command)
for _command in main.commands.values():
    if _command.name != "demo":  # the demo writes its own config
        config_option(_command)
main.add_command(server_group)
