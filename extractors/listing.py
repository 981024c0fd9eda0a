"""Listing pages: which links are articles, and where the next page is.

``parse_listing`` works without any configuration. Article links are found generically:

1. anchors inside navigation, headers, footers, sidebars and "hot"/"popular" boxes are ignored
   (by tag and by class/id words);
2. the remaining same-site anchors with headline-length text are grouped by their structural
   path (tag and class names from the root, positions ignored), so the rows of the news list
   fall into one group;
3. the best group wins: many members, long texts, article-like URLs (digits, dates, ``.html``,
   long slugs). With no repeated group (a last page with one article) every headline anchor
   with an article-like URL is kept.

A date printed next to the link (in the same list row) becomes ``ListingLink.published_at``;
numeric ones (``07/01/2023``) are read in the order decided by :mod:`extractors.date_order`, and
flagged ``date_uncertain`` when only language or time zone decided it.

The next page is found from, in order: ``next_selector``; ``rel=next``; an anchor whose text
or title is "Next", "下一页", "Older posts", "›", "»", ...; numbered page links (current + 1);
the gov.cn ``createPageHTML(count, current, "index", "html")`` script; the gov.cn
``index.html`` → ``index_1.html`` → ``index_2.html`` pattern when such links are present.
With ``link_selector`` the matched anchors (or the anchors inside matched elements) are the
article links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from extractors.date_order import decide_order, numeric_evidence
from extractors.dates import parse_date
from extractors.records import (
    DateOrder,
    DateOrderDecision,
    DateOrderEvidence,
    ListingLink,
    ListingPage,
)
from extractors.urls import host_of, normalize_url

__all__ = ["parse_listing"]

_SKIP_TAGS = frozenset({"nav", "header", "footer", "aside", "menu", "script", "style"})
_ITEM_TAGS = frozenset({"article", "li", "tr", "dd"})
_HEAD_FOOT = frozenset({"header", "head", "footer", "foot"})
_SKIP_WORDS = re.compile(
    r"(?:^|[-_\s])(?P<word>nav|navbar|navigation|menu|menus|footer|foot|header|head|crumbs?"
    r"|breadcrumbs?|hot|hots|hotnews|popular|most-?read|trending|rank|ranking|top10|sidebar|side"
    r"|aside|related|share|social|login|toolbar|topbar|links|friendlinks?|banner|tags?|skip|pager"
    r"|pagination|widgets?|secondary|page-?nav|pages)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_NOISY_CLASS = re.compile(
    r"^(?:odd|even|first|last|active|current|on|alt|clearfix|cur|sel|selected)$|\d", re.I
)
_ARTICLE_URL = re.compile(
    r"(?:/20\d\d[/-]?\d\d|/t20\d{6}|\d{4,}|\.s?html?$|\.aspx?$|\.php$|\.jsp$"
    r"|/[a-z0-9]+(?:-[a-z0-9]+){3,}/?$|[?&](?:id|aid|articleid|newsid|p)=)",
    re.IGNORECASE,
)
_BAD_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")
_NEXT_TEXTS = frozenset(
    {
        "next",
        "next page",
        "next »",
        "next ›",
        "next >",
        "next>",
        "older",
        "older posts",
        "older entries",
        "older news",
        "› older",
        "›",
        "»",
        ">",
        "下一页",
        "下页",
        "下一頁",
        "后一页",
        "后页",
        "下一页>",
        "下一页 >",
        "nächste",
        "weiter",
        "suivant",
        "siguiente",
    }
)
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_JS_VAR = re.compile(r"var\s+(\w+)\s*=\s*['\"]?(\w+)['\"]?\s*;")
_HTMLISH = re.compile(rb"<[A-Za-z][^>]*?\s")
_CURRENT_MARK = re.compile(r"(?:^|\s)(?:active|current|cur|on|selected|now)(?:$|\s)", re.I)
_DIGITS = re.compile(r"^\s*\d+\s*$")
_NUMBER_TAGS = frozenset({"a", "span", "strong", "em", "b", "li", "font"})
_GOV_INDEX = re.compile(r"^(?P<dir>.*/)(?P<stem>index|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")


def _tokens(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id") or ""
    return " ".join([*classes, str(ident)])


def _in_skipped_region(anchor: Tag) -> bool:
    """Inside navigation, page header/footer, sidebar, hot list...? (An item's own header isn't.)"""
    parents = [p for p in anchor.parents if isinstance(p, Tag)]
    for index, parent in enumerate(parents):
        if parent.name in ("body", "html", "[document]"):
            break
        hit = _SKIP_WORDS.search(_tokens(parent))
        tag_hit = parent.name in _SKIP_TAGS or parent.get("role") in ("navigation", "banner")
        if not (hit or tag_hit):
            continue
        head_foot = parent.name in ("header", "footer") or (
            hit is not None and not tag_hit and hit["word"].lower() in _HEAD_FOOT
        )
        if head_foot and any(p.name in _ITEM_TAGS for p in parents[index + 1 :]):
            continue  # the header of one list item, not of the page
        return True
    return False


def _signature(anchor: Tag) -> tuple[str, ...]:
    path = []
    for node in [anchor, *anchor.parents]:
        if not isinstance(node, Tag) or node.name == "[document]":
            break
        classes = node.get("class") or []
        if isinstance(classes, str):
            classes = classes.split()
        kept = sorted(c for c in classes if not _NOISY_CLASS.search(c))
        path.append(node.name + "".join("." + c for c in kept))
    return tuple(reversed(path))


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _headline_length(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    if cjk >= 5:
        return True
    return len(text) >= 15 and len(text.split()) >= 3


def _href(anchor: Tag, page_url: str) -> str | None:
    href = anchor.get("href")
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.lower().startswith(_BAD_SCHEMES):
        return None
    url = normalize_url(href, base=page_url)
    return url if url.startswith(("http://", "https://")) else None


def _same_host(url: str, page_host: str) -> bool:
    host = host_of(url)
    bare = host.removeprefix("www.")
    return bool(host) and bare == page_host.removeprefix("www.")


def _candidates_below(anchors: list[Tag]) -> dict[int, int]:
    """For every ancestor of the candidate ``anchors``: how many of them it contains."""
    below: dict[int, int] = {}
    for anchor in anchors:
        for parent in anchor.parents:
            below[id(parent)] = below.get(id(parent), 0) + 1
    return below


def _row_of(anchor: Tag, below: dict[int, int]) -> Tag:
    """The highest ancestor of ``anchor`` that contains no other candidate anchor
    (``below``: :func:`_candidates_below` of the candidates)."""
    row: Tag = anchor
    for parent in anchor.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            break
        if below.get(id(parent), 0) > 1:
            break
        row = parent
    return row


def _date_near(anchor: Tag, row: Tag, tz: str) -> str | None:
    """The text of the first date in the link's row (a ``<time>`` first), unparsed: the page's
    date order is decided once all rows are read (:func:`_dated_link`)."""
    for time_tag in row.find_all("time"):
        value = str(time_tag.get("datetime") or _text(time_tag))
        if parse_date(value, timezone=tz):
            return value
    anchor_text = _text(anchor)
    row_text = _text(row)
    outside = row_text.replace(anchor_text, " ", 1) if anchor_text else row_text
    return outside if parse_date(outside, timezone=tz) else None


def _dated_link(
    url: str, title: str | None, when: str | None, tz: str, decision: DateOrderDecision
) -> ListingLink:
    """The link with its date read in the page's order; uncertain when the other order reads
    another day and only a weak rung (language, time zone) decided."""
    if when is None:
        return ListingLink(url=url, title=title)
    published = parse_date(when, timezone=tz, date_order=decision.order)
    other = parse_date(when, timezone=tz, date_order="MDY" if decision.order == "DMY" else "DMY")
    uncertain = not decision.certain and published != other
    return ListingLink(url=url, title=title, published_at=published, date_uncertain=uncertain)


def _all_tags(soup: BeautifulSoup) -> list[Tag]:
    """Every tag of the page in document order: one walk, filtered by name in plain Python
    (BeautifulSoup's ``find_all`` with a list of names or attribute filters costs several
    times as much per search, and a listing page was searched six times)."""
    return [node for node in soup.descendants if isinstance(node, Tag)]


def _named(tags: list[Tag], names: frozenset[str], attribute: str | None = None) -> list[Tag]:
    """The ``tags`` called one of ``names`` (that have ``attribute``, when given)."""
    return [
        t for t in tags if t.name in names and (attribute is None or t.get(attribute) is not None)
    ]


class _Anchors:
    """The page's ``<a href>`` tags in document order, each with its URL (normalized once)."""

    def __init__(self, tags: list[Tag], page_url: str) -> None:
        self.tags = _named(tags, frozenset({"a"}), "href")
        self.urls: list[str | None] = [_href(a, page_url) for a in self.tags]

    def __iter__(self) -> Iterator[tuple[Tag, str | None]]:
        return zip(self.tags, self.urls, strict=True)


def _candidates(anchors: _Anchors, page_url: str) -> Iterator[tuple[Tag, str, str]]:
    page_host = host_of(page_url)
    page_norm = normalize_url(page_url)
    for anchor, url in anchors:
        if url is None or url == page_norm or not _same_host(url, page_host):
            continue
        text = _text(anchor) or str(anchor.get("title") or "").strip()
        yield anchor, url, text


def _generic_links(anchors: _Anchors, page_url: str) -> list[tuple[Tag, str, str]]:
    groups: dict[tuple[str, ...], list[tuple[Tag, str, str]]] = {}
    for anchor, url, text in _candidates(anchors, page_url):
        if not _headline_length(text) or _in_skipped_region(anchor):
            continue
        groups.setdefault(_signature(anchor), []).append((anchor, url, text))
    if not groups:
        return []

    def score(members: list[tuple[Tag, str, str]]) -> float:
        urls = {u for _, u, _ in members}
        articleish = sum(1 for u in urls if _ARTICLE_URL.search(u)) / len(urls)
        mean_len = sum(min(len(t), 80) for _, _, t in members) / len(members)
        return len(urls) * (0.25 + articleish) * mean_len

    best_sig = max(groups, key=lambda sig: score(groups[sig]))
    best = groups[best_sig]
    if len({u for _, u, _ in best}) >= 3:
        chosen = [m for sig, ms in groups.items() for m in ms if sig == best_sig]
    else:
        chosen = [m for ms in groups.values() for m in ms if _ARTICLE_URL.search(m[1])]
        if not chosen:
            chosen = best
    order = {id(a): i for i, a in enumerate(anchors.tags)}
    return sorted(chosen, key=lambda m: order[id(m[0])])


def _selected_links(
    soup: BeautifulSoup, page_url: str, selector: str
) -> list[tuple[Tag, str, str]]:
    out = []
    for node in soup.select(selector):
        anchors = [node] if node.name == "a" else node.find_all("a", href=True)
        for anchor in anchors:
            url = _href(anchor, page_url)
            if url and url.startswith(("http://", "https://")):
                out.append((anchor, url, _text(anchor) or str(anchor.get("title") or "")))
    return out


def _numbered_next(tags: list[Tag], page_url: str, page_norm: str) -> str | None:
    """The link numbered current + 1; the current page is unlinked, marked or this URL."""
    numbered: dict[int, str] = {}
    current: int | None = None
    for node in _named(tags, _NUMBER_TAGS):
        text = _text(node)
        if not text.isdigit() or len(text) > 5:
            continue
        number = int(text)
        if node.name == "a":
            url = _href(node, page_url)
            parent = node.parent if isinstance(node.parent, Tag) else node
            marks = f"{_tokens(node)} {_tokens(parent)}"
            if url == page_norm or _CURRENT_MARK.search(marks):
                current = number if current is None else current
            elif url is not None:
                numbered.setdefault(number, url)
        elif (
            current is None
            and node.find("a") is None
            and isinstance(node.parent, Tag)
            and node.parent.find("a", string=_DIGITS) is not None
        ):
            current = number
    if not numbered:
        return None
    if current is None:
        gaps = [n for n in range(1, max(numbered) + 1) if n not in numbered]
        # the one unlinked number is this page; with none, this is page 1 under another URL
        current = gaps[0] if len(gaps) == 1 else (1 if not gaps else None)
    return numbered.get(current + 1) if current is not None else None


def _create_page_next(tags: list[Tag], page_url: str) -> str | None:
    for script in _named(tags, frozenset({"script"})):
        code = script.string or script.get_text() or ""
        match = _CREATE_PAGE.search(code)
        if not match:
            continue
        variables = dict(_JS_VAR.findall(code))
        args = [a.strip().strip("'\"") for a in match.group(1).split(",")]
        args = [variables.get(a, a) for a in args]
        numbers = [int(a) for a in args if a.isdigit()]
        words = [a for a in args if a and not a.isdigit()]
        if len(numbers) < 2 or len(words) < 2:
            continue
        count, current = numbers[0], numbers[1]
        stem, ext = words[-2], words[-1]
        if current + 1 >= count:
            return None
        return normalize_url(f"{stem}_{current + 1}.{ext}", base=page_url)
    return None


def _gov_index_next(page_url: str, hrefs: set[str]) -> str | None:
    """gov.cn: ``dir/`` (``index.html``) → ``index_1.html`` → ``index_2.html``, when linked."""
    path = normalize_url(page_url).split("?", 1)[0]
    if path.endswith("/"):
        options = [f"{path}index_1.{ext}" for ext in ("html", "shtml", "htm")]
    else:
        match = _GOV_INDEX.match(path)
        if not match or not match["n"]:
            return None
        nxt = int(match["n"]) + 1
        options = [f"{match['dir']}{match['stem']}_{nxt}.{match['ext']}"]
    return next((o for o in options if o in hrefs), None)


def _next_pages(
    soup: BeautifulSoup, tags: list[Tag], anchors: _Anchors, page_url: str, selector: str | None
) -> list[str]:
    page_norm = normalize_url(page_url)
    page_host = host_of(page_url)
    found: list[str] = []

    def add(url: str | None) -> None:
        if url and url != page_norm and _same_host(url, page_host) and url not in found:
            found.append(url)

    if selector:
        for node in soup.select(selector):
            anchor = node if node.name == "a" else node.find("a", href=True)
            if isinstance(anchor, Tag):
                add(_href(anchor, page_url))
        return found
    for tag in _named(tags, frozenset({"link", "a"}), "rel"):
        rel = tag.get("rel") or []
        rels = rel.split() if isinstance(rel, str) else rel
        if "next" in [r.lower() for r in rels]:
            add(_href(tag, page_url))
    for anchor, url in anchors:
        labels = {_text(anchor).lower(), str(anchor.get("title") or "").strip().lower()}
        labels.add(str(anchor.get("aria-label") or "").strip().lower())
        if labels & _NEXT_TEXTS:
            add(url)
    add(_numbered_next(tags, page_url, page_norm))
    add(_create_page_next(tags, page_url))
    hrefs = {u for u in anchors.urls if u}
    add(_gov_index_next(page_url, hrefs))
    return found


def parse_listing(
    body: bytes | str,
    url: str,
    *,
    link_selector: str | None = None,
    next_selector: str | None = None,
    date_order: DateOrder = "MDY",
    timezone: str = "UTC",
    date_order_set: bool = False,
    language: str | None = None,
    learned: DateOrderEvidence | None = None,
) -> ListingPage:
    """Article links (page order, normalized, deduped) and next-page URLs of a listing page.

    Numeric row dates are read in the order :func:`extractors.date_order.decide_order` picks:
    ``date_order`` when ``date_order_set`` (the source's own), else unambiguous row dates of
    this page or ``learned`` from the source's earlier pages, else ``<html lang>``,
    ``language``, ``timezone``, and ``date_order`` last."""
    if not _HTMLISH.search(body if isinstance(body, bytes) else body.encode("utf-8", "replace")):
        return ListingPage(url=normalize_url(url))  # no tag with attributes: no links
    soup = BeautifulSoup(body, "lxml")
    tags = _all_tags(soup)
    base_tag = next(iter(_named(tags, frozenset({"base"}), "href")), None)
    page_url = url
    if isinstance(base_tag, Tag) and isinstance(base_tag.get("href"), str):
        page_url = normalize_url(str(base_tag["href"]), base=url)
    anchors = _Anchors(tags, page_url)
    if link_selector:
        members = _selected_links(soup, page_url, link_selector)
    else:
        members = _generic_links(anchors, page_url)
    below = _candidates_below(list({id(a): a for a, _, _ in members}.values()))
    rows: list[tuple[str, str | None, str | None]] = []
    seen: set[str] = set()
    for anchor, link_url, text in members:
        if link_url in seen:
            continue
        seen.add(link_url)
        rows.append((link_url, text or None, _date_near(anchor, _row_of(anchor, below), timezone)))
    evidence = numeric_evidence(when for _, _, when in rows if when)
    lang = soup.html.get("lang") if soup.html is not None else None
    decision = decide_order(
        configured=date_order if date_order_set else None,
        page=evidence,
        learned=learned,
        page_lang=lang if isinstance(lang, str) else None,
        language=language,
        timezone=timezone,
        default=date_order,
    )
    links = tuple(_dated_link(u, title, when, timezone, decision) for u, title, when in rows)
    next_urls = _next_pages(soup, tags, anchors, page_url, next_selector)
    return ListingPage(
        url=normalize_url(url),
        links=links,
        next_urls=tuple(next_urls),
        date_order=decision,
        date_evidence=evidence,
    )
