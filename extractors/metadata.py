"""Machine-readable metadata: JSON-LD, OpenGraph / article meta, Chinese government-site meta.

``read_json_ld`` works on the raw HTML text (scripts are stripped before the tree is built, so the
parse stays small); ``MetaTags`` indexes every ``<meta>`` by lowercased name, property or
itemprop. The cascade in :mod:`pressroom.extractors.article` asks these first, most reliable first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

__all__ = ["JsonLd", "MetaTags", "read_json_ld", "script_published"]

_CDATA = re.compile(r"^\s*(?://|/\*)?\s*<!\[CDATA\[|(?://|/\*)?\s*\]\]>\s*(?:\*/)?\s*$")
_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.I | re.S,
)
_ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "report", "reportagenewsarticle",
    "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "techarticle", "scholarlyarticle", "socialmediaposting", "posting", "pressrelease",
    "governmentpublication", "reviewnewsarticle", "askpublicnewsarticle",
}  # fmt: skip
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"}

# meta names, most reliable first, per field
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "og:published_time", "datepublished", "publishdate", "publish-date", "publish_date",
    "pubdate", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
    "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published",
    "date", "citation_publication_date", "firstpublishedtime", "releasedate", "created",
    "publication_date", "publication-date", "date_published", "original-publish-date",
    "article_date_original", "og:pubdate", "pub_date", "dc.date.available",
)  # fmt: skip
UPDATED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "article.updated",
    "modified",
)  # fmt: skip
# Generic "date" metas: often the CMS's edit or index date, so a visible labelled date or the
# article's own ``<time>`` beats them; they still beat the URL and bare date lines.
WEAK_PUBLISHED_META = frozenset({"date", "dc.date", "dcterms.date"})
# A publication date in a script's data object (a data layer, a CMS state blob, a JSON block that
# is not JSON-LD): ``"datePublished": "..."``, ``publishDate: '...'``, ``"published_at": ...``.
# Only keys that name the publication itself; "last"/"updated"/"modified" keys never match.
_SCRIPT_PUBLISHED = re.compile(
    r"[\"'](?:article|cms|first|original|content|post)?_?(?:date_?published|publish(?:ed|ing)?_?"
    r"(?:date|time|at|on)|pub_?date|publication_?(?:date|time))\\?[\"']\s*:\s*\\?[\"']"
    r"([^\"'\\]{8,40})",
    re.I,
)
_SCRIPT_MATCHES = 5
AUTHOR_META = (
    "author", "article:author", "dc.creator", "dc:creator", "dcterms.creator", "dcterms:creator",
    "parsely-author",
    "sailthru.author", "byl", "citation_author",
)  # fmt: skip


@dataclass
class JsonLd:
    """The fields of the page's main JSON-LD object (article first, then web page)."""

    headline: str | None = None
    name: str | None = None  # schema.org ``name``; some pages put a description in ``headline``
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    language: str | None = None
    url: str | None = None
    description: str | None = None
    body: str | None = None
    is_article: bool = False


def read_json_ld(html: str) -> JsonLd | None:
    """Parse every JSON-LD script; return the best article-like object's fields."""
    best: tuple[int, dict[str, Any]] | None = None
    for match in _LD_SCRIPT.finditer(html):
        raw = match.group(1).strip()
        if raw.startswith("<!--"):
            raw = raw[4:].rsplit("-->", 1)[0]
        raw = _CDATA.sub("", raw)  # XHTML pages wrap the JSON in <![CDATA[ ... ]]>
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for node in _nodes(data):
            types = node.get("@type")
            names = {t.lower() for t in (types if isinstance(types, list) else [types])
                     if isinstance(t, str)}  # fmt: skip
            rank = 2 if names & _ARTICLE_TYPES else 1 if names & _PAGE_TYPES else 0
            if rank and (best is None or rank > best[0]):
                best = (rank, node)
    if best is None:
        return None
    node = best[1]
    return JsonLd(
        headline=_text(node.get("headline")) or _text(node.get("name")),
        name=_text(node.get("name")),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        modified=_text(node.get("dateModified")),
        authors=_names(node.get("author") or node.get("creator")),
        publisher=(_names(node.get("publisher")) or [None])[0],
        language=_text(node.get("inLanguage")),
        url=_text(node.get("url")) or _text(node.get("mainEntityOfPage")),
        description=_text(node.get("description")),
        body=_text(node.get("articleBody")),
        is_article=best[0] == 2,
    )


def _nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _nodes(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _nodes(main, depth + 1)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _text(value.get("@id") or value.get("url") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) and name.strip() else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


class MetaTags:
    """``<meta>`` contents by lowercased ``name`` / ``property`` / ``itemprop`` (first wins)."""

    def __init__(self, metas: list[Tag]) -> None:
        self.values: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for meta in metas:
            content = meta.get("content")
            if not isinstance(content, str) or not content.strip():
                continue
            for attr in ("name", "property", "itemprop", "http-equiv"):
                key = meta.get(attr)
                if not isinstance(key, str):
                    continue
                for one in key.split():  # RDFa: property="dc:creator twitter:site_name"
                    lowered = one.lower()
                    self.values.setdefault(lowered, content.strip())
                    self.names.setdefault(lowered, one)

    def original(self, name: str) -> str:
        """The name as the page wrote it (``PubDate``), for rule names."""
        return self.names.get(name, name)

    def get(self, *names: str) -> tuple[str, str] | None:
        """The first present ``(name, content)`` among ``names``."""
        for name in names:
            value = self.values.get(name)
            if value:
                return name, value
        return None


def script_published(html: str) -> Iterator[str]:
    """Raw values of publication-date keys in the page's scripts (data layers, state blobs),
    in page order, at most a few: the caller parses them and keeps the first that parses."""
    for count, match in enumerate(_SCRIPT_PUBLISHED.finditer(html)):
        if count >= _SCRIPT_MATCHES:
            return
        yield match.group(1)
