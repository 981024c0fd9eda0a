"""A listing page's anchors and the small readings every listing step shares.

Tag text and class tokens, an anchor's URL (normalized once, same-site or not), whether a URL
or a text looks like an article's, and the structural path of an anchor (tag and class names
from the root, positions and noisy classes ignored) by which the rows of a list are grouped.
Used by :mod:`pressroom.extractors.listing` and its helper modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from pressroom.extractors.headlines import full_title
from pressroom.extractors.urls import host_of, normalize_url

__all__ = [
    "Anchors",
    "Member",
    "Signature",
    "all_tags",
    "anchor_url",
    "articleish_url",
    "class_tokens",
    "headline_candidates",
    "headline_length",
    "named_tags",
    "path_step",
    "same_host",
    "signature_of",
    "tag_text",
]

_NOISY_CLASS = re.compile(
    r"^(?:odd|even|first|last|active|current|on|alt|clearfix|cur|sel|selected)$|\d", re.I
)
_ARTICLE_URL = re.compile(
    r"(?:/20\d\d[/-]?\d\d|/t20\d{6}|\d{4,}|\.s?html?$|\.aspx?$|\.php$|\.jsp$"
    r"|/[a-z0-9]+(?:-[a-z0-9]+){3,}/?$|[?&](?:id|aid|articleid|newsid|p)=)",
    re.IGNORECASE,
)
_BAD_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")

Member = tuple[Tag, str, str]
"""A candidate article link: the anchor, its URL and its (full) headline text."""
Signature = tuple[str, ...]
"""The structural path of an anchor (:func:`signature_of`)."""


def class_tokens(tag: Tag) -> str:
    """The tag's classes and id, one string of words."""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id") or ""
    return " ".join([*classes, str(ident)])


def signature_of(anchor: Tag) -> tuple[str, ...]:
    """The structural path of ``anchor``: one :func:`path_step` per level from the root."""
    path = []
    for node in [anchor, *anchor.parents]:
        if not isinstance(node, Tag) or node.name == "[document]":
            break
        path.append(path_step(node))
    return tuple(reversed(path))


def tag_text(tag: Tag) -> str:
    """The tag's text, whitespace collapsed."""
    return " ".join(tag.get_text(" ", strip=True).split())


def articleish_url(url: str) -> bool:
    """True when the URL's path or query looks like an article's (a port's digits do not count)."""
    host, _, rest = url.partition("://")[2].partition("/")
    return bool(_ARTICLE_URL.search("/" + rest if host else url))


def headline_length(text: str) -> bool:
    """True when ``text`` is long enough for a headline (five CJK characters, or three words)."""
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    if cjk >= 5:
        return True
    return len(text) >= 15 and len(text.split()) >= 3


def anchor_url(anchor: Tag, page_url: str) -> str | None:
    """The anchor's ``href`` as a normalized http(s) URL, or None (script, mail, fragment)."""
    href = anchor.get("href")
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.lower().startswith(_BAD_SCHEMES):
        return None
    url = normalize_url(href, base=page_url)
    return url if url.startswith(("http://", "https://")) else None


def same_host(url: str, page_host: str) -> bool:
    """True when ``url`` is on ``page_host`` (``www.`` aside)."""
    host = host_of(url)
    bare = host.removeprefix("www.")
    return bool(host) and bare == page_host.removeprefix("www.")


def all_tags(soup: BeautifulSoup) -> list[Tag]:
    """Every tag of the page in document order: one walk, filtered by name in plain Python
    (BeautifulSoup's ``find_all`` with a list of names or attribute filters costs several
    times as much per search, and a listing page was searched six times)."""
    return [node for node in soup.descendants if isinstance(node, Tag)]


def named_tags(tags: list[Tag], names: frozenset[str], attribute: str | None = None) -> list[Tag]:
    """The ``tags`` called one of ``names`` (that have ``attribute``, when given)."""
    return [
        t for t in tags if t.name in names and (attribute is None or t.get(attribute) is not None)
    ]


class Anchors:
    """The page's ``<a href>`` tags in document order, each with its URL (normalized once)."""

    def __init__(self, tags: list[Tag], page_url: str) -> None:
        self.tags = named_tags(tags, frozenset({"a"}), "href")
        self.urls: list[str | None] = [anchor_url(a, page_url) for a in self.tags]

    def __iter__(self) -> Iterator[tuple[Tag, str | None]]:
        return zip(self.tags, self.urls, strict=True)


def _candidates(anchors: Anchors, page_url: str) -> Iterator[tuple[Tag, str, str]]:
    page_host = host_of(page_url)
    page_norm = normalize_url(page_url)
    for anchor, url in anchors:
        if url is None or url == page_norm or not same_host(url, page_host):
            continue
        yield anchor, url, full_title(tag_text(anchor), anchor.get("title"))


def headline_candidates(anchors: Anchors, page_url: str) -> list[tuple[Tag, str, str]]:
    """Same-site anchors with headline-length text, in page order."""
    return [m for m in _candidates(anchors, page_url) if headline_length(m[2])]


def path_step(node: Tag) -> str:
    """One step of a structural path: the tag name and its stable classes."""
    classes = node.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    kept = sorted(c for c in classes if not _NOISY_CLASS.search(c))
    return node.name + "".join("." + c for c in kept)
