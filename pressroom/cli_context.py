"""Pieces every ``pressroom`` command shares: the lazily loaded config and error handling."""

from __future__ import annotations

import calendar
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click

from pressroom.config import Config, load_config
from pressroom.core.errors import ConfigError, PressroomError, QueryRefused

__all__ = [
    "DEMO_DIR",
    "EXIT_DEGRADED",
    "EXIT_OK",
    "EXIT_RUN_FAILED",
    "EXIT_USAGE",
    "Context",
    "config_option",
    "errors_to_exit_codes",
    "iso_date",
    "pass_ctx",
]

DEMO_DIR = "pressroom-demo"
"""Where ``pressroom demo`` writes its config and warehouse unless told otherwise."""
EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_DEGRADED = 3
"""No source failed, but one looks broken (a likely redesign): see the run's reason."""


class Context:
    """What every command gets: the config path (loaded on first use) and ``--verbose``."""

    def __init__(self, config_path: str | None, *, verbose: bool = False) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self._config: Config | None = None

    def use_config(self, config_path: str) -> None:
        """Read this config file instead (``--config`` given after the subcommand)."""
        self.config_path = config_path
        self._config = None

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
    """click callback: a YYYY-MM-DD option value as a date; a day that does not exist says why."""
    if value is None:
        return None
    match = _YMD.fullmatch(value.strip())
    if match is None:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise click.BadParameter(f"{value}: there is no month {month} (months are 01 to 12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        if month == 2 and day == 29:
            raise click.BadParameter(f"{value}: February {year} has no day 29 (not a leap year)")
        raise click.BadParameter(f"{value}: {name} has no day {day} (it has {last} days)")
    return date(year, month, day)


_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def config_option(command: click.Command) -> click.Command:
    """Let ``--config`` follow the subcommand too (``pressroom sql --config x.toml ...``).

    The group's own ``--config`` (before the subcommand) still works; given in both places,
    the one after the subcommand wins.
    """

    def take(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        obj = ctx.find_object(Context)
        if value is not None and obj is not None:
            obj.use_config(value)

    command.params.append(
        click.Option(
            ["--config"],
            type=click.Path(dir_okay=False),
            expose_value=False,
            is_eager=True,
            callback=take,
            help="Config file (also accepted before the subcommand).",
        )
    )
    return command
