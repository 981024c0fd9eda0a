"""The article's headline: not the site name, not a section label such as "News Flash".

Candidates, most reliable first: JSON-LD headline, ``og:title``, gov.cn ``ArticleTitle``,
``twitter:title``, then the page's own headings, then ``<title>``. Every candidate loses a
" - Site Name" / "_某某市人民政府" suffix when a segment equals the site name or a page heading;
a candidate that is only a site name or a section label is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from pressroom.extractors.body import normalize_space
from pressroom.extractors.metadata import JsonLd, MetaTags
from pressroom.extractors.scan import CHROME, PageScan

__all__ = ["SECTION_LABELS", "choose_title", "find_subtitle", "is_section_label"]

SECTION_LABELS = frozenset(
    {"news flash", "news", "latest news", "press releases", "press release", "news releases",
     "news release", "media releases", "media release", "newsroom", "news room", "announcements",
     "news & announcements", "news and announcements", "news & events", "news and events",
     "city news", "county news", "notices", "public notices", "blog", "articles", "home",
     "新闻动态", "新闻中心", "工作动态", "通知公告", "政务动态", "图片新闻", "要闻", "要闻动态",
     "新闻发布", "政府信息公开", "信息公开", "部门动态", "区县动态", "首页", "正文", "详情",
     "news center", "news centre", "latest updates", "updates", "media", "media centre"}
)  # fmt: skip
_PERMALINK = re.compile(r"\s*¶$")  # Sphinx and MkDocs put a "¶" link after each heading
_INDEX_FILE = re.compile(r"(?:index|default|home)\.(?:html?|php|aspx?|jsp)$", re.I)
_SITE_NAME_META = ("og:site_name", "sitename", "application-name", "apple-mobile-web-app-title")
_TRAILING_SEPARATOR = re.compile(r"[-|–—•·»:_｜]\s*$")
# "——记某某同志": a subtitle under the headline opens on a dash (Chinese pages: a double em dash)
_SUBTITLE = re.compile(r"^\s*(?:——|—|--|－－|―{1,2})\s*(?P<text>\S.*)$", re.S)
_SUBTITLE_NEAR = 4  # elements between the headline and its subtitle
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
_SITE_NAME_WORDS = 6
_STOPWORDS = frozenset(
    {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "you", "your",
     "is", "are", "it", "its", "or", "from", "this", "that", "how", "what", "our", "we"}
)  # fmt: skip
_FURNITURE_WORDS = 4  # a heading this short that shares no word with the <title> is furniture
_SEPARATORS = re.compile(r"\s+[-|–—•·»:]{1,2}\s+|\s*[|｜_]\s*|\s+::\s+|\s*--\s*")


def is_section_label(text: str, site_names: Iterable[str] = ()) -> bool:
    """True for a section label ("News Flash", "新闻动态") or one of the site's names."""
    key = text.strip().lower().rstrip(":：")
    return not key or key in SECTION_LABELS or key in {s.lower() for s in site_names}


def choose_title(
    scan: PageScan, meta: MetaTags, ld: JsonLd | None, containers: list[Tag], url: str = ""
) -> tuple[str | None, str | None]:
    """``(title, rule)`` for the page at ``url``; ``(None, None)`` when no candidate is a
    headline."""
    site_names = [
        found[1]
        for found in map(meta.get, _SITE_NAME_META)
        if found and len(found[1].split()) <= _SITE_NAME_WORDS  # longer: a page title
    ]
    headings = _headings(scan, containers, site_names, url)
    if not headings or headings[0][1] != "h1":  # an h4 headline that repeats <title> exactly
        minor = _minor_heading(scan, scan.title)
        if minor is not None:
            headings.insert(0, minor)
    heading_texts = [h for h, _ in headings]
    doc_title = normalize_space(scan.title) if scan.title else ""
    if (
        headings
        and headings[0][1] == "h1"
        and _is_furniture(headings[0][0], doc_title, site_names, heading_texts)
    ):
        headings = [h for h in headings[1:] if _names(doc_title, h[0])]  # only the <title>'s own
    confirmed = headings[0][0] if headings and _names(doc_title, headings[0][0]) else None
    candidates: list[tuple[str | None, str]] = []
    if ld is not None and ld.is_article:
        # the JSON-LD name, when the heading and <title> repeat it, over a descriptive headline
        candidates.append(
            (ld.name if confirmed and ld.name == confirmed else ld.headline, "json-ld")
        )
    for name in ("og:title", "articletitle", "twitter:title"):
        found = meta.get(name)
        if found:
            candidates.append((found[1], "meta:" + meta.original(found[0])))
    if headings:
        candidates.append((headings[0][0], "heading:" + headings[0][1]))
    candidates.append((scan.title, "title-tag"))
    for raw, rule in candidates:
        if not raw:
            continue
        if confirmed and rule[:5] in ("json-", "meta:") and not _agrees(raw, confirmed):
            continue  # the <title> and the heading agree on another headline
        title = _strip_site(
            normalize_space(raw), site_names, heading_texts, guess=rule == "title-tag"
        )
        if title and not is_section_label(title, site_names):
            return title, rule
    return None, None


def _headings(
    scan: PageScan, containers: list[Tag], site_names: list[str], url: str
) -> list[tuple[str, str]]:
    """Non-chrome h1-h3 that are not labels nor links home: h1s first, then the heading nearest
    the body."""
    start = scan.order.get(id(containers[0]), 10**9) if containers else 10**9
    h1s: list[tuple[str, str]] = []
    before: list[tuple[str, str]] = []
    for tag in scan.headings:
        state = scan.state(tag)
        if state >= CHROME or (state and tag.name != "h1"):
            continue
        text = _PERMALINK.sub("", normalize_space(tag.get_text(" ")))
        if len(text) < 4 or is_section_label(text, site_names) or _SUBTITLE.match(text):
            continue
        if _links_up(tag, text, url):
            continue
        if tag.name == "h1":
            h1s.append((text, "h1"))
        elif scan.order.get(id(tag), 0) < start:
            before.append((text, tag.name))
        elif not before:
            before.append((text, tag.name))
            break
    return h1s[:1] + before[-1:]


def _links_up(heading: Tag, text: str, url: str) -> bool:
    """True when the heading's whole text is one link to the site's or a section's front page
    (``<h1><a href="/">Hi, I'm Nicolas</a></h1>``, ``<a href="../index.html">``): a logo or a
    section name, the same on every page, never this page's headline."""
    if not url:
        return False
    link = heading.find("a", href=True)
    if link is None or normalize_space(link.get_text(" ")) != text:
        return False
    target = urlsplit(urljoin(url, str(link["href"])))
    page = urlsplit(url)
    if target.netloc != page.netloc or target.query:
        return False
    folder = _INDEX_FILE.sub("", target.path) or "/"
    if not folder.endswith("/"):
        return False
    return page.path.startswith(folder) and page.path != target.path


def find_subtitle(scan: PageScan, title: str | None) -> tuple[str, Tag] | None:
    """The heading just under the headline that opens on a dash ("——记某某"): its text without
    the dash, and the element (not body)."""
    if not title:
        return None
    headline = None
    for tag in (*scan.headings, *scan.minor_headings):
        if scan.state(tag) >= CHROME:
            continue
        text = normalize_space(tag.get_text(" "))
        if headline is None:
            if text == title:
                headline = scan.order.get(id(tag), 0)
            continue
        gap = scan.order.get(id(tag), 0) - headline
        match = _SUBTITLE.match(text)
        if match and 0 < gap <= _SUBTITLE_NEAR:
            return match.group("text"), tag
    return None


def _words(text: str) -> set[str]:
    """Lowercased words, and pairs of CJK characters (which have no spaces between words)."""
    words = set(re.findall(r"[^\W\d_]{2,}|\d+", text.casefold())) - _STOPWORDS
    for run in _CJK.findall(text):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def _disjoint(one: str, other: str) -> bool:
    """True when the two texts share no word."""
    return not _words(one) & _words(other)


def _agrees(one: str, other: str) -> bool:
    """True when at least half the words of the shorter text are in the other."""
    first, second = _words(one), _words(other)
    return 2 * len(first & second) >= min(len(first), len(second))


def _names(doc_title: str, heading: str) -> bool:
    """True when the ``<title>`` is the heading, or the heading and site segments."""
    if doc_title == heading:
        return True
    return (
        doc_title.startswith(heading) and bool(_SEPARATORS.match(doc_title[len(heading) :]))
    ) or (
        doc_title.endswith(heading) and bool(_TRAILING_SEPARATOR.search(doc_title[: -len(heading)]))
    )


def _is_furniture(heading: str, doc_title: str, site_names: list[str], headings: list[str]) -> bool:
    """A short h1 that shares no word with a longer ``<title>`` is a logo or a section name
    ("Good Morning America", "Health Center"), not this page's headline; unless the ``<title>``
    names a section or the site, and so is the same on every page of it."""
    if len(heading.split()) > _FURNITURE_WORDS or not doc_title:
        return False
    if any(is_section_label(part, site_names) for part in _SEPARATORS.split(doc_title)):
        return False  # "News Flash • Springfield, IL": every page's <title>, not this headline
    stripped = _strip_site(doc_title, site_names, headings, guess=True)
    if len(stripped) <= len(heading) or is_section_label(stripped, site_names):
        return False
    return _disjoint(heading, doc_title)


def _minor_heading(scan: PageScan, title: str | None) -> tuple[str, str] | None:
    """The first non-chrome h4-h6 whose text is the ``<title>`` itself, as ``(text, name)``."""
    wanted = normalize_space(title) if title else ""
    for tag in scan.minor_headings if len(wanted) >= 12 else ():
        if normalize_space(tag.get_text(" ")) == wanted and not scan.state(tag):
            return wanted, tag.name
    return None


def _strip_site(title: str, site_names: list[str], headings: list[str], *, guess: bool) -> str:
    """Drop " - Site" style segments; keep a heading's exact text when the title contains it.

    With ``guess`` (the ``<title>`` fallback), a title whose segments match nothing known keeps
    its longest segment.
    """
    if title in headings:
        return title
    parts = [p.strip() for p in _SEPARATORS.split(title)]
    if len(parts) == 1:
        return title
    for heading in headings:
        if _names(title, heading):
            return heading
    names = {s.lower() for s in site_names}
    kept = [p for p in parts if p and p.lower() not in names and p.lower() not in SECTION_LABELS]
    if not kept:
        return ""
    if len(kept) == len(parts):
        return max(kept, key=len) if guess else title
    if len(kept) == 1:
        return kept[0]
    first, last = title.find(kept[0]), title.rfind(kept[-1])
    return title[first : last + len(kept[-1])].strip()
