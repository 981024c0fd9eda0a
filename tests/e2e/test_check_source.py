"""`pressroom check-source`: one listing page and one article, every field with its rule."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import run_cli


def test_check_source_shows_fields_and_rules(demo_config: Path) -> None:
    result = run_cli("--config", str(demo_config), "check-source", "hightech")
    assert result.exit_code == 0, result.output
    assert "10 article links, next page:" in result.output
    assert "index_1.html" in result.output
    for field in ("title", "published_at", "author", "origin", "paragraphs"):
        assert f"\n{field} " in result.output
    assert "meta:PubDate" in result.output or "label:" in result.output


def test_check_source_on_a_given_url(newsroom, demo_config: Path) -> None:
    seed = next(a for a in newsroom.articles("hightech") if "double engine" in a.title)
    url = newsroom.url("hightech", seed)
    result = run_cli("--config", str(demo_config), "check-source", "hightech", url)
    assert result.exit_code == 0, result.output
    assert "2023-03-15" in result.output
    assert "Li Ming" in result.output


def test_check_source_reports_an_unreachable_site(demo_config: Path, newsroom) -> None:
    newsroom.close()
    result = run_cli("--config", str(demo_config), "check-source", "cityhall")
    assert result.exit_code == 1
    assert "cityhall" in result.output and "robots" in result.output


def test_check_source_says_for_every_link_why_it_was_taken_or_not(demo_config: Path) -> None:
    result = run_cli("--config", str(demo_config), "check-source", "hightech")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("  pager: ") for line in lines)
    assert any("list template (learned from this page, learned, 10 rows)" in ln for ln in lines)
    verdicts = [line.split() for line in lines if line.startswith("    article ")]
    assert len(verdicts) == 10  # exactly the list's rows are taken
    skipped = [line for line in lines if line.startswith("    skipped ")]
    assert any("index_1.html" in line and "(the next listing page)" in line for line in skipped)
    assert all(line.rstrip().endswith(")") for line in skipped)  # each says why
