"""The ``hightech`` template family: the English edition of a Chinese high-tech zone's site.

Modelled on gov.cn-style English portals built on TRS WCM: listings at ``/en/news/index.html``,
``index_1.html``, ``index_2.html``... (page 1 has no number), relative article links such as
``./202303/t20230315_1234567.html``, ``<meta name="PubDate">``/``ArticleTitle``/
``ContentSource`` in the head, the body in ``<div class="TRS_Editor">``, and the usual furniture:
top menu, breadcrumbs, "Source: ... Date: ..." line, 【Large Medium Small】 font control,
Print/Close links, "Editor:" line, a "Related News" sidebar with dates, and a footer with an
ICP record. Functions here only turn records into markup; routing lives in ``server.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from zoneinfo import ZoneInfo

from pressroom.demo.content import BulletList, DemoArticle, Table

__all__ = [
    "PAGE_SIZE",
    "SITE_NAME",
    "listing_path",
    "render_article",
    "render_home",
    "render_listing",
    "render_not_found",
    "render_section",
    "render_sitemap",
    "robots_txt",
]

SITE_NAME = "Xining High-tech Zone"
PAGE_SIZE = 10
TZ = ZoneInfo("Asia/Shanghai")
NEWS_INDEX = "/en/news/index.html"
ON = ' class="on"'

_MENU = (
    ("/en/index.html", "Home"),
    ("/en/about/index.html", "About the Zone"),
    (NEWS_INDEX, "News"),
    ("/en/invest/index.html", "Investment"),
    ("/en/industry/index.html", "Industries"),
    ("/en/contact/index.html", "Contact Us"),
)

SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "about": (
        "About the Zone",
        (
            "The High-tech Zone was established in 1992 and upgraded to a national high-tech "
            "industrial development zone in 2010. It has a planned area of 52 square kilometers "
            "in the east of the city and consists of the Dongchuan Industrial Park, the "
            "Biomedical Industrial Park and Yinggeshi Science City.",
            "Relying on the clean energy and salt lake resources of the plateau, the zone has "
            "formed leading industries of new energy, new materials, biomedicine and the "
            "digital economy.",
        ),
    ),
    "invest": (
        "Investment",
        (
            "The zone offers standard plants, talent apartments and a one-window approval "
            "service to investors. Preferential policies cover land, electricity prices, "
            "research and development and the recruitment of talents.",
            "Investment hotline: +86-971-5550100. Email: invest@hitech.example.cn",
        ),
    ),
    "industry": (
        "Industries",
        (
            "Lithium batteries and photovoltaics, new materials, plateau biomedicine and "
            "health products, intelligent manufacturing and the digital economy are the main "
            "industries of the zone.",
        ),
    ),
    "contact": (
        "Contact Us",
        (
            "Xining High-tech Zone Management Committee, 1 Weiyi Road, Chengbei District.",
            "Tel: +86-971-5550100  Fax: +86-971-5550101",
        ),
    ),
}


def local_stamp(article: DemoArticle) -> str:
    """``2023-03-15 16:34`` in the zone's local time."""
    return f"{article.published.astimezone(TZ):%Y-%m-%d %H:%M}"


def listing_path(page: int) -> str:
    """Path of listing page ``page`` (0-based): ``index.html``, then ``index_1.html``..."""
    return NEWS_INDEX if page == 0 else f"/en/news/index_{page}.html"


def _relative(path: str, *, from_article: bool = False) -> str:
    """A link as TRS writes it: ``./202303/t...`` from a listing, ``../202303/t...`` or
    ``./P0...png`` from an article page."""
    if from_article:
        return "../" + path.removeprefix("/en/news/")
    return "." + path.removeprefix("/en/news")


def _layout(title: str, body: str, *, head: str = "", active: str = "") -> str:
    menu = "\n".join(
        f'<li{ON if label == active else ""}><a href="{href}">{label}</a></li>'
        for href, label in _MENU
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{escape(title)}</title>
<meta name="SiteName" content="{SITE_NAME}">
<meta name="SiteDomain" content="hitech.example.cn">
<meta name="SiteIDCode" content="6301000012">
{head}<link rel="stylesheet" type="text/css" href="/en/css/style.css">
<!-- pressroom demo newsroom: fictional content for tests and demos -->
</head>
<body>
<div class="topbar"><div class="w1200">
<span class="welcome">Welcome to the official website of {SITE_NAME}!</span>
<span class="lang"><a href="/">中文</a> | <a href="/en/index.html">English</a></span>
</div></div>
<div class="header"><div class="w1200">
<a class="logo" href="/en/index.html"><span>{SITE_NAME}</span></a>
<form class="search" action="/en/search.html" method="get">
<input type="text" name="searchword" placeholder="Please enter keywords">
<button type="submit">Search</button>
</form>
</div></div>
<div class="nav"><div class="w1200"><ul>
{menu}
</ul></div></div>
<div class="main w1200">
{body}
</div>
<div class="footer"><div class="w1200">
<div class="links">Links: <a href="https://www.gov.cn/english/">The State Council</a> |
<a href="/en/contact/index.html">Contact Us</a> | <a href="/en/sitemap.html">Site Map</a></div>
<p>Copyright &copy; 2017-2024 {SITE_NAME} Management Committee. All Rights Reserved.</p>
<p>Sponsored by: {SITE_NAME} Management Committee &nbsp; Address: 1 Weiyi Road, Xining
&nbsp; Tel: +86-971-5550100</p>
<p><a href="https://beian.miit.gov.cn/">ICP No. 12345678</a> &nbsp; Government website
identification code: 6301000012</p>
</div></div>
<script type="text/javascript">
function doZoom(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</body>
</html>
"""


def _crumbs(*trail: tuple[str, str | None]) -> str:
    parts = [f'<a href="{href}">{label}</a>' if href else label for label, href in trail]
    return '<div class="crumbs">Current location: ' + " &gt; ".join(parts) + "</div>"


def _body_html(article: DemoArticle) -> str:
    out: list[str] = []
    for i, block in enumerate(article.blocks):
        if isinstance(block, BulletList):
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{escape(c)}</th>" for c in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            out.append(f'<table border="1"><tr>{head}</tr>{rows}</table>')
        else:
            out.append(f'<p style="text-indent: 2em;">{escape(block)}</p>')
        if i == 0 and article.image:
            img = article.image
            name = img.path.rsplit("/", 1)[1]
            out.append(
                f'<figure class="image"><img src="./{name}" alt="{escape(img.alt)}" '
                f'oldsrc="{name}"><figcaption>{escape(img.caption)}'
                "</figcaption></figure>"
            )
    return "\n".join(out)


def render_article(article: DemoArticle, related: Sequence[DemoArticle]) -> str:
    """The article page, with a "Related News" sidebar listing ``related`` with dates."""
    stamp = local_stamp(article)
    first = article.paragraphs[0] if article.paragraphs else ""
    head = (
        '<meta name="ColumnName" content="Park News">\n'
        '<meta name="ColumnType" content="News">\n'
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{stamp}">\n'
        f'<meta name="ContentSource" content="{escape(article.origin or "")}">\n'
        f'<meta name="Keywords" content="High-tech Zone,Park News">\n'
        f'<meta name="Description" content="{escape(first[:120])}">\n'
    )
    attachment = ""
    if article.attachment:
        att = article.attachment
        attachment = (
            '<div class="attachment"><span>Attachment:</span> '
            f'<a href="./{att.path.rsplit("/", 1)[1]}" target="_blank">{escape(att.text)}</a></div>'
        )
    sidebar = "\n".join(
        f'<li><a href="{_relative(other.path, from_article=True)}" target="_blank" '
        f'title="{escape(other.title)}">'
        f"{escape(other.title)}</a><span>{local_stamp(other)[:10]}</span></li>"
        for other in related
    )
    crumbs = _crumbs(("Home", "/en/index.html"), ("News", NEWS_INDEX), ("Park News", NEWS_INDEX))
    body = f"""{crumbs}
<div class="main-left">
<div class="article">
<div class="article-title"><h1>{escape(article.title)}</h1></div>
<div class="article-info">
<span class="source">Source: {escape(article.origin or SITE_NAME)}</span>&nbsp;&nbsp;<span
class="date">Date: {stamp}</span>
<span class="fontsize">【<a href="javascript:doZoom(18)">Large</a>
<a href="javascript:doZoom(16)">Medium</a> <a href="javascript:doZoom(14)">Small</a>】</span>
<a class="print" href="javascript:window.print()">Print</a>
<a class="close" href="javascript:window.close()">Close</a>
</div>
<div class="article-con" id="zoom">
<div class="TRS_Editor">
{_body_html(article)}
</div>
</div>
{attachment}
<div class="editor">Editor: {escape(article.author or "")}</div>
<div class="share">Share to: <a href="javascript:void(0)" class="wechat">WeChat</a>
<a href="javascript:void(0)" class="weibo">Weibo</a></div>
</div>
</div>
<div class="main-right">
<div class="side-box">
<div class="side-title"><h3>Related News</h3></div>
<ul class="side-list">
{sidebar}
</ul>
</div>
</div>"""
    return _layout(f"{article.title} - {SITE_NAME}", body, head=head, active="News")


def _pager(page: int, pages: int) -> str:
    def name(p: int) -> str:
        return "index.html" if p == 0 else f"index_{p}.html"

    parts = [f'<a href="{name(0)}">First</a>']
    if page > 0:
        parts.append(f'<a href="{name(page - 1)}">Previous</a>')
    for p in range(pages):
        current = f'<span class="current">{p + 1}</span>'
        parts.append(current if p == page else f'<a href="{name(p)}">{p + 1}</a>')
    if page < pages - 1:
        parts.append(f'<a href="{name(page + 1)}">Next</a>')
    parts.append(f'<a href="{name(pages - 1)}">Last</a>')
    parts.append(f"<span>Page {page + 1} of {pages}</span>")
    return '<div class="page">' + "\n".join(parts) + "</div>"


def render_listing(newest_first: Sequence[DemoArticle], page: int) -> str | None:
    """Listing page ``page`` (0-based), ten headlines with dates, or None past the end."""
    pages = max(1, -(-len(newest_first) // PAGE_SIZE))
    if not 0 <= page < pages:
        return None
    chunk = newest_first[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    items = "\n".join(
        f'<li><a href="{_relative(a.path)}" target="_blank" title="{escape(a.title)}">'
        f'{escape(a.title)}</a><span class="date">{local_stamp(a)[:10]}</span></li>'
        for a in chunk
    )
    body = f"""{_crumbs(("Home", "/en/index.html"), ("News", NEWS_INDEX), ("Park News", None))}
<div class="main-left">
<div class="list-box">
<div class="list-title"><h2>Park News</h2></div>
<ul class="news-list">
{items}
</ul>
{_pager(page, pages)}
</div>
</div>
<div class="main-right"><div class="side-box"><div class="side-title"><h3>News</h3></div>
<ul class="side-nav"><li class="on"><a href="{NEWS_INDEX}">Park News</a></li>
<li><a href="/en/invest/index.html">Investment Promotion</a></li></ul></div></div>"""
    return _layout(f"Park News - {SITE_NAME}", body, active="News")


def render_home(newest_first: Sequence[DemoArticle]) -> str:
    """The English home page: a welcome text and the six latest headlines."""
    items = "\n".join(
        f'<li><a href="{a.path}">{escape(a.title)}</a><span>{local_stamp(a)[5:10]}</span></li>'
        for a in newest_first[:6]
    )
    body = f"""<div class="banner"><h2>Innovation on the Plateau, Green Development</h2></div>
<div class="home-news"><div class="title"><h3>Park News</h3>
<a class="more" href="{NEWS_INDEX}">More &gt;&gt;</a></div>
<ul>
{items}
</ul></div>
<div class="home-links"><a href="/en/invest/index.html">Investment Guide</a>
<a href="/en/industry/index.html">Leading Industries</a></div>"""
    return _layout(SITE_NAME, body, active="Home")


def render_section(key: str) -> str | None:
    """A static section page (about, invest, industry, contact), or None if unknown."""
    if key not in SECTIONS:
        return None
    title, paragraphs = SECTIONS[key]
    text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    body = f"""{_crumbs(("Home", "/en/index.html"), (title, None))}
<div class="main-left"><div class="article"><div class="article-title"><h1>{title}</h1></div>
<div class="article-con"><div class="TRS_Editor">
{text}
</div></div></div></div>"""
    return _layout(f"{title} - {SITE_NAME}", body, active=title)


def render_not_found() -> str:
    body = '<div class="error"><h2>404</h2><p>Sorry, the page you visited does not exist.</p>\n'
    body += '<p><a href="/en/index.html">Return to the home page</a></p></div>'
    return _layout(f"Page not found - {SITE_NAME}", body)


def render_sitemap(base_url: str, newest_first: Sequence[DemoArticle]) -> str:
    """A sitemap of the home page, the first listing page and every article, with lastmod."""
    urls = [f"  <url><loc>{base_url}/en/index.html</loc><changefreq>daily</changefreq></url>"]
    urls.append(f"  <url><loc>{base_url}{NEWS_INDEX}</loc><changefreq>daily</changefreq></url>")
    for a in newest_first:
        lastmod = a.last_modified.astimezone(TZ).isoformat(timespec="seconds")
        urls.append(f"  <url><loc>{base_url}{a.path}</loc><lastmod>{lastmod}</lastmod></url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )


def robots_txt(base_url: str) -> str:
    return (
        "User-agent: *\nDisallow: /admin/\nDisallow: /en/search.html\n"
        f"\nSitemap: {base_url}/sitemap.xml\n"
    )
