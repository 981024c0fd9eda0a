"""Fixtures for warehouse tests: a fresh DuckDB file and a staging dir per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    return tmp_path / "pressroom.duckdb"


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "pressroom.duckdb.staging"
