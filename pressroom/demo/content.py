"""The demo newsroom's articles: typed records loaded from the package's JSON files.

The prose lives in ``data/hightech.json`` and ``data/cityhall.json`` (written by us, fictional);
the seed article's title and three paragraphs are read verbatim from
``data/high-tech-zone-double-engine.txt``. Everything here is deterministic: document ids, URL
paths and dates are derived from the data alone, so two runs (or two machines) serve the same
bytes.

Ground truth for tests is :class:`DemoArticle`: ``paragraphs`` is the body as a reader sees it,
one string per block, in order: a ``<p>`` is one paragraph, each bullet of a list is one
paragraph, and each table row (header first) is one paragraph with its cells joined by
``" | "``. Image captions and attachment links are not paragraphs; they are in ``image`` and
``attachment``.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "FAMILIES",
    "FAMILY_TIMEZONES",
    "SEED_PATH",
    "BulletList",
    "DemoArticle",
    "DemoAttachment",
    "DemoImage",
    "Family",
    "Table",
    "load_articles",
    "new_article",
]

Family = Literal["hightech", "cityhall"]
FAMILIES: tuple[Family, ...] = ("hightech", "cityhall")
FAMILY_TIMEZONES: dict[Family, str] = {
    "hightech": "Asia/Shanghai",
    "cityhall": "America/Chicago",
}
SEED_FILE = "high-tech-zone-double-engine.txt"
SEED_DOC_ID = 1234567
SEED_PATH = "/en/news/202303/t20230315_1234567.html"
_FIRST_AID = 1180


@dataclass(frozen=True)
class BulletList:
    """A ``<ul>`` in an article body."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A ``<table>`` in an article body: a header row and data rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = str | BulletList | Table


@dataclass(frozen=True)
class DemoImage:
    """An image in the article body (served as a small PNG)."""

    path: str
    alt: str
    caption: str


@dataclass(frozen=True)
class DemoAttachment:
    """A linked PDF attachment."""

    path: str
    text: str


@dataclass(frozen=True)
class DemoArticle:
    """One demo article: what the site renders and what an extractor should find."""

    family: Family
    doc_id: int
    path: str
    title: str
    published: datetime
    author: str | None
    origin: str | None
    blocks: tuple[Block, ...]
    image: DemoImage | None = None
    attachment: DemoAttachment | None = None
    modified: datetime | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body flattened to paragraphs (see the module docstring for the rules)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, BulletList):
                out.extend(block.items)
            elif isinstance(block, Table):
                out.append(" | ".join(block.header))
                out.extend(" | ".join(row) for row in block.rows)
            else:
                out.append(block)
        return tuple(out)

    @property
    def body_text(self) -> str:
        """Paragraphs joined by a blank line, as the warehouse stores ``body_text``."""
        return "\n\n".join(self.paragraphs)

    @property
    def published_utc(self) -> datetime:
        return self.published.astimezone(UTC)

    @property
    def last_modified(self) -> datetime:
        """When the page last changed (UTC): publication, or the last correction."""
        return self.modified or self.published_utc


def _data_text(name: str) -> str:
    return resources.files("pressroom.demo").joinpath("data", name).read_text(encoding="utf-8")


def read_seed() -> tuple[str, str, tuple[str, ...]]:
    """The seed file split into (title, local date text, paragraphs), verbatim."""
    lines = _data_text(SEED_FILE).split("\n")
    title, stamp = lines[0], lines[1]
    paragraphs = tuple(line for line in lines[2:] if line.strip())
    return title, stamp, paragraphs


def _blocks(raw: list[Any]) -> tuple[Block, ...]:
    out: list[Block] = []
    for item in raw:
        if isinstance(item, str):
            out.append(item)
        elif "list" in item:
            out.append(BulletList(tuple(item["list"])))
        else:
            table = item["table"]
            out.append(Table(tuple(table["header"]), tuple(tuple(r) for r in table["rows"])))
    return tuple(out)


def _step(title: str, low: int, span: int) -> int:
    """A deterministic, irregular id increment (real CMS ids are not consecutive)."""
    return low + zlib.crc32(title.encode("utf-8")) % span


def hightech_path(published: datetime, doc_id: int) -> str:
    return f"/en/news/{published:%Y%m}/t{published:%Y%m%d}_{doc_id}.html"


def cityhall_path(doc_id: int) -> str:
    return f"/CivicAlerts.aspx?AID={doc_id}"


def _load_hightech() -> list[DemoArticle]:
    tz = ZoneInfo(FAMILY_TIMEZONES["hightech"])
    raw = json.loads(_data_text("hightech.json"))["articles"]
    entries = []
    for item in raw:
        if item.get("seed"):
            title, _stamp, paragraphs = read_seed()
            item = {**item, "title": title, "paragraphs": list(paragraphs)}
        published = datetime.strptime(item["date"], "%Y-%m-%d %H:%M").replace(tzinfo=tz)
        entries.append((published, item))
    entries.sort(key=lambda e: e[0])
    seed_at = next(i for i, (_, item) in enumerate(entries) if item.get("seed"))
    ids = [0] * len(entries)
    ids[seed_at] = SEED_DOC_ID
    for i in range(seed_at + 1, len(entries)):
        ids[i] = ids[i - 1] + _step(entries[i][1]["title"], 180, 900)
    for i in range(seed_at - 1, -1, -1):
        ids[i] = ids[i + 1] - _step(entries[i][1]["title"], 180, 900)
    articles = []
    for (published, item), doc_id in zip(entries, ids, strict=True):
        month = f"/en/news/{published:%Y%m}/"
        stamp = f"P0{published:%Y%m%d}{doc_id % 1000000:06d}"
        image = item.get("image")
        attachment = item.get("attachment")
        articles.append(
            DemoArticle(
                family="hightech",
                doc_id=doc_id,
                path=hightech_path(published, doc_id),
                title=item["title"],
                published=published,
                author=item.get("editor"),
                origin=item.get("origin"),
                blocks=_blocks(item["paragraphs"]),
                image=DemoImage(month + stamp + "1.png", image["alt"], image["caption"])
                if image
                else None,
                attachment=DemoAttachment(month + stamp + "2.pdf", attachment["text"])
                if attachment
                else None,
            )
        )
    return articles


def _load_cityhall() -> list[DemoArticle]:
    tz = ZoneInfo(FAMILY_TIMEZONES["cityhall"])
    raw = json.loads(_data_text("cityhall.json"))["articles"]
    entries = sorted(raw, key=lambda item: item["date"])
    articles = []
    doc_id = _FIRST_AID
    for item in entries:
        published = datetime.combine(date.fromisoformat(item["date"]), time(0, 0), tzinfo=tz)
        articles.append(
            DemoArticle(
                family="cityhall",
                doc_id=doc_id,
                path=cityhall_path(doc_id),
                title=item["title"],
                published=published,
                author=None,
                origin=None,
                blocks=_blocks(item["paragraphs"]),
            )
        )
        doc_id += _step(item["title"], 1, 9)
    return articles


@cache
def _pristine(family: Family) -> tuple[DemoArticle, ...]:
    loaded = _load_hightech() if family == "hightech" else _load_cityhall()
    return tuple(loaded)


def load_articles(family: Family) -> list[DemoArticle]:
    """The family's bundled articles, oldest first (a fresh list; the records are frozen)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown demo family {family!r} (known: {', '.join(FAMILIES)})")
    return list(_pristine(family))


def new_article(
    family: Family,
    existing: list[DemoArticle],
    *,
    title: str,
    paragraphs: tuple[str, ...] | list[str],
    published: datetime | None = None,
    author: str | None = None,
    origin: str | None = None,
) -> DemoArticle:
    """A new article for ``family``, newer than ``existing`` unless ``published`` is given.

    The default publication time is one day after the newest existing article (10:00 local
    for hightech, midnight for cityhall, which shows dates only); ids continue the sequence.
    """
    tz = ZoneInfo(FAMILY_TIMEZONES[family])
    newest = max(existing, key=lambda a: a.published)
    if published is None:
        day = newest.published.astimezone(tz).date() + timedelta(days=1)
        at = time(10, 0) if family == "hightech" else time(0, 0)
        published = datetime.combine(day, at, tzinfo=tz)
    elif published.tzinfo is None:
        published = published.replace(tzinfo=tz)
    doc_id = max(a.doc_id for a in existing) + _step(title, 180 if family == "hightech" else 1, 9)
    local = published.astimezone(tz)
    path = hightech_path(local, doc_id) if family == "hightech" else cityhall_path(doc_id)
    if family == "hightech":
        author = author or "Li Ming"
        origin = origin or "High-tech Zone Management Committee"
    return DemoArticle(
        family=family,
        doc_id=doc_id,
        path=path,
        title=title,
        published=local,
        author=author,
        origin=origin,
        blocks=tuple(paragraphs),
    )
