"""``pressroom demo``: serve the bundled newsroom, ingest it, show what landed.

The demo serves on fixed loopback ports (:data:`DEMO_PORT` and the next one, or ``--port``), or
on the ports of the config it wrote last time, so that article URLs, and with them article ids,
stay the same: a second run is an ordinary incremental run that finds nothing new and adds no
row. Plain ``pressroom demo`` stops its servers when it ends; ``pressroom demo --serve`` keeps
them answering until Ctrl-C (or SIGTERM), so that ``check-source``, ``ingest``, ``backfill`` and
``serve`` work against the demo config from another terminal.

The commands it prints start with the ``pressroom`` that is running (``.venv/bin/pressroom``
after the README's install, where a bare ``pressroom`` is not on PATH).
"""

from __future__ import annotations

import shlex
import shutil
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from pressroom.cli_context import DEMO_DIR
from pressroom.config import load_config
from pressroom.core.errors import ConfigError
from pressroom.demo import DEMO_SOURCES, DemoNewsroom, write_demo_config
from pressroom.output import format_rows

__all__ = [
    "DEMO_PORT",
    "EXAMPLE_QUERIES",
    "PortTaken",
    "command_name",
    "previous_ports",
    "run_demo",
]

DEMO_PORT = 8731
"""The first demo family's port on 127.0.0.1; the others take the next ones."""

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


class PortTaken(ConfigError):
    """``pressroom demo --serve`` could not have the fixed port it needs (exit code 2)."""


def command_name() -> str:
    """How to call this ``pressroom`` again: ``pressroom`` when that is the one on PATH, else
    the path it was started by (``.venv/bin/pressroom``), else ``python -m pressroom``."""
    started = Path(sys.argv[0])
    if started.name == "pressroom" and started.is_file():
        on_path = shutil.which("pressroom")
        if on_path and Path(on_path).resolve() == started.resolve():
            return "pressroom"
        return shlex.quote(str(started))
    script = Path(sys.executable).parent / "pressroom"
    if script.is_file():
        return shlex.quote(_relative(script))
    return f"{shlex.quote(sys.executable)} -m pressroom"


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _ports(config_path: Path, port: int | None) -> dict[str, int]:
    """``--port`` and the next ones; else last run's ports; else the fixed defaults."""
    if port is None:
        previous = previous_ports(config_path)
        if previous:
            return previous
        port = DEMO_PORT
    return {family: port + i for i, family in enumerate(DEMO_SOURCES)}


def run_demo(
    directory: Path,
    run_flow: Callable[[Callable[[], Any]], list[dict[str, Any]]],
    *,
    serve: bool = False,
    port: int | None = None,
) -> int:
    """Serve, configure, ingest and report (and with ``serve`` keep serving until Ctrl-C);
    returns the process exit code."""
    from pressroom.flows.ingest import ingest
    from pressroom.run_output import exit_code, result_lines
    from pressroom.warehouse import source_summary

    directory.mkdir(parents=True, exist_ok=True)
    config_path = directory / "pressroom.toml"
    warehouse_path = directory / "pressroom.duckdb"
    wanted = _ports(config_path, port)
    with DemoNewsroom(ports=wanted) as newsroom:
        got = {f: urlsplit(newsroom.base_url(f)).port for f in newsroom.families}
        taken = [f"{wanted[f]} ({f})" for f in newsroom.families if got[f] != wanted.get(f)]
        if serve and taken:
            raise PortTaken(
                f"port {', '.join(taken)} on 127.0.0.1 is in use (another `pressroom demo"
                " --serve`?): stop it, or choose other ports with --port (the article URLs,"
                " and so their ids, change with the port)"
            )
        write_demo_config(config_path, newsroom, warehouse_path)
        click.echo(f"demo newsroom: {', '.join(newsroom.base_url(f) for f in newsroom.families)}")
        click.echo(f"config: {config_path}")
        summaries = run_flow(
            lambda: ingest(config_path=str(config_path.resolve()), return_state=True)
        )
        result_lines(summaries, click.echo, durations=False)
        _show_warehouse(warehouse_path, source_summary)
        _try_next(config_path, serve, directory, port)
        if serve:
            _serve_until_interrupted(newsroom)
    return exit_code(summaries)


def _show_warehouse(warehouse_path: Path, source_summary: Callable[[Path], Any]) -> None:
    rows = [
        (r["source_id"], r["articles"], r["oldest"], r["newest"], r["errors"])
        for r in source_summary(warehouse_path)
    ]
    click.echo(f"\nwarehouse: {warehouse_path}")
    click.echo(format_rows(["source", "articles", "oldest", "newest", "errors"], rows), nl=False)


def _try_next(config_path: Path, serve: bool, directory: Path, port: int | None) -> None:
    me = command_name()
    again = f"{me} demo --serve"
    if directory != Path(DEMO_DIR):
        again += f" --dir {shlex.quote(str(directory))}"
    if port is not None:
        again += f" --port {port}"
    config = shlex.quote(str(config_path))
    click.echo("\nTry next:")
    for query in EXAMPLE_QUERIES:
        click.echo(f"  {me} --config {config} sql {_shell_word(query)}")
    if serve:
        click.echo("In another terminal, against the demo newsroom while this one serves:")
    else:
        click.echo(
            "The demo newsroom stopped with this command. Keep it serving for the commands"
            f" below (they fetch from it): {again}"
        )
    click.echo(f"  {me} --config {config} check-source cityhall")
    click.echo(f"  {me} --config {config} backfill hightech --since 2023-01-01 --until 2023-06-30")


def _shell_word(text: str) -> str:
    """``text`` as one shell word: in double quotes when that is safe (easier to read)."""
    if any(c in text for c in '"$`\\!'):
        return shlex.quote(text)
    return f'"{text}"'


def _serve_until_interrupted(newsroom: DemoNewsroom) -> None:
    """Block until Ctrl-C or SIGTERM; the caller's ``with`` then stops the servers."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    urls = ", ".join(newsroom.base_url(f) for f in newsroom.families)
    click.echo(f"\nserving the demo newsroom at {urls} until Ctrl-C")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("demo newsroom stopped")
