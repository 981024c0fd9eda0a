"""Pieces every ``pressroom`` command shares: the lazily loaded config and error handling."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click

from pressroom.config import Config, load_config
from pressroom.errors import ConfigError, PressroomError, QueryRefused

__all__ = [
    "EXIT_RUN_FAILED",
    "EXIT_USAGE",
    "Context",
    "errors_to_exit_codes",
    "iso_date",
    "pass_ctx",
]

EXIT_RUN_FAILED = 1
EXIT_USAGE = 2


class Context:
    """What every command gets: the config path (loaded on first use) and ``--verbose``."""

    def __init__(self, config_path: str | None, *, verbose: bool = False) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config


pass_ctx = click.make_pass_decorator(Context)


@contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """Turn pressroom's errors into one clear line on stderr and the documented exit code."""
    try:
        yield
    except (ConfigError, QueryRefused) as exc:
        click.echo(f"pressroom: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except PressroomError as exc:
        click.echo(f"pressroom: {exc}", err=True)
        sys.exit(EXIT_RUN_FAILED)


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """click callback: a YYYY-MM-DD option value as a date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None
