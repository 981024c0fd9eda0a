"""When the page's machine-readable dates disagree, the date it shows the reader picks among them.

A CMS often writes several dates: JSON-LD ``datePublished`` and ``dateModified``, an
``article:published_time`` meta that differs from the JSON-LD, a ``DC.date.issued``, a data-layer
``publishDate``. The cascade in :mod:`pressroom.extractors.article` takes the most reliable *kind*
of
source, but when those sources name different days the page itself says which one it publishes
under: the date printed with the article (a "Published:" label, the article's ``<time>``, the
date line under the headline).

The rule (named after the visible source: ``time+meta``, ``class:date+meta``...): when
``published_at`` came from metadata, the visible article date falls on another day, and some other
metadata date names that day (and minute, when both carry a time), the visible date wins. It
never brings in a date the metadata does not also give, so nothing is invented; a visible date
alone never overrides metadata. Visible dates that say "updated" or "modified" (in their text or
class), dates in page chrome, sidebars, teasers and comments are not visible article dates here
either, as everywhere in the cascade.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from pressroom.extractors.boilerplate import attr_key
from pressroom.extractors.datelines import UPDATED_TEXT, Dateline, other_items_date
from pressroom.extractors.labels import Labelled
from pressroom.extractors.metadata import (
    PUBLISHED_META,
    UPDATED_META,
    JsonLd,
    MetaTags,
    script_published,
)
from pressroom.extractors.scan import PageScan

__all__ = ["MACHINE_RULES", "corroborated", "first_visible_time", "machine_dates"]

# rules of the cascade that read metadata rather than the visible page
MACHINE_RULES = ("json-ld", "meta:", "microdata", "script")
_DATE_TEXT_MAX = 120
_ZONE_SPAN = 14 * 3600  # the widest gap between two time zones' clocks

Parse = Callable[[str | None], datetime | None]


def first_visible_time(scan: PageScan, parse: Parse) -> datetime | None:
    """The article's first ``<time>`` outside chrome that does not say "updated"."""
    for tag in scan.times:
        if scan.in_chrome(tag) or other_items_date(tag):
            continue
        text = tag.get_text(" ")[:_DATE_TEXT_MAX]
        if UPDATED_TEXT.search(text) or _says_updated(attr_key(tag)):
            continue
        raw = tag.get("datetime")
        value = parse(raw if isinstance(raw, str) else text)
        if value is not None:
            return value
    return None


def _says_updated(key: str) -> bool:
    """A class such as ``LastUpdatedDateTime`` or ``updated``, but not hAtom's
    ``entry-date published updated`` (which marks the publication date too)."""
    lowered = key.lower()
    return bool(UPDATED_TEXT.search(lowered)) and "publish" not in lowered


def corroborated(
    chosen: datetime,
    machine: Iterable[datetime | None],
    visible: Callable[[], Dateline | None],
    labelled: Labelled,
) -> Dateline | None:
    """The visible date, when it picks another metadata date than ``chosen`` (see above).

    A visible date names a metadata date when the day matches and, when both give a clock time,
    the minute too (zones shift hours, not minutes). The chosen moment written in another zone
    ("November 8, 11:15 PM" for ``2023-11-09T04:15Z``) is the same date, not another one.
    """
    if labelled.published is not None:
        found: Dateline | None = (labelled.published[0], labelled.published[1], None)
    else:
        found = visible()
    if found is None:
        return None
    value = found[0]
    if value.date() == chosen.date() or _same_moment(value, chosen):
        return None  # the page shows the chosen date: nothing to pick
    for other in machine:  # lazily: the script data objects, the costly part, come last
        if other is not None and _names(value, other):
            return found
    return None


def _has_time(value: datetime) -> bool:
    return (value.hour, value.minute, value.second) != (0, 0, 0)


def _names(shown: datetime, other: datetime) -> bool:
    if shown.date() != other.date():
        return False
    return not (_has_time(shown) and _has_time(other)) or shown.minute == other.minute


def _same_moment(shown: datetime, chosen: datetime) -> bool:
    if not (_has_time(shown) and _has_time(chosen)) or shown.minute != chosen.minute:
        return False
    apart = shown.replace(tzinfo=None) - chosen.replace(tzinfo=None)
    return abs(apart.total_seconds()) <= _ZONE_SPAN


def machine_dates(
    ld: JsonLd | None, meta: MetaTags, scan: PageScan, html: str, parse: Parse
) -> Iterator[datetime | None]:
    """Every metadata date of the page, published and modified: JSON-LD, metas, microdata,
    then script data objects (read last: the regex over the raw page costs the most)."""
    if ld is not None:
        yield parse(ld.published)
        yield parse(ld.modified)
    for name in (*PUBLISHED_META, *UPDATED_META):
        found = meta.values.get(name)
        if found:
            yield parse(found)
    for tag in scan.date_props:
        raw = tag.get("content") or tag.get("datetime")
        if isinstance(raw, str):
            yield parse(raw)
    for raw in script_published(html):
        yield parse(raw)
