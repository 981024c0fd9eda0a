"""The CLI contract: every command has help, is documented in the README, exits 0/1/2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pressroom.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_the_public_commands_exist() -> None:
    expected = {
        "backfill", "check-source", "demo", "export", "ingest", "load", "reparse",
        "schema", "search", "serve", "sources", "sql",
    }  # fmt: skip
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(main.commands[command].help or "") > 20


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"`pressroom {command}" in README


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["backfill", "x", "--since", "15/03/2023"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_readme_documents_every_table_and_column() -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "readme_schema.py"
    spec = importlib.util.spec_from_file_location("readme_schema", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(README) == README, "run scripts/readme_schema.py"


def test_sql_prints_the_rows_of_a_query(empty_warehouse_config: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--config", str(empty_warehouse_config), "sql", "--format", "csv", "SELECT 41 + 1 AS n"],
    )
    assert result.exit_code == 0, result.output
    assert result.output == "n\n42\n"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("COPY articles TO 'out.csv'", "COPY statement refused"),
        ("SELECT 1; SELECT 2", "2 statements given"),
        ("SELECT * FROM read_text('pressroom.toml')", 'Cannot access file "pressroom.toml"'),
    ],
)
def test_a_refused_statement_is_one_line_and_exit_code_2(
    empty_warehouse_config: Path, query: str, named: str
) -> None:
    result = CliRunner().invoke(main, ["--config", str(empty_warehouse_config), "sql", query])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("pressroom: ") and named in line
    assert not (empty_warehouse_config.parent / "out.csv").exists()
