"""Bad input to the tool: one clear message, exit code 2 (1 for a run that started and
failed), no request sent and nothing written to the warehouse.

``tests/test_config.py`` already checks the message and exit code of bad keys inside a source,
a duplicate id, a missing key, a missing file, malformed TOML and an unknown ``ingest`` id.
This module adds what it leaves out: the ``[crawler]``/top-level tables, ``backfill``'s own
errors, an unreachable start URL, and for every case that the warehouse stays untouched.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pressroom.cli import main
from tests.e2e.conftest import query
from tests.faults.server import FaultServer, page

SOURCE = """
[[sources]]
id = "city"
start_urls = ["{url}"]
timezone = "America/Chicago"
"""
WAREHOUSE = '[warehouse]\npath = "wh.duckdb"\n'
BACKFILL = ["backfill", "city", "--since", "2024-01-01"]

#: case -> (text before the source, text after it, command, what the message must name)
CASES = {
    "malformed TOML": ("", "[crawler\n", ["ingest"], "not valid TOML"),
    "wrong type in [crawler]": (
        '[crawler]\nper_host_concurrency = "two"\n', "", ["ingest"], "crawler.per_host_concurrency"
    ),
    "negative number in [crawler]": ("[crawler]\nread_timeout = -1\n", "", ["ingest"], "timeout"),
    "unknown key in [crawler]": ("[crawler]\nretries = 3\n", "", ["ingest"], "'retries'"),
    "unknown top-level key": ('colour = "red"\n', "", ["ingest"], "'colour'"),
    "unknown key in [warehouse]": ("", "", ["ingest"], "'size'"),
    "sources not an array of tables": ('sources = "city"\n', None, ["ingest"], "sources"),
    "start_urls of the wrong type": ("", "", ["ingest"], "start_urls"),
    "unknown source id for backfill": ("", "", ["backfill", "nope", "--since", "2024-01-01"],
                                       "unknown source id 'nope'"),
    "since after until": ("", "", [*BACKFILL, "--until", "2023-12-31"], "after"),
    "a date that is not ISO": ("", "", ["backfill", "city", "--since", "01/02/2024"],
                               "YYYY-MM-DD"),
}  # fmt: skip


@pytest.fixture
def site() -> Iterator[FaultServer]:
    with FaultServer() as server:
        server.route("/news/", page(b"<html><body><a href='/a.html'>A headline</a></body></html>"))
        yield server


def _config(tmp_path: Path, case: str, url: str) -> Path:
    before, after, _, _ = CASES[case]
    warehouse = WAREHOUSE
    source = SOURCE.format(url=url)
    if case == "unknown key in [warehouse]":
        warehouse += "size = 10\n"
    if case == "start_urls of the wrong type":
        source = source.replace(f'["{url}"]', "42")
    if after is None:  # the case replaces the sources
        source = ""
    path = tmp_path / "pressroom.toml"
    path.write_text(warehouse + before + source + (after or ""), encoding="utf-8")
    return path


def _error_lines(result: Result) -> list[str]:
    return [
        line
        for line in result.output.splitlines()
        if line.startswith(("pressroom:", "Error:")) or "Traceback" in line
    ]


def _nothing_written(tmp_path: Path) -> None:
    written = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("wh.duckdb"))
    assert written == [], f"the warehouse was touched: {written}"


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_one_message_exit_2_and_writes_nothing(
    case: str, tmp_path: Path, site: FaultServer
) -> None:
    config = _config(tmp_path, case, site.url("/news/"))
    *_, command, named = CASES[case]
    result = CliRunner().invoke(main, ["--config", str(config), *command])
    assert result.exit_code == 2, result.output
    errors = _error_lines(result)
    assert len(errors) == 1, result.output
    assert named in errors[0], result.output
    assert site.requests == []
    _nothing_written(tmp_path)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_api")
def test_unreachable_start_url_fails_with_one_message_and_writes_nothing(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/news/"
    config = tmp_path / "pressroom.toml"
    config.write_text(
        WAREHOUSE
        + "[crawler]\nconnect_timeout = 0.5\nmax_attempts = 2\nbackoff_base_seconds = 0.01\n"
        + SOURCE.format(url=url),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--config", str(config), "ingest"])
    assert result.exit_code == 1, result.output
    (message,) = [line for line in result.output.splitlines() if line.startswith("pressroom:")]
    assert "city" in message and url in message and "could not reach" in message
    # nothing reached the site, so nothing is written: no runs row, no fetch_errors row
    warehouse = tmp_path / "wh.duckdb"
    if warehouse.exists():
        assert query(
            warehouse,
            "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM fetch_errors)"
            " + (SELECT count(*) FROM articles) + (SELECT count(*) FROM pages)",
        ) == [(0,)]


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_api")
def test_a_failed_run_says_why_on_the_terminal(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/news/"
    config = tmp_path / "pressroom.toml"
    config.write_text(
        WAREHOUSE + "[crawler]\nconnect_timeout = 0.5\nmax_attempts = 1\n" + SOURCE.format(url=url),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--config", str(config), "ingest"])
    assert result.exit_code == 1
    assert "ConnectError" in result.output or "refused" in result.output, result.output
