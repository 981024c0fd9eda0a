"""pressroom's Prefect defaults: the temporary API's database is in memory unless chosen."""

from __future__ import annotations

import os

import pytest

from pressroom.prefect_env import IN_MEMORY_DATABASE, configure_prefect

KEYS = ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in KEYS:
        # setenv first, so that teardown restores the variable (or its absence) whatever
        # configure_prefect writes; delenv alone records nothing for an absent variable
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return monkeypatch


def test_temporary_api_database_is_in_memory_by_default(clean_env: pytest.MonkeyPatch) -> None:
    configure_prefect()

    assert os.environ[KEYS[0]] == IN_MEMORY_DATABASE
    assert KEYS[1] not in os.environ


@pytest.mark.parametrize("key", KEYS)
def test_a_database_the_user_set_wins(clean_env: pytest.MonkeyPatch, key: str) -> None:
    chosen = "sqlite+aiosqlite:////tmp/mine.db"
    clean_env.setenv(key, chosen)
    configure_prefect()

    assert os.environ[key] == chosen
    assert [k for k in KEYS if k in os.environ] == [key]
