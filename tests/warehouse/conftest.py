"""Fixtures for warehouse tests: a fresh DuckDB file and a staging dir per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# tests/warehouse has no __init__.py, so once tests/ is on sys.path (tests/crawler is a package)
# `import warehouse` could resolve to this folder as a namespace package. Putting the repository
# root first makes the real package win. (pyproject's `pythonpath = ["."]` would do it globally.)
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    return tmp_path / "pressroom.duckdb"


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "pressroom.duckdb.staging"
