"""What a run's fetcher sent and received (see :class:`pressroom.flows.crawl.fetch.Fetcher`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["FetchStats"]


@dataclass
class FetchStats:
    """What a run sent and received (robots.txt counted apart)."""

    requests: int = 0
    not_modified: int = 0
    bodies: int = 0
    bytes_downloaded: int = 0
    retries: int = 0
    robots_requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "not_modified": self.not_modified,
            "bodies": self.bodies,
            "bytes_downloaded": self.bytes_downloaded,
            "retries": self.retries,
            "robots_requests": self.robots_requests,
            "by_status": dict(sorted(self.by_status.items())),
        }
