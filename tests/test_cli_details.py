"""Issue 15 item 7, the CLI's small promises: ``--config`` on either side of the subcommand,
dates that do not exist, wide characters in tables, export's file list, a lone Chinese
character in a search."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressroom.cli import main


def _sql(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "args",
    [
        ("--config", "{c}", "sql", "--format", "csv", "SELECT count(*) AS n FROM articles"),
        ("sql", "--config", "{c}", "--format", "csv", "SELECT count(*) AS n FROM articles"),
        ("sql", "--format", "csv", "SELECT count(*) AS n FROM articles", "--config", "{c}"),
    ],
    ids=["before", "after-subcommand", "at-the-end"],
)
def test_config_works_before_or_after_the_subcommand(
    empty_warehouse_config: Path,
    args: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path.parent)  # no pressroom.toml here: only --config finds it
    result = _sql(*(a.replace("{c}", str(empty_warehouse_config)) for a in args))
    assert result.exit_code == 0, result.output
    assert result.output == "n\n0\n"  # the articles table of that warehouse: it exists


def test_config_after_the_subcommand_wins(empty_warehouse_config: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    result = _sql("--config", str(missing), "sources", "--config", str(empty_warehouse_config))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2023-02-30", "2023-02-30: February has no day 30"),
        ("2023-02-29", "2023-02-29: February 2023 has no day 29 (not a leap year)"),
        ("2023-04-31", "2023-04-31: April has no day 31"),
        ("2023-13-01", "2023-13-01: there is no month 13"),
        ("15/03/2023", "is not a date in YYYY-MM-DD form"),
    ],
)
def test_a_date_that_does_not_exist_says_why(
    empty_warehouse_config: Path, value: str, said: str
) -> None:
    result = _sql("--config", str(empty_warehouse_config), "backfill", "x", "--since", value)
    assert result.exit_code == 2
    assert said in " ".join(result.output.split())


def test_a_leap_day_is_a_date(empty_warehouse_config: Path) -> None:
    result = _sql("--config", str(empty_warehouse_config), "search", "x", "--since", "2024-02-29")
    assert result.exit_code == 0, result.output


def _cells(text: str) -> int:
    """Display width by the Unicode East Asian Width property (W and F take two cells)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_a_table_aligns_chinese_text(empty_warehouse_config: Path) -> None:
    query = (
        "SELECT * FROM (VALUES ('高新区管委会', 'x'), ('council', 'y'), ('区', 'z'))"
        " AS t(name, mark)"
    )
    result = _sql("--config", str(empty_warehouse_config), "sql", query)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()[:5]  # header, rule, three rows
    bars = {
        _cells(line.split("|")[0]) if "|" in line else _cells(line.split("+")[0]) for line in lines
    }
    assert bars == {_cells("高新区管委会 ")}, result.output


def test_export_prints_every_file_it_wrote(empty_warehouse_config: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _sql(
        "--config", str(empty_warehouse_config), "export", "--out", str(out), "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    *listed, last = result.output.splitlines()
    on_disk = sorted(str(p) for p in out.rglob("*") if p.is_file())
    assert sorted(listed) == on_disk and on_disk
    assert last == f"wrote {len(on_disk)} file(s) under {out}"


def test_a_lone_chinese_character_is_refused_with_a_hint(empty_warehouse_config: Path) -> None:
    result = _sql("--config", str(empty_warehouse_config), "search", "区")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "Chinese search needs at least two characters" in line


def test_two_chinese_characters_are_a_search(empty_warehouse_config: Path) -> None:
    result = _sql("--config", str(empty_warehouse_config), "search", "高新")
    assert result.exit_code == 0, result.output
