"""``pressroom`` commands that read the warehouse: sql, search, export, schema, sources."""

from __future__ import annotations

import sys
from datetime import date

import click

from pressroom.cli_context import EXIT_USAGE, Context, errors_to_exit_codes, iso_date, pass_ctx
from pressroom.output import format_rows

__all__ = ["COMMANDS"]

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@click.command()
@click.argument("query")
@_FORMAT
@pass_ctx
def sql(obj: Context, query: str, fmt: str) -> None:
    """Run one read-only SQL QUERY (SELECT or EXPLAIN) on the warehouse and print the result.

    The query reads the warehouse and nothing else: no files, other databases, network,
    extensions or settings. A refused statement exits with code 2 and says why. The file is
    opened read-only and closed as soon as the rows are read, so a running ingest is held up
    for a moment at most.
    """
    from pressroom.warehouse import run_sql

    with errors_to_exit_codes():
        columns, rows = run_sql(obj.config.warehouse_path, query)
    click.echo(format_rows(columns, rows, fmt), nl=False)


@click.command()
@click.argument("words", required=False)
@click.option("--source", "source_id", help="Only this source id.")
@click.option("--since", callback=iso_date, help="Only articles published on or after YYYY-MM-DD.")
@click.option("--until", callback=iso_date, help="Only articles published on or before YYYY-MM-DD.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--reindex", is_flag=True, help="Rebuild the search index from the warehouse.")
@_FORMAT
@pass_ctx
def search(
    obj: Context,
    words: str | None,
    source_id: str | None,
    since: date | None,
    until: date | None,
    limit: int,
    reindex: bool,
    fmt: str,
) -> None:
    """Ranked full-text search (BM25) over titles and bodies, English and Chinese.

    English words are stemmed, Chinese is matched by character bigrams, title matches count
    more than body matches; "words in quotes" is a phrase, +word is required, -word excluded.
    A lone phrase of words that are each in many articles is ranked among the best
    articles for its words (see the README's Searching). Each hit shows a snippet with the
    matched words in **bold**.
    A query needs at least two Chinese characters in a row (a single one is refused with exit
    code 2).
    """
    from pressroom.warehouse import reindex as reindex_articles
    from pressroom.warehouse import search as search_articles
    from pressroom.warehouse.search_index import lone_cjk_characters

    lone = lone_cjk_characters(words or "")
    if lone:
        click.echo(
            f"pressroom: Chinese search needs at least two characters in a row: "
            f"{', '.join(repr(c) for c in lone)} stands alone (try a word such as '高新区')",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    with errors_to_exit_codes():
        config = obj.config
        if reindex:
            count = reindex_articles(config.warehouse_path)
            click.echo(f"search index rebuilt: {count} article(s)", err=True)
            if not words:
                return
        if not words:
            raise click.UsageError("give the WORDS to search for (or --reindex)")
        if source_id:
            config.source(source_id)
        hits = search_articles(
            config.warehouse_path,
            words,
            source_id=source_id,
            since=since,
            until=until,
            limit=limit,
            on_note=lambda note: click.echo(f"note: {note}", err=True),
        )
    columns = ["score", "source_id", "published_at", "title", "url", "snippet"]
    rows = [
        [round(h.score, 3), h.source_id, h.published_at, h.title, h.url, h.snippet] for h in hits
    ]
    click.echo(format_rows(columns, rows, fmt), nl=False)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write (Parquet is partitioned by source_id and year).",
)
@pass_ctx
def export(obj: Context, fmt: str, out_dir: str) -> None:
    """Export the articles (with paragraphs) for use outside DuckDB."""
    from pressroom.warehouse import export as export_articles

    with errors_to_exit_codes():
        written = export_articles(obj.config.warehouse_path, out_dir, fmt=fmt)
    for path in written:
        click.echo(str(path))
    click.echo(f"wrote {len(written)} file(s) under {out_dir}")


@click.command()
@pass_ctx
def schema(obj: Context) -> None:
    """Print every table and view with its columns and their descriptions."""
    from pressroom.warehouse import describe_schema

    with errors_to_exit_codes():
        text = describe_schema(obj.config.warehouse_path)
    click.echo(text, nl=False)


@click.command()
@pass_ctx
def sources(obj: Context) -> None:
    """List the configured sources."""
    with errors_to_exit_codes():
        config = obj.config
    rows = [
        (s.id, s.display_name, s.timezone, s.effective_schedule, ", ".join(s.start_urls))
        for s in config.sources
    ]
    columns = ["id", "name", "timezone", "schedule", "start_urls"]
    click.echo(format_rows(columns, rows, "table"), nl=False)


COMMANDS = [sql, search, export, schema, sources]
