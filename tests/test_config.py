"""Config validation: every bad key gives one clear message, exit code 2, before any request."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressroom.cli import main
from pressroom.config import load_config

GOOD_SOURCE = """
[[sources]]
id = "city"
start_urls = ["{url}/news/"]
timezone = "America/Chicago"
"""


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A real loopback server that records every path requested."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_minimal_source_is_enough(write_config) -> None:
    config = load_config(write_config(GOOD_SOURCE.format(url="http://example.gov")))
    (source,) = config.sources
    assert source.id == "city"
    assert source.start_urls == ("http://example.gov/news/",)
    assert source.effective_date_order == "MDY"
    assert config.warehouse_path.name == "pressroom.duckdb"


def test_warehouse_path_is_relative_to_the_config_file(write_config, tmp_path: Path) -> None:
    path = write_config(
        '[warehouse]\npath = "data/w.duckdb"\n' + GOOD_SOURCE.format(url="http://a.gov")
    )
    assert load_config(path).warehouse_path == tmp_path / "data" / "w.duckdb"


def test_config_path_from_environment(write_config, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(GOOD_SOURCE.format(url="http://a.gov"), name="elsewhere.toml")
    monkeypatch.setenv("PRESSROOM_CONFIG", str(path))
    assert load_config().path == path.resolve()


BAD_CONFIGS = {
    "unknown key": ('colour = "red"', "city", "colour"),
    "bad url": ('feed_url = "ftp://example.gov/feed"', "city", "feed_url"),
    "bad cron": ('schedule = "every day"', "city", "schedule"),
    "unknown time zone": (None, "city", "timezone"),
    "invalid selector": ('body_selector = "div..content"', "city", "body_selector"),
    "wrong type": ('recheck_days = "seven"', "city", "recheck_days"),
    "bad date order": ('date_order = "YDM"', "city", "date_order"),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS), ids=list(BAD_CONFIGS))
def test_bad_config_is_rejected_before_any_request(
    case: str, write_config, counting_server: tuple[str, list[str]]
) -> None:
    url, requests = counting_server
    extra, source, key = BAD_CONFIGS[case]
    text = GOOD_SOURCE.format(url=url)
    if extra is None:
        text = text.replace("America/Chicago", "America/Gotham")
    else:
        text += extra + "\n"
    result = CliRunner().invoke(main, ["--config", str(write_config(text)), "ingest"])
    assert result.exit_code == 2, result.output
    assert f"source '{source}'" in result.output
    assert f"key '{key}'" in result.output
    assert requests == []


def test_duplicate_source_id(write_config) -> None:
    text = GOOD_SOURCE.format(url="http://a.gov") + GOOD_SOURCE.format(url="http://b.gov")
    result = CliRunner().invoke(main, ["--config", str(write_config(text)), "ingest"])
    assert result.exit_code == 2
    assert "source 'city'" in result.output and "duplicate" in result.output


def test_missing_required_key(write_config) -> None:
    text = '[[sources]]\nid = "city"\nstart_urls = ["http://a.gov/"]\n'
    result = CliRunner().invoke(main, ["--config", str(write_config(text)), "ingest"])
    assert result.exit_code == 2
    assert "key 'timezone'" in result.output


def test_malformed_toml(write_config) -> None:
    result = CliRunner().invoke(main, ["--config", str(write_config("[[sources]\nid=")), "ingest"])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output


def test_missing_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "none.toml"), "ingest"])
    assert result.exit_code == 2
    assert "config file not found" in result.output


def test_unknown_source_id(write_config) -> None:
    path = write_config(GOOD_SOURCE.format(url="http://a.gov"))
    result = CliRunner().invoke(main, ["--config", str(path), "ingest", "nope"])
    assert result.exit_code == 2
    assert "unknown source id 'nope'" in result.output


def test_backfill_since_after_until(write_config) -> None:
    path = write_config(GOOD_SOURCE.format(url="http://a.gov"))
    args = [
        "--config",
        str(path),
        "backfill",
        "city",
        "--since",
        "2024-02-01",
        "--until",
        "2024-01-01",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "after --until" in result.output
