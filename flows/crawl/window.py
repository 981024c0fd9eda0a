"""A backfill's date window, as discovery applies it to the dates listings show.

A listing date is read in the source's time zone. A date whose day and month order only the
language or time zone decided (``07/01/2023``: ``ListingLink.date_uncertain``) has two
readings. In a backfill a link whose listing date is outside ``[since, until]`` is dropped,
unless the date is too weak to drop it on (:meth:`DateWindow.uncertain`): missing, ambiguous
with a reading near the window, or within a day of its edges; the article's own date then
decides. An incremental walk has no window: every link is in it and none is uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pressroom.core.articles import ListingLink

__all__ = ["DateWindow"]


@dataclass(frozen=True)
class DateWindow:
    """``since``/``until`` (inclusive days, either open) of a backfill; ``backfill`` False for
    an incremental walk, which keeps every link."""

    tz: ZoneInfo
    since: date | None = None
    until: date | None = None
    backfill: bool = False

    def day(self, link: ListingLink) -> date | None:
        """The listing date's day in the source's time zone."""
        return link.published_at.astimezone(self.tz).date() if link.published_at else None

    def readings(self, link: ListingLink) -> list[date]:
        """The days a listing date may mean: two for an uncertain one (day and month swapped)."""
        day = self.day(link)
        if day is None:
            return []
        if not link.date_uncertain or day.day > 12:
            return [day]
        return [day, day.replace(month=day.day, day=day.month)]

    def latest_day(self, link: ListingLink) -> date | None:
        """The later reading of a listing date (see :meth:`readings`)."""
        return max(self.readings(link), default=None)

    def uncertain(self, link: ListingLink) -> bool:
        """Backfill: a listing date too weak to drop the link on (see the module doc)."""
        if not self.backfill:
            return False
        days = self.readings(link)
        if not days:
            return True
        low = self.since - timedelta(days=1) if self.since else date.min
        high = self.until + timedelta(days=1) if self.until else date.max
        near = [d for d in days if low <= d <= high]  # in the window or a day from its edges
        if link.date_uncertain:
            return bool(near)
        edges = [e for e in (self.since, self.until) if e is not None]
        return any(abs((d - e).days) <= 1 for d in near for e in edges)

    def contains(self, link: ListingLink) -> bool:
        """True unless a backfill's link has a listing day outside the window."""
        day = self.day(link)
        if not self.backfill or day is None:
            return True
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def all_before_start(self, links: list[ListingLink]) -> bool:
        """Every dated link of a page is older than the day before ``since`` (a day's margin:
        listing and article days can differ): the pages behind it are older still."""
        if self.since is None:
            return False
        days = [d for d in map(self.latest_day, links) if d is not None]
        return bool(days) and all(d < self.since - timedelta(days=1) for d in days)
