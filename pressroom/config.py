"""Load and validate ``pressroom.toml``.

The tables are pydantic models (strict: ``"7"`` is not 7; frozen; unknown keys refused), so each
key's type, default and check are declared once, beside the field; the README's configuration
reference is checked against them (tests/test_config_reference.py). Every problem is found here,
before any request is sent, and reported as one :class:`~pressroom.core.errors.ConfigError` naming
the source and the key (pydantic's first error, reworded: ``must be a non-negative integer, got
-1``); a source is named by its id, which is checked first, or by its position (``#2``).
The path comes from ``--config``, else ``PRESSROOM_CONFIG``, else ``./pressroom.toml``. Relative
paths inside the file (the warehouse) are resolved against the file's own folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import soupsieve
from croniter import croniter
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from pressroom.core.articles import DateOrder, DateOrderDecision, ExtractionProfile
from pressroom.core.errors import ConfigError
from pressroom.extractors.date_order import decide_order

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "Config",
    "CrawlerConfig",
    "SourceConfig",
    "find_config_path",
    "load_config",
    "parse_config",
]

DEFAULT_CONFIG_NAME = "pressroom.toml"
DEFAULT_SCHEDULE = "0 */6 * * *"
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def _selector(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a CSS selector string")
    try:
        soupsieve.compile(value)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
        raise ValueError(f"invalid CSS selector {value!r}: {str(exc).splitlines()[0]}") from None
    return value


NonEmpty = Annotated[str, AfterValidator(_non_empty)]
WebUrl = Annotated[str, AfterValidator(_web_url)]
"""An http(s) URL, kept as written (pydantic's own URL type would rewrite it)."""
Selector = Annotated[str, AfterValidator(_selector)]


class _Table(BaseModel):
    """A TOML table: typed, frozen, no unknown keys, no silent coercion ("7" is not 7)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class CrawlerConfig(_Table):
    """Network behaviour shared by every source (``[crawler]``)."""

    contact: NonEmpty = "https://github.com/pressroom/pressroom"
    global_concurrency: NonNegativeInt = 16
    per_host_concurrency: NonNegativeInt = 2
    min_delay_seconds: NonNegativeFloat = 0.0
    connect_timeout: NonNegativeFloat = 10.0
    read_timeout: NonNegativeFloat = 30.0
    # the most seconds one URL may take in a run, all its attempts together (a drip costs it once)
    request_deadline_seconds: PositiveFloat = 60.0
    max_response_bytes: NonNegativeInt = 10 * 1024 * 1024
    max_attempts: NonNegativeInt = 4
    backoff_base_seconds: NonNegativeFloat = 1.0
    max_retry_after_seconds: NonNegativeFloat = 120.0
    give_up_after_runs: NonNegativeInt = 5
    http2: bool = False
    parse_workers: NonNegativeInt | None = (
        None  # processes that parse HTML; None: one per CPU, 0: a thread
    )
    # a run stages (and loads) a batch every this many articles or seconds: a kill loses at
    # most the batch in flight
    stage_batch_articles: NonNegativeInt = 200
    stage_batch_seconds: NonNegativeFloat = 60.0

    @property
    def user_agent(self) -> str:
        return f"pressroom/0.1 (+{self.contact})"


class SourceConfig(_Table):
    """One newsroom (``[[sources]]``). Only ``id``, ``start_urls`` and ``timezone`` are required."""

    id: str
    start_urls: tuple[WebUrl, ...]
    timezone: str
    name: NonEmpty | None = None
    language: NonEmpty | None = None
    schedule: str | None = None
    feed_url: WebUrl | None = None
    sitemap_url: WebUrl | None = None
    link_selector: Selector | None = None
    next_selector: Selector | None = None
    title_selector: Selector | None = None
    date_selector: Selector | None = None
    body_selector: Selector | None = None
    author_selector: Selector | None = None
    origin_selector: Selector | None = None
    date_order: DateOrder | None = None
    site_module: NonEmpty | None = None
    allowed_hosts: tuple[NonEmpty, ...] = ()
    per_host_concurrency: NonNegativeInt | None = None
    min_delay_seconds: NonNegativeFloat | None = None
    max_listing_pages: NonNegativeInt = 200
    incremental_depth: NonNegativeInt = 1
    recheck_days: NonNegativeInt = 7
    enabled: bool = True

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            raise ValueError("lowercase letters, digits, '-' or '_' (at most 64)")
        return value

    @field_validator("start_urls", "allowed_hosts", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and info.field_name == "start_urls":
            value = [value]
        if not isinstance(value, list | tuple):
            return value
        if info.field_name == "start_urls" and value == []:  # a TOML file must name one;
            raise ValueError("must be a non-empty list of URLs")  # code may build a feed-only one
        if info.field_name == "allowed_hosts":
            return tuple(h.lower() if isinstance(h, str) else h for h in value)
        return tuple(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as 'Asia/Shanghai')"
            ) from None
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"invalid cron expression {value!r} (five fields, e.g. '0 */6 * * *')")
        return value

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def effective_schedule(self) -> str:
        return self.schedule or DEFAULT_SCHEDULE

    @property
    def date_order_decision(self) -> DateOrderDecision:
        """The order for numeric dates before any page is read: configured ``date_order``,
        else the language's region, else the time zone's country, else MDY
        (:mod:`pressroom.extractors.date_order`; pages and their unambiguous dates can still
        decide)."""
        return decide_order(
            configured=self.date_order, language=self.language, timezone=self.timezone
        )

    @property
    def effective_date_order(self) -> DateOrder:
        """The order of :attr:`date_order_decision`."""
        return self.date_order_decision.order

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts this source may fetch from: those of its URLs plus ``allowed_hosts``."""
        urls = [*self.start_urls, self.feed_url, self.sitemap_url]
        found = {urlsplit(u).hostname or "" for u in urls if u}
        return frozenset(h.lower() for h in found | set(self.allowed_hosts) if h)

    def extraction_profile(self) -> ExtractionProfile:
        return ExtractionProfile(
            timezone=self.timezone,
            language=self.language,
            date_order=self.effective_date_order,
            date_order_set=self.date_order is not None,
            title_selector=self.title_selector,
            date_selector=self.date_selector,
            body_selector=self.body_selector,
            author_selector=self.author_selector,
            origin_selector=self.origin_selector,
            link_selector=self.link_selector,
            next_selector=self.next_selector,
            site_module=self.site_module,
        )


@dataclass(frozen=True)
class Config:
    """The whole configuration file, validated."""

    path: Path | None
    warehouse_path: Path
    sources: tuple[SourceConfig, ...]
    crawler: CrawlerConfig = field(default_factory=CrawlerConfig)

    def source(self, source_id: str) -> SourceConfig:
        for src in self.sources:
            if src.id == source_id:
                return src
        known = ", ".join(s.id for s in self.sources) or "none"
        raise ConfigError(f"unknown source id {source_id!r} (known: {known})")

    def select(self, source_ids: list[str] | tuple[str, ...] | None) -> tuple[SourceConfig, ...]:
        """The named sources (all enabled ones when none are named); unknown ids are an error."""
        if not source_ids:
            return tuple(s for s in self.sources if s.enabled)
        return tuple(self.source(sid) for sid in source_ids)

    @property
    def staging_dir(self) -> Path:
        return self.warehouse_path.parent / (self.warehouse_path.name + ".staging")

    @property
    def archive_dir(self) -> Path:
        return self.warehouse_path.parent / (self.warehouse_path.name + ".raw")


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config``, else ``PRESSROOM_CONFIG``, else ``./pressroom.toml``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PRESSROOM_CONFIG")
    if env:
        return Path(env)
    return Path.cwd() / DEFAULT_CONFIG_NAME


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate the config file; raises ConfigError for every problem."""
    cfg_path = find_config_path(path)
    try:
        raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {cfg_path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{cfg_path} is not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {cfg_path}: {exc}") from exc
    return parse_config(raw, base_dir=cfg_path.resolve().parent, path=cfg_path.resolve())


def parse_config(
    raw: Mapping[str, Any], *, base_dir: Path | None = None, path: Path | None = None
) -> Config:
    """Validate an already-parsed TOML document."""
    base_dir = base_dir or Path.cwd()
    _check_keys(raw, {"warehouse", "sources", "crawler"}, where="top level")
    warehouse = raw.get("warehouse", {})
    if not isinstance(warehouse, Mapping):
        raise ConfigError("must be a table", key="warehouse")
    _check_keys(warehouse, {"path"}, where="[warehouse]")
    wh_raw = os.environ.get("PRESSROOM_WAREHOUSE") or warehouse.get("path", "pressroom.duckdb")
    if not isinstance(wh_raw, str) or not wh_raw:
        raise ConfigError("must be a non-empty string", key="warehouse.path")
    wh_path = Path(wh_raw).expanduser()
    if not wh_path.is_absolute():
        wh_path = base_dir / wh_path

    crawler_raw = raw.get("crawler", {})
    if not isinstance(crawler_raw, Mapping):
        raise ConfigError("must be a table", key="crawler")
    crawler = _validate(
        CrawlerConfig, crawler_raw, source=None, prefix="crawler.", where="[crawler]"
    )

    sources_raw = raw.get("sources", [])
    if not isinstance(sources_raw, list):
        raise ConfigError("must be an array of tables ([[sources]])", key="sources")
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for index, entry in enumerate(sources_raw):
        src = _parse_source(entry, index)
        if src.id in seen:
            raise ConfigError("duplicate source id", source=src.id, key="id")
        seen.add(src.id)
        sources.append(src)
    return Config(path=path, warehouse_path=wh_path, sources=tuple(sources), crawler=crawler)


# --------------------------------------------------------------------------- helpers


def _check_keys(table: Mapping[str, Any], allowed: set[str], *, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown key in {where} (allowed: {', '.join(sorted(allowed))})", key=unknown[0]
        )


def _parse_source(entry: Any, index: int) -> SourceConfig:
    """One ``[[sources]]`` table; its id is checked first, so that every later message can
    name the source (before that, the source is named by its position, ``#2``)."""
    label = f"#{index + 1}"
    if not isinstance(entry, Mapping):
        raise ConfigError("each [[sources]] entry must be a table", source=label)
    sid = entry.get("id")
    if not isinstance(sid, str) or not _ID_PATTERN.match(sid):
        raise ConfigError(
            "required; lowercase letters, digits, '-' or '_' (at most 64)", source=label, key="id"
        )
    return _validate(SourceConfig, entry, source=sid, prefix="", where="[[sources]]")


_T = TypeVar("_T", bound=_Table)

_EXPECTED = {
    "int_type": "a non-negative integer",
    "greater_than_equal": "a non-negative integer",
    "float_type": "a non-negative number",
    "greater_than": "more than 0",
    "bool_type": "true or false",
    "string_type": "a string",
    "tuple_type": "a list",
    "literal_error": "one of DMY, MDY, YMD",
}


def _validate(
    model: type[_T], raw: Mapping[str, Any], *, source: str | None, prefix: str, where: str
) -> _T:
    """``model`` from a TOML table; the first problem as a ConfigError naming source and key."""
    try:
        return model.model_validate(dict(raw))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        names = [str(part) for part in error["loc"] if isinstance(part, str)]
        key = prefix + (names[0] if names else "")
        kind = error["type"]
        if kind == "extra_forbidden":  # named as written, without the table's prefix
            allowed = ", ".join(sorted(model.model_fields))
            message = f"unknown key in {where} (allowed: {allowed})"
            key = names[0] if names else key
        elif kind == "missing":
            message = "required key is missing"
        elif kind == "value_error":
            message = str(error["ctx"]["error"])
        elif kind in _EXPECTED:
            expected = _EXPECTED[kind]
            if kind == "greater_than_equal" and isinstance(error["input"], float):
                expected = "a non-negative number"
            message = f"must be {expected}, got {error['input']!r}"
        else:
            message = f"{error['msg']}, got {error['input']!r}"
        raise ConfigError(message, source=source, key=key or None) from None
