"""Every error pressroom raises, in one hierarchy.

    PressroomError
    ├── ConfigError            bad pressroom.toml: names the source and the key (exit code 2)
    ├── FetchError             a request that did not give a usable page: names source, URL, stage
    │   ├── FetchRefused       not sent: robots.txt, off-site host, scheme other than http(s)
    │   ├── FetchTimeout       connect or read timeout, or the request deadline spent
    │   ├── FetchStatusError   4xx/5xx after retries (carries the status)
    │   ├── ResponseTooLarge   body over the size cap (decoded size), stopped while streaming
    │   └── UndecodableBody    Content-Encoding refused (unsupported, too many layers) or corrupt
    ├── RunFailed              a flow run in which a source failed; carries every source's summary
    │   └── RunDegraded        no source failed but one looks broken (a redesign): state "Degraded"
    ├── ExtractionError        bytes that could not be turned into a record: names URL and field
    └── WarehouseError         a DuckDB problem, wrapped where it enters
        ├── WarehouseLocked    another process holds the file lock (retry later; data stays staged)
        └── QueryRefused       `pressroom sql` refused a statement: names what and why (exit code 2)

Foreign exceptions (httpx, duckdb, tomllib, soupsieve) are wrapped at the module that calls the
foreign library, with ``raise ... from exc``; callers never see them raw.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigError",
    "ExtractionError",
    "FetchError",
    "FetchRefused",
    "FetchStatusError",
    "FetchTimeout",
    "PressroomError",
    "QueryRefused",
    "ResponseTooLarge",
    "RunDegraded",
    "RunFailed",
    "UndecodableBody",
    "WarehouseError",
    "WarehouseLocked",
]


class PressroomError(Exception):
    """Base class of every error pressroom raises on purpose."""


class RunFailed(PressroomError):
    """A flow run in which at least one source failed.

    It is the data of the flow run's Failed state, so Python callers of a flow get it raised, and
    it carries every source's summary (``summaries``, as dicts), the good ones included.
    """

    def __init__(self, message: str, summaries: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.summaries = summaries

    def __reduce__(self) -> tuple[Any, ...]:  # picklable, for Prefect's result handling
        return (type(self), (str(self), self.summaries))


class RunDegraded(RunFailed):
    """A flow run in which no source failed but at least one degraded (a likely redesign).

    The data of the flow run's Failed state named "Degraded" (not green in the Prefect UI);
    like :class:`RunFailed` it carries every source's summary, and the data that did load is good.
    """


class ConfigError(PressroomError):
    """The configuration is invalid; raised before any request is sent."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None) -> None:
        self.source = source
        self.key = key
        where = []
        if source is not None:
            where.append(f"source {source!r}")
        if key is not None:
            where.append(f"key {key!r}")
        prefix = f"config error ({', '.join(where)}): " if where else "config error: "
        super().__init__(prefix + message)


class FetchError(PressroomError):
    """A request did not produce a usable page."""

    def __init__(
        self,
        reason: str,
        *,
        url: str,
        source: str | None = None,
        stage: str = "article",
        status: int | None = None,
        attempts: int = 1,
    ) -> None:
        self.reason = reason
        self.url = url
        self.source = source
        self.stage = stage
        self.status = status
        self.attempts = attempts
        status_text = f" HTTP {status}" if status is not None else ""
        super().__init__(f"{source or '?'}: {stage} {url}:{status_text} {reason}")


class SourceUnreachable(FetchError):
    """No start URL, feed or sitemap of a source answered: the run wrote nothing."""


class FetchRefused(FetchError):
    """The request was not sent: robots.txt, an off-site host or an unsupported scheme."""


class FetchTimeout(FetchError):
    """The server did not connect or answer within the timeout."""


class FetchStatusError(FetchError):
    """The server answered with an error status (after any retries)."""


class ResponseTooLarge(FetchError):
    """The body grew past the size cap while streaming; the download was stopped."""


class UndecodableBody(FetchError):
    """The body's Content-Encoding is refused (unsupported, too many layers) or does not decode."""


class ExtractionError(PressroomError):
    """Bytes could not be turned into a record."""

    def __init__(self, reason: str, *, url: str, field: str | None = None) -> None:
        self.reason = reason
        self.url = url
        self.field = field
        where = f" field {field!r}" if field else ""
        super().__init__(f"{url}:{where} {reason}")


class WarehouseError(PressroomError):
    """A warehouse operation failed."""


class WarehouseLocked(WarehouseError):
    """Another process holds the DuckDB file lock."""


class QueryRefused(WarehouseError):
    """A statement given to ``pressroom sql`` was refused: it would write, leave the warehouse
    file (files, other databases, the network, extensions) or change settings."""
