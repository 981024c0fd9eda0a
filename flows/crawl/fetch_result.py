"""What the fetcher returns: :class:`FetchResult`, one answered request after its redirects
(the raw archive stores it; discovery and extraction read it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["FetchResult"]


@dataclass(frozen=True)
class FetchResult:
    """One answered request (after redirects). ``content`` is None for a 304."""

    url: str
    final_url: str
    status: int
    content: bytes | None
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: int = 1
    not_modified: bool = False
