"""Fixtures for the sequence tests: the session's Prefect API URL and a fresh newsroom."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.sequences.harness import Pressroom
from tests.sequences.site import Newsroom

FIRST_DAY = date(2024, 9, 2)  # a Monday; 32 weekly articles run to 2025-04-07


@pytest.fixture(scope="session")
def api_url(prefect_api: None) -> str:
    """The URL of the session's Prefect API, for pressroom processes started by a test."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "prefect_test_harness set no PREFECT_API_URL"
    return str(url)


@pytest.fixture
def site() -> Iterator[Newsroom]:
    """32 weekly articles, 2024-09-02 to 2025-04-07, five to a listing page (7 pages)."""
    with Newsroom.dated(FIRST_DAY, 32, every_days=7) as running:
        yield running


@pytest.fixture
def pressroom(site: Newsroom, tmp_path: Path) -> Pressroom:
    return Pressroom(site, tmp_path)
