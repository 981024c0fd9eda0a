"""The ``cityhall`` template family: a US city's CivicPlus (CivicEngage) "News Flash" module.

Listing at ``/CivicAlerts.aspx?CID=1`` then ``&page=2``..., with "« Previous", page numbers and
"Next »"; articles at ``/CivicAlerts.aspx?AID=1187``. Like the real CMS, every page's
``<title>`` is "News Flash • Springfield, IL • CivicEngage", the ``<h1>`` is the module label
"News Flash" and the headline is a smaller heading under it; the date is a bare
"Posted on: March 15, 2023". Around the article: share links, Print, Previous/Next, an
"Other News in City News" sidebar and a large footer. An RSS 2.0 feed carries the newest 20.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from pressroom.demo.content import BulletList, DemoArticle, Table

__all__ = [
    "FEED_PATH",
    "LISTING_PATH",
    "PAGE_SIZE",
    "SITE_NAME",
    "listing_path",
    "posted_on",
    "render_article",
    "render_feed",
    "render_home",
    "render_listing",
    "render_not_found",
    "render_section",
    "robots_txt",
]

SITE_NAME = "Springfield, IL"
PAGE_TITLE = "News Flash • Springfield, IL • CivicEngage"
PAGE_SIZE = 10
FEED_SIZE = 20
LISTING_PATH = "/CivicAlerts.aspx?CID=1"
FEED_PATH = "/RSSFeed.aspx?ModID=1&CID=All-newsflash.xml"

_MENU = (
    ("/27/Government", "Government"),
    ("/31/Departments", "Departments"),
    ("/35/Community", "Community"),
    ("/39/Business", "Business"),
    ("/43/How-Do-I", "How Do I..."),
)
SECTIONS = {href.rsplit("/", 1)[1]: label for href, label in _MENU}


def posted_on(article: DemoArticle) -> str:
    """``March 15, 2023`` (the CMS shows no time)."""
    day = article.published.date()
    return f"{day:%B} {day.day}, {day.year}"


def listing_path(page: int) -> str:
    """Path of listing page ``page`` (0-based): the bare listing, then ``&page=2``..."""
    return LISTING_PATH if page == 0 else f"{LISTING_PATH}&page={page + 1}"


def _layout(body: str, *, title: str = PAGE_TITLE) -> str:
    menu = "\n".join(
        f'<li><a href="{href}" class="navMainItem">{label}</a></li>' for href, label in _MENU
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="application/rss+xml" title="News Flash" href="{escape(FEED_PATH)}">
<link rel="stylesheet" href="/Assets/Styles/Print.css" media="print">
<!-- pressroom demo newsroom: fictional content for tests and demos -->
</head>
<body class="wide">
<a class="skipToContentLink" href="#contentarea">Skip to Main Content</a>
<div id="outer-wrap">
<header id="bannerContainer">
<div class="siteAlert">Create a Website Account - Manage notification subscriptions, save form
progress and more. <a href="/MyAccount">Website Sign In</a></div>
<a id="logo" href="/"><span>City of Springfield, Illinois</span></a>
<form id="searchForm" action="/Search" method="get"><label for="q">Search</label>
<input id="q" name="searchPhrase" type="text"><button type="submit">Search</button></form>
<nav id="mainNav" aria-label="Main"><ul class="rootNavMenu">
{menu}
</ul></nav>
</header>
<div id="contentarea" class="contentArea">
{body}
</div>
<footer id="footer">
<div class="footerColumn contactInfo"><h2>Contact Us</h2>
<p>City of Springfield<br>300 S. Seventh Street<br>Springfield, IL 62701</p>
<p>Phone: 217-555-0100<br>
Email: <a href="mailto:cityclerk@springfield.example.gov">City Clerk</a></p>
<p>Hours: Monday - Friday<br>8:00 a.m. - 4:30 p.m.</p></div>
<div class="footerColumn quickLinks"><h2>Quick Links</h2><ul>
<li><a href="/43/How-Do-I">Pay a Utility Bill</a></li>
<li><a href="/CivicAlerts.aspx">News Flash</a></li>
<li><a href="/Calendar.aspx">Calendar</a></li>
<li><a href="/Jobs.aspx">Employment</a></li>
</ul></div>
<div class="footerColumn siteLinks"><h2>Site Links</h2><ul>
<li><a href="/">Home</a></li>
<li><a href="/SiteMap">Site Map</a></li>
<li><a href="/Accessibility">Accessibility</a></li>
<li><a href="/Copyright">Copyright Notices</a></li>
</ul></div>
<div class="poweredBy"><a href="https://www.civicplus.com/civicengage"
target="_blank">Government Websites by CivicPlus®</a></div>
</footer>
</div>
</body>
</html>
"""


def _crumbs() -> str:
    return (
        '<ol class="breadCrumbs"><li><a href="/">Home</a></li>'
        '<li><a href="/CivicAlerts.aspx">News Flash</a></li></ol>'
    )


def _body_html(article: DemoArticle) -> str:
    out: list[str] = []
    for block in article.blocks:
        if isinstance(block, BulletList):
            out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{escape(c)}</th>' for c in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            out.append(
                '<table class="fr-alternate-rows" style="width: 100%;">'
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            )
        else:
            out.append(f"<p>{escape(block)}</p>")
    return "\n".join(out)


def _share(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return f"""<div class="shareAndPrint">
<ul class="share"><li><a href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank"
title="Share on Facebook">Facebook</a></li>
<li><a href="https://twitter.com/intent/tweet?url={u}&amp;text={t}" target="_blank"
title="Tweet">Twitter</a></li>
<li><a href="mailto:?subject={t}&amp;body={u}" title="Email">Email</a></li></ul>
<a class="print" href="javascript:window.print();">Print</a>
</div>"""


def render_article(
    article: DemoArticle,
    *,
    base_url: str,
    previous: DemoArticle | None,
    following: DemoArticle | None,
    other_news: Sequence[DemoArticle],
) -> str:
    """The News Flash detail page: label, headline, date, body, share, nav and sidebar."""
    nav = []
    if previous:
        nav.append(f'<a class="prev" href="{escape(previous.path)}">Previous</a>')
    if following:
        nav.append(f'<a class="next" href="{escape(following.path)}">Next</a>')
    others = "\n".join(
        f'<li><a href="{escape(o.path)}">{escape(o.title)}</a></li>' for o in other_news
    )
    body = f"""{_crumbs()}
<div id="moduleContent">
<h1 id="versionHeadLine" class="headline">News Flash</h1>
<div class="newsFlashDetail">
<div class="detailBox">
<h3 class="detailTitle">{escape(article.title)}</h3>
<div class="date">Posted on: {posted_on(article)}</div>
<div class="detailContent fr-view">
{_body_html(article)}
</div>
{_share(base_url + article.path, article.title)}
<div class="prevNext">{" ".join(nav)}</div>
</div>
<aside class="sidebar">
<div class="otherNews"><h4>Other News in City News</h4>
<ul>
{others}
</ul>
<a class="viewAll" href="{escape(LISTING_PATH)}">View All</a></div>
<div class="tools"><h4>Tools</h4><ul>
<li><a href="{escape(FEED_PATH)}">RSS</a></li>
<li><a href="/list.aspx">Notify Me®</a></li></ul></div>
<div class="categories"><h4>Categories</h4><ul>
<li><a href="/CivicAlerts.aspx">All Categories</a></li>
<li><a href="{escape(LISTING_PATH)}">City News</a></li></ul></div>
</aside>
</div>
</div>"""
    return _layout(body)


def _pager(page: int, pages: int) -> str:
    parts = []
    if page > 0:
        parts.append(f'<a class="prev" href="{escape(listing_path(page - 1))}">« Previous</a>')
    for p in range(pages):
        if p == page:
            parts.append(f'<span class="current">{p + 1}</span>')
        else:
            parts.append(f'<a href="{escape(listing_path(p))}">{p + 1}</a>')
    if page < pages - 1:
        parts.append(f'<a class="next" href="{escape(listing_path(page + 1))}">Next »</a>')
    return '<div class="pager">' + "\n".join(parts) + "</div>"


def render_listing(newest_first: Sequence[DemoArticle], page: int) -> str | None:
    """Listing page ``page`` (0-based): headline, date, teaser, "Read on..."; None past the end."""
    pages = max(1, -(-len(newest_first) // PAGE_SIZE))
    if not 0 <= page < pages:
        return None
    chunk = newest_first[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    items = []
    for a in chunk:
        teaser = a.paragraphs[0] if a.paragraphs else ""
        if len(teaser) > 160:
            teaser = teaser[:160].rsplit(" ", 1)[0] + "..."
        items.append(
            f"""<div class="newsItem">
<h3><a href="{escape(a.path)}">{escape(a.title)}</a></h3>
<span class="date">Posted on: {posted_on(a)}</span>
<p class="intro">{escape(teaser)}</p>
<a class="more" href="{escape(a.path)}" aria-label="Read on - {escape(a.title)}">Read on...</a>
</div>"""
        )
    body = f"""{_crumbs()}
<div id="moduleContent">
<h1 id="versionHeadLine" class="headline">News Flash</h1>
<div class="newsFlashCategory">
<h2>City News</h2>
{chr(10).join(items)}
{_pager(page, pages)}
</div>
<div class="tools"><a href="{escape(FEED_PATH)}">RSS</a> | <a href="/list.aspx">Notify Me®</a></div>
</div>"""
    return _layout(body)


def render_home(newest_first: Sequence[DemoArticle]) -> str:
    """The city home page with a News Flash widget of the three latest headlines."""
    items = "\n".join(
        f'<li><a href="{escape(a.path)}">{escape(a.title)}</a>'
        f'<span class="date">{posted_on(a)}</span></li>'
        for a in newest_first[:3]
    )
    body = f"""<div class="hero"><h1>Welcome to Springfield</h1></div>
<div class="widget newsFlash"><h2 class="widgetTitle">News Flash</h2>
<ul>
{items}
</ul>
<a class="viewAll" href="{escape(LISTING_PATH)}">View All</a></div>"""
    return _layout(body, title="Springfield, IL - Official Website")


def render_section(key: str) -> str | None:
    """A menu landing page (Government, Departments...), or None if unknown."""
    label = SECTIONS.get(key)
    if label is None:
        return None
    body = f"""{_crumbs()}
<div id="moduleContent"><h1 class="headline">{escape(label)}</h1>
<p>Find information about {escape(label.lower().rstrip("."))} in the City of Springfield.</p>
</div>"""
    return _layout(body, title=f"{label} | Springfield, IL - Official Website")


def render_not_found() -> str:
    body = '<div id="moduleContent"><h1 class="headline">Page Not Found</h1>\n'
    body += "<p>The page you requested could not be found.</p></div>"
    return _layout(body, title="Page Not Found | Springfield, IL - Official Website")


def render_feed(base_url: str, newest_first: Sequence[DemoArticle]) -> str:
    """RSS 2.0 with the newest twenty items; pubDate is the posting day, midnight local."""
    items = []
    for a in newest_first[:FEED_SIZE]:
        link = escape(base_url + a.path)
        first = a.paragraphs[0] if a.paragraphs else ""
        items.append(
            f"""<item>
<title>{escape(a.title)}</title>
<link>{link}</link>
<guid isPermaLink="true">{link}</guid>
<pubDate>{format_datetime(a.published)}</pubDate>
<category>City News</category>
<description>{escape(first)}</description>
</item>"""
        )
    built = format_datetime(newest_first[0].published) if newest_first else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Springfield, IL - News Flash</title>
<link>{escape(base_url)}/CivicAlerts.aspx</link>
<atom:link href="{escape(base_url + FEED_PATH)}" rel="self" type="application/rss+xml"/>
<description>Get the latest news from the City of Springfield.</description>
<language>en-us</language>
<lastBuildDate>{built}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
"""


def robots_txt(base_url: str) -> str:
    return "User-agent: *\nDisallow: /admin/\nDisallow: /Search\nDisallow: /MyAccount\n"
