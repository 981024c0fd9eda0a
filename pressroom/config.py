"""Load and validate ``pressroom.toml``.

Every problem is found here, before any request is sent, and reported as one
:class:`~pressroom.errors.ConfigError` naming the source and the key. The path comes from
``--config``, else ``PRESSROOM_CONFIG``, else ``./pressroom.toml``. Relative paths inside the file
(the warehouse) are resolved against the file's own folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import soupsieve
from croniter import croniter

from extractors.date_order import decide_order
from extractors.records import DateOrder, DateOrderDecision, ExtractionProfile
from pressroom.errors import ConfigError

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
_DATE_ORDERS = ("DMY", "MDY", "YMD")


@dataclass(frozen=True)
class CrawlerConfig:
    """Network behaviour shared by every source (``[crawler]``)."""

    contact: str = "https://github.com/pressroom/pressroom"
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    min_delay_seconds: float = 0.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # the most seconds one URL may take in a run, all its attempts together (a drip costs it once)
    request_deadline_seconds: float = 60.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_attempts: int = 4
    backoff_base_seconds: float = 1.0
    max_retry_after_seconds: float = 120.0
    give_up_after_runs: int = 5
    http2: bool = False
    parse_workers: int | None = None  # processes that parse HTML; None: one per CPU, 0: a thread
    # a run stages (and loads) a batch every this many articles or seconds: a kill loses at
    # most the batch in flight
    stage_batch_articles: int = 200
    stage_batch_seconds: float = 60.0

    @property
    def user_agent(self) -> str:
        return f"pressroom/0.1 (+{self.contact})"


@dataclass(frozen=True)
class SourceConfig:
    """One newsroom (``[[sources]]``). Only ``id``, ``start_urls`` and ``timezone`` are required."""

    id: str
    start_urls: tuple[str, ...]
    timezone: str
    name: str | None = None
    language: str | None = None
    schedule: str | None = None
    feed_url: str | None = None
    sitemap_url: str | None = None
    link_selector: str | None = None
    next_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    body_selector: str | None = None
    author_selector: str | None = None
    origin_selector: str | None = None
    date_order: DateOrder | None = None
    site_module: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    per_host_concurrency: int | None = None
    min_delay_seconds: float | None = None
    max_listing_pages: int = 200
    incremental_depth: int = 1
    recheck_days: int = 7
    enabled: bool = True

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
        (:mod:`extractors.date_order`; pages and their unambiguous dates can still decide)."""
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
    _check_keys(raw, {"warehouse", "sources", "crawler"}, source=None, where="top level")
    warehouse = raw.get("warehouse", {})
    if not isinstance(warehouse, Mapping):
        raise ConfigError("must be a table", key="warehouse")
    _check_keys(warehouse, {"path"}, source=None, where="[warehouse]")
    wh_raw = os.environ.get("PRESSROOM_WAREHOUSE") or warehouse.get("path", "pressroom.duckdb")
    if not isinstance(wh_raw, str) or not wh_raw:
        raise ConfigError("must be a non-empty string", key="warehouse.path")
    wh_path = Path(wh_raw).expanduser()
    if not wh_path.is_absolute():
        wh_path = base_dir / wh_path

    crawler = _parse_dataclass(CrawlerConfig, raw.get("crawler", {}), source=None, prefix="crawler")
    if crawler.request_deadline_seconds <= 0:
        raise ConfigError(
            f"must be more than 0 seconds, got {crawler.request_deadline_seconds!r}",
            key="crawler.request_deadline_seconds",
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


def _check_keys(
    table: Mapping[str, Any], allowed: set[str], *, source: str | None, where: str
) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown key in {where} (allowed: {', '.join(sorted(allowed))})",
            source=source,
            key=unknown[0],
        )


_SOURCE_FIELDS = {f.name: f for f in fields(SourceConfig)}
_URL_KEYS = {"feed_url", "sitemap_url"}
_SELECTOR_KEYS = {
    "link_selector",
    "next_selector",
    "title_selector",
    "date_selector",
    "body_selector",
    "author_selector",
    "origin_selector",
}


def _parse_source(entry: Any, index: int) -> SourceConfig:
    label = f"#{index + 1}"
    if not isinstance(entry, Mapping):
        raise ConfigError("each [[sources]] entry must be a table", source=label)
    sid = entry.get("id")
    if not isinstance(sid, str) or not _ID_PATTERN.match(sid):
        raise ConfigError(
            "required; lowercase letters, digits, '-' or '_' (at most 64)", source=label, key="id"
        )
    _check_keys(entry, set(_SOURCE_FIELDS), source=sid, where="[[sources]]")
    for required in ("start_urls", "timezone"):
        if required not in entry:
            raise ConfigError("required key is missing", source=sid, key=required)

    values: dict[str, Any] = {}
    for key, value in entry.items():
        values[key] = _validate_source_value(sid, key, value)
    return SourceConfig(**values)


def _validate_source_value(sid: str, key: str, value: Any) -> Any:
    if key == "start_urls":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise ConfigError("must be a non-empty list of URLs", source=sid, key=key)
        return tuple(_check_url(sid, key, u) for u in value)
    if key == "allowed_hosts":
        if not isinstance(value, list) or not all(isinstance(h, str) and h for h in value):
            raise ConfigError("must be a list of host names", source=sid, key=key)
        return tuple(h.lower() for h in value)
    if key in _URL_KEYS:
        return _check_url(sid, key, value)
    if key == "timezone":
        if not isinstance(value, str):
            raise ConfigError("must be an IANA time zone name", source=sid, key=key)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"unknown time zone {value!r} (use an IANA name such as 'Asia/Shanghai')",
                source=sid,
                key=key,
            ) from None
        return value
    if key == "schedule":
        if not isinstance(value, str) or not croniter.is_valid(value):
            raise ConfigError(
                f"invalid cron expression {value!r} (five fields, e.g. '0 */6 * * *')",
                source=sid,
                key=key,
            )
        return value
    if key in _SELECTOR_KEYS:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError("must be a CSS selector string", source=sid, key=key)
        try:
            soupsieve.compile(value)
        except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
            first_line = str(exc).splitlines()[0]
            raise ConfigError(
                f"invalid CSS selector {value!r}: {first_line}", source=sid, key=key
            ) from None
        return value
    if key == "date_order":
        if value not in _DATE_ORDERS:
            raise ConfigError(f"must be one of {', '.join(_DATE_ORDERS)}", source=sid, key=key)
        return value
    return _check_type(sid, key, value, _SOURCE_FIELDS[key].type)


def _check_type(source: str | None, key: str, value: Any, annotation: Any) -> Any:
    text = str(annotation)
    if "bool" in text:
        ok = isinstance(value, bool)
        expected = "true or false"
    elif "int" in text and "float" not in text:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        expected = "a non-negative integer"
    elif "float" in text:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        expected = "a non-negative number"
        value = float(value) if ok else value
    else:
        ok = isinstance(value, str) and bool(value.strip())
        expected = "a non-empty string"
    if not ok:
        raise ConfigError(f"must be {expected}, got {value!r}", source=source, key=key)
    return value


def _check_url(sid: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"must be a URL string, got {value!r}", source=sid, key=key)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"not an http(s) URL: {value!r}", source=sid, key=key)
    return value


def _parse_dataclass(cls: type, raw: Any, *, source: str | None, prefix: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError("must be a table", key=prefix)
    allowed = {f.name: f for f in fields(cls)}
    _check_keys(raw, set(allowed), source=source, where=f"[{prefix}]")
    values = {
        key: _check_type(source, f"{prefix}.{key}", value, allowed[key].type)
        for key, value in raw.items()
    }
    return cls(**values)
