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
numeric ones (``07/01/2023``) are read in the order decided by
:mod:`pressroom.extractors.date_order`, and
flagged ``date_uncertain`` when only language or time zone decided it.

A box whose own heading (an ``h2``-``h4``, ``strong`` or ``.title`` element at its top) says
"Most read", "Most popular", "Related", "热点", "热门", "排行", "推荐", "相关", ... is chrome
whatever its classes say. A walk passes ``repeated`` (the link URLs of its earlier pages): a
group whose links mostly appeared there is a box repeated on every page, not the list.

With a ``template`` (:class:`pressroom.core.articles.ListTemplate`, learned from the source's
first pages) the rows matching it are the list, however short the page or however long another
box; the date is read where the template says it sits in a row. When nothing matches (a
redesign), the page is read generically and ``ListingPage.template_matched`` is False. Every
generically read page reports the template of the rows it took (``ListingPage.template``).

The next page is found from, in order: ``next_selector``; ``rel=next``; an anchor whose text
or title is "Next", "下一页", "Older posts", "›", "»", ...; numbered page links (current + 1);
a pager drawn by script (TRS ``createPageHTML``, "共N页": :mod:`pressroom.extractors.pagers`); the
gov.cn
``index.html`` → ``index_1.html`` → ``index_2.html`` pattern when such links are present; a Hanweb
jcms data endpoint (a POST, in ``next_requests``: :mod:`pressroom.extractors.hanweb`).

Links that inline scripts hold (Hanweb datastore records, ``document.write`` output) are read
as if they were static markup (:mod:`pressroom.extractors.scripts`). A headline cut short ("…")
gives way
to the anchor's full ``title``.
With ``link_selector`` the matched anchors (or the anchors inside matched elements) are the
article links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator

from bs4 import BeautifulSoup, Tag

from pressroom.core.articles import (
    DateOrder,
    DateOrderDecision,
    DateOrderEvidence,
    ListingLink,
    ListingPage,
    ListTemplate,
)
from pressroom.extractors.date_order import decide_order, numeric_evidence
from pressroom.extractors.dates import parse_date
from pressroom.extractors.hanweb import endpoint_request
from pressroom.extractors.headlines import full_title
from pressroom.extractors.list_template import matches
from pressroom.extractors.pagers import ScriptPager, read_pager
from pressroom.extractors.scripts import expand_scripts
from pressroom.extractors.urls import host_of, normalize_url

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
_HTMLISH = re.compile(rb"<[A-Za-z][^>]*?\s")
_CURRENT_MARK = re.compile(r"(?:^|\s)(?:active|current|cur|on|selected|now)(?:$|\s)", re.I)
_DIGITS = re.compile(r"^\s*\d+\s*$")
_NUMBER_TAGS = frozenset({"a", "span", "strong", "em", "b", "li", "font"})
_CHROME_HEADING = re.compile(
    r"most[\s-]*(?:read|popular|viewed|shared|commented)|popular|related|trending|top stories"
    r"|see also|you may also like|recommended|热点|热门|排行|推荐|相关|阅读排行|点击排行",
    re.IGNORECASE,
)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "strong"})
_TITLE_CLASS = re.compile(r"(?:^|[-_\s])(?:title|tit|head|heading|hd)(?:$|[-_\s])", re.I)
_MAX_HEADING = 30
_REPEATED_SHARE = 0.5
"""A group is chrome when at least this share of its URLs appeared on earlier pages of the walk."""
_GOV_INDEX = re.compile(r"^(?P<dir>.*/)(?P<stem>index|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")


def _tokens(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id") or ""
    return " ".join([*classes, str(ident)])


def _box_heading(box: Tag) -> Tag | None:
    """The heading at the top of ``box``: its first child element, when that is an h2-h4,
    a ``strong`` or an element with a title/head class."""
    first = next((c for c in box.children if isinstance(c, Tag)), None)
    if first is None:
        return None
    if first.name in _HEADING_TAGS or _TITLE_CLASS.search(_tokens(first)):
        return first
    return None


def _chrome_heading(box: Tag, cache: dict[int, bool]) -> bool:
    """True when ``box``'s own heading names a chrome box ("Most read", "相关", ...)."""
    key = id(box)
    found = cache.get(key)
    if found is None:
        heading = _box_heading(box)
        found = heading is not None and _names_chrome(heading)
        cache[key] = found
    return found


def _names_chrome(heading: Tag) -> bool:
    """A short heading with a chrome word and no headline link of its own."""
    text = _text(heading)
    return (
        0 < len(text) <= _MAX_HEADING
        and _CHROME_HEADING.search(text) is not None
        and not any(_headline_length(_text(a)) for a in heading.find_all("a"))
    )


def _in_skipped_region(anchor: Tag, cache: dict[int, bool] | None = None) -> bool:
    """Inside navigation, page header/footer, sidebar, hot list...? (An item's own header isn't.)
    ``cache`` keeps the heading verdict of each box across the anchors of one page."""
    cache = {} if cache is None else cache
    parents = [p for p in anchor.parents if isinstance(p, Tag)]
    for index, parent in enumerate(parents):
        if parent.name in ("body", "html", "[document]"):
            break
        if _chrome_heading(parent, cache):
            return True
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
        path.append(_step(node))
    return tuple(reversed(path))


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _articleish(url: str) -> bool:
    """True when the URL's path or query looks like an article's (a port's digits do not count)."""
    host, _, rest = url.partition("://")[2].partition("/")
    return bool(_ARTICLE_URL.search("/" + rest if host else url))


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


def _row_at(anchor: Tag, depth: int) -> Tag:
    """The ancestor ``depth`` levels above ``anchor`` (a template's row), or the highest one."""
    row = anchor
    for _ in range(depth):
        if not isinstance(row.parent, Tag) or row.parent.name in ("body", "html", "[document]"):
            break
        row = row.parent
    return row


def _date_near(
    anchor: Tag, row: Tag, tz: str, date_path: tuple[str, ...] | None = None
) -> str | None:
    """The text of the first date in the link's row (where the template's ``date_path`` says,
    else a ``<time>`` first), unparsed: the page's date order is decided once all rows are read
    (:func:`_dated_link`)."""
    if date_path:
        for node in _at_path(row, date_path):
            value = str(node.get("datetime") or _text(node))
            if parse_date(value, timezone=tz):
                return value
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
        yield anchor, url, full_title(_text(anchor), anchor.get("title"))


_Member = tuple[Tag, str, str]


def _headline_candidates(anchors: _Anchors, page_url: str) -> list[tuple[Tag, str, str]]:
    """Same-site anchors with headline-length text, in page order."""
    return [m for m in _candidates(anchors, page_url) if _headline_length(m[2])]


def _mostly_repeated(members: list[_Member], repeated: Collection[str]) -> bool:
    """True when most of the group's URLs were already linked from earlier pages."""
    if not repeated:
        return False
    urls = {u for _, u, _ in members}
    return sum(1 for u in urls if u in repeated) >= _REPEATED_SHARE * len(urls)


def _template_links(
    headlines: list[_Member], template: ListTemplate, repeated: Collection[str]
) -> tuple[list[_Member], bool]:
    """The anchors of the template's rows (exact signature, else by its tail), and whether
    they were refused as a block repeated from earlier pages (the template was a box)."""
    signatures = [_signature(a) for a, _, _ in headlines]
    refused = False
    for exact in (True, False):
        chosen = [
            m
            for m, sig in zip(headlines, signatures, strict=True)
            if matches(template, sig, exact=exact)
        ]
        if chosen and not _mostly_repeated(chosen, repeated):
            return chosen, False
        refused = refused or bool(chosen)
    return [], refused


_Signature = tuple[str, ...]


def _generic_links(
    headlines: list[_Member],
    anchors: _Anchors,
    repeated: Collection[str],
    known_chrome: Collection[_Signature] = (),
    *,
    strict: bool = False,
) -> tuple[list[_Member], _Signature | None, tuple[_Signature, ...]]:
    """The article links of a page read without a template, the signature of the group they
    came from (None when gathered from several groups) and the signatures of the other groups
    of two or more links. Groups with a signature in ``known_chrome`` are not candidates;
    ``strict`` (a template no longer matched) keeps no lone link without an article-like URL."""
    groups: dict[_Signature, list[_Member]] = {}
    chrome: dict[int, bool] = {}
    for anchor, url, text in headlines:
        if _in_skipped_region(anchor, chrome):
            continue
        groups.setdefault(_signature(anchor), []).append((anchor, url, text))
    groups = {
        sig: ms
        for sig, ms in groups.items()
        if sig not in known_chrome and not _mostly_repeated(ms, repeated)
    }
    if not groups:
        return [], None, ()

    def score(members: list[_Member]) -> float:
        urls = {u for _, u, _ in members}
        articleish = sum(1 for u in urls if _articleish(u)) / len(urls)
        mean_len = sum(min(len(t), 80) for _, _, t in members) / len(members)
        return len(urls) * (0.25 + articleish) * mean_len

    best_sig = max(groups, key=lambda sig: score(groups[sig]))
    best = groups[best_sig]
    picked: tuple[str, ...] | None = best_sig
    if len({u for _, u, _ in best}) >= 3:
        chosen = list(best)
    else:
        chosen = [m for ms in groups.values() for m in ms if _articleish(m[1])]
        if not chosen and strict:
            return [], None, ()
        if not chosen:
            chosen = best
        if {id(a) for a, _, _ in chosen} != {id(a) for a, _, _ in best}:
            picked = None
    order = {id(a): i for i, a in enumerate(anchors.tags)}
    others = tuple(
        sig for sig, ms in groups.items() if sig != picked and len({u for _, u, _ in ms}) >= 2
    )
    return sorted(chosen, key=lambda m: order[id(m[0])]), picked, others


def _step(node: Tag) -> str:
    """One step of a structural path: the tag name and its stable classes."""
    classes = node.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    kept = sorted(c for c in classes if not _NOISY_CLASS.search(c))
    return node.name + "".join("." + c for c in kept)


def _depth(anchor: Tag, row: Tag) -> int:
    depth, node = 0, anchor
    while node is not row and isinstance(node.parent, Tag):
        node, depth = node.parent, depth + 1
    return depth


def _date_element(anchor: Tag, row: Tag, tz: str, order: DateOrder) -> tuple[str, ...] | None:
    """The path from ``row`` to the smallest element outside ``anchor`` that holds a date."""
    if anchor is row:
        return None
    skip = {id(t) for t in anchor.find_all(True)} | {id(anchor)} | {id(p) for p in anchor.parents}
    best: Tag | None = None
    for node in row.find_all(True):
        if id(node) in skip:
            continue
        text = str(node.get("datetime") or "") or _text(node)
        if not text or len(text) > 60:
            continue
        if parse_date(text, timezone=tz, date_order=order) is not None:
            best = node
            break
    if best is None:
        return None
    path: list[str] = []
    node = best
    while node is not row and isinstance(node, Tag):
        path.append(_step(node))
        node = node.parent  # type: ignore[assignment]
    return tuple(reversed(path))


def _at_path(row: Tag, path: tuple[str, ...]) -> list[Tag]:
    """The elements below ``row`` reached by following ``path`` one child step at a time."""
    level = [row]
    for step in path:
        level = [
            c for node in level for c in node.children if isinstance(c, Tag) and _step(c) == step
        ]
    return level


_MAX_CHROME = 12
_DATE_SAMPLE = 12
"""Rows whose date element is looked for when a template is learned (the rest are alike)."""


def _learn(
    signature: _Signature,
    rows: list[tuple[Tag, Tag]],
    tz: str,
    order: DateOrder,
    chrome: tuple[_Signature, ...] = (),
) -> ListTemplate:
    """The template of the rows ``(anchor, row)`` of one signature; ``chrome``: the page's other
    link blocks."""
    depths = Counter(_depth(anchor, row) for anchor, row in rows)
    sample = rows[:_DATE_SAMPLE]
    paths = Counter(_date_element(anchor, row, tz, order) for anchor, row in sample)
    date_path, count = paths.most_common(1)[0] if paths else (None, 0)
    if date_path is not None and count * 2 < len(sample):
        date_path = None
    chrome = tuple(dict.fromkeys(c for c in chrome if c != signature))[:_MAX_CHROME]
    return ListTemplate(signature, depths.most_common(1)[0][0], date_path, chrome)


def _selected_links(
    soup: BeautifulSoup, page_url: str, selector: str
) -> list[tuple[Tag, str, str]]:
    out = []
    for node in soup.select(selector):
        anchors = [node] if node.name == "a" else node.find_all("a", href=True)
        for anchor in anchors:
            url = _href(anchor, page_url)
            if url and url.startswith(("http://", "https://")):
                out.append((anchor, url, full_title(_text(anchor), anchor.get("title"))))
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
    soup: BeautifulSoup,
    tags: list[Tag],
    anchors: _Anchors,
    page_url: str,
    selector: str | None,
    pager: ScriptPager | None = None,
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
    add(pager.next_url(page_url) if pager else None)
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
    template: ListTemplate | None = None,
    repeated: Collection[str] = frozenset(),
    date_order_set: bool = False,
    language: str | None = None,
    learned: DateOrderEvidence | None = None,
) -> ListingPage:
    """Article links (page order, normalized, deduped) and next-page URLs of a listing page.

    ``template``: the source's learned row template (see the module docstring); ``repeated``:
    link URLs the walk saw on its earlier pages.

    Numeric row dates are read in the order :func:`pressroom.extractors.date_order.decide_order`
    picks:
    ``date_order`` when ``date_order_set`` (the source's own), else unambiguous row dates of
    this page or ``learned`` from the source's earlier pages, else ``<html lang>``,
    ``language``, ``timezone``, and ``date_order`` last."""
    raw, body = body, expand_scripts(body)
    if not _HTMLISH.search(body if isinstance(body, bytes) else body.encode("utf-8", "replace")):
        return ListingPage(url=normalize_url(url), template_matched=False if template else None)
    soup = BeautifulSoup(body, "lxml")
    tags = _all_tags(soup)
    base_tag = next(iter(_named(tags, frozenset({"base"}), "href")), None)
    page_url = url
    if isinstance(base_tag, Tag) and isinstance(base_tag.get("href"), str):
        page_url = normalize_url(str(base_tag["href"]), base=url)
    anchors = _Anchors(tags, page_url)
    used: ListTemplate | None = None
    matched: bool | None = None
    signature: _Signature | None = None
    others: tuple[_Signature, ...] = ()
    headlines: list[_Member] = []
    if link_selector:
        members = _selected_links(soup, page_url, link_selector)
    else:
        headlines = _headline_candidates(anchors, page_url)
        members, refused = (
            _template_links(headlines, template, repeated) if template else ([], False)
        )
        if template is not None:
            matched = bool(members)
        if members:
            used = template
        else:
            # a template whose rows repeat was a box: its list of other blocks is no guide
            known = (
                () if template is None else (template.signature,) if refused else template.chrome
            )
            members, signature, others = _generic_links(
                headlines, anchors, repeated, known, strict=template is not None
            )
            others = others + known
    below = _candidates_below(list({id(a): a for a, _, _ in members}.values()))
    date_path = used.date_path if used is not None else None
    found: list[tuple[str, str | None, str | None]] = []
    rows: list[tuple[Tag, Tag]] = []
    seen: set[str] = set()
    for anchor, link_url, text in members:
        if link_url in seen:
            continue
        seen.add(link_url)
        row = _row_at(anchor, used.row_depth) if used is not None else _row_of(anchor, below)
        rows.append((anchor, row))
        found.append((link_url, text or None, _date_near(anchor, row, timezone, date_path)))
    evidence = numeric_evidence(when for _, _, when in found if when)
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
    links = tuple(_dated_link(u, title, when, timezone, decision) for u, title, when in found)
    if used is None and signature is not None and rows:
        used = _learn(signature, rows, timezone, decision.order, others)
    scripts = [s.string or s.get_text() or "" for s in _named(tags, frozenset({"script"}))]
    pager = read_pager(scripts, soup.get_text(" "), page_url)
    next_urls = _next_pages(soup, tags, anchors, page_url, next_selector, pager)
    endpoint = endpoint_request(raw, scripts, page_url)
    return ListingPage(
        url=normalize_url(url),
        links=links,
        next_urls=tuple(next_urls),
        next_requests=(endpoint,) if endpoint else (),
        pager=pager.info if pager else None,
        template=used,
        template_matched=matched,
        anchor_urls=frozenset(u for _, u, _ in headlines),
        date_order=decision,
        date_evidence=evidence,
    )
