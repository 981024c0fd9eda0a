"""A small WordPress-style city newsroom whose sitemap and listing lead to more than articles.

Written for these tests. The theme is a typical block theme: a header menu of a dozen links, a
blog index at ``/news/`` (``<article class="post">`` teasers with linked ``<h2>`` titles and
``<time class="entry-date">``), single posts at ``/news/YYYY/MM/slug/`` (some carry Yoast-style
``og:type=article`` and JSON-LD, older ones only the visible date), and WordPress pages: a
department index, two department pages, a contact page and a tag archive. ``/news/`` also
links to a post that was deleted (the theme answers 200 with "Nothing found") and to a PDF.

:func:`serve` routes everything on a :class:`tests.crawler.server.TestServer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests.crawler.server import Reply, TestServer

__all__ = [
    "ARTICLES",
    "NON_ARTICLES",
    "Post",
    "contact_page",
    "department_page",
    "home_page",
    "news_index",
    "pdf_bytes",
    "post_page",
    "search_page",
    "soft_404_page",
    "tag_page",
]

SITE = "City of Maple Falls"
MENU = (
    ("/", "Home"),
    ("/news/", "News"),
    ("/government/departments/", "Departments"),
    ("/government/city-council/", "City Council"),
    ("/residents/trash-and-recycling/", "Trash &amp; Recycling"),
    ("/residents/parks/", "Parks"),
    ("/business/permits/", "Permits"),
    ("/events/", "Events"),
    ("/residents/how-to-reach-city-hall/", "Contact"),
    ("/jobs/", "Jobs"),
    ("/pay-a-bill/", "Pay a Bill"),
    ("/report-a-problem/", "Report a Problem"),
)


@dataclass(frozen=True)
class Post:
    """One press release of the newsroom."""

    slug: str
    title: str
    day: str  # YYYY-MM-DD
    paragraphs: tuple[str, ...]
    tagged: bool = True  # Yoast-style og:type=article and JSON-LD

    @property
    def path(self) -> str:
        year, month, _ = self.day.split("-")
        return f"/news/{year}/{month}/{self.slug}/"


ARTICLES = (
    Post(
        "council-adopts-2024-budget",
        "Council adopts 2024 budget with new money for road repairs",
        "2024-03-12",
        (
            "The Maple Falls City Council voted 6-1 on Monday night to adopt a $48.2 million "
            "operating budget for the 2024 fiscal year, including $3.1 million for street "
            "resurfacing on Elm, Cedar and Harbor avenues.",
            "Finance Director Renata Oduya said the plan holds the property tax rate flat for "
            "a third year while drawing on higher sales tax receipts. The budget takes effect "
            "on April 1.",
            "Residents can read the adopted budget at City Hall, the Maple Falls Public Library, "
            "or on the Finance Department page.",
        ),
    ),
    Post(
        "harbor-avenue-lane-closures",
        "Harbor Avenue lane closures begin March 18",
        "2024-03-08",
        (
            "Crews will close the northbound lane of Harbor Avenue between 3rd and 7th streets "
            "from March 18 through April 5 to replace a water main installed in 1961.",
            "Flaggers will direct traffic between 7 a.m. and 5 p.m. Drivers should expect "
            "delays and use Lakeview Road where they can.",
        ),
        tagged=False,
    ),
    Post(
        "offices-closed-presidents-day",
        "City offices closed Monday for Presidents Day",
        "2024-02-15",
        ("City offices will be closed on Monday, February 19. Trash pickup is not affected.",),
        tagged=False,
    ),
    Post(
        "spring-cleanup-week",
        "Spring cleanup week set for April 22-26",
        "2024-03-01",
        (
            "Residents may put out up to ten bags of yard waste and one bulky item on their "
            "regular collection day during spring cleanup week, April 22 through 26.",
            "Electronics, tires and paint are not accepted at the curb; take them to the "
            "recycling center on Foundry Street, open Saturdays from 8 a.m. to noon.",
        ),
    ),
    Post(
        "new-library-director-named",
        "Library board names Dana Whitfield director",
        "2024-02-27",
        (
            "The Maple Falls Public Library Board of Trustees has named Dana Whitfield, the "
            "library's head of youth services since 2017, as its next director.",
            "Whitfield succeeds Martin Alvarez, who retires in May after 22 years. She will "
            "start on June 3.",
        ),
        tagged=False,
    ),
)

DELETED_POST = "/news/2019/06/pool-schedule-summer-2019/"
PDF_PATH = "/wp-content/uploads/2024/03/fy2024-adopted-budget-summary.pdf"
#: path -> kind the pipeline must record
NON_ARTICLES = {
    "/government/departments/": "landing",
    "/government/departments/parks-and-recreation/": "landing",
    "/government/departments/public-works/": "landing",
    "/residents/how-to-reach-city-hall/": "landing",
    "/news/road-closures/": "landing",
    DELETED_POST: "soft_404",
    PDF_PATH: "document",
}


def _menu() -> str:
    items = "".join(f'<li class="menu-item"><a href="{h}">{t}</a></li>' for h, t in MENU)
    return f'<ul id="primary-menu" class="menu">{items}</ul>'


def _page(title: str, main: str, *, head: str = "", body_class: str = "page") -> bytes:
    """A full page of the theme around ``main``."""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} &#8211; {SITE}</title>
<link rel="stylesheet" href="/wp-content/themes/maple/style.css?ver=2.3">
{head}
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{SITE}</a></p>
<nav id="site-navigation" class="main-navigation">{_menu()}</nav>
</header>
<div id="content" class="site-content">
<main id="main" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" action="/"><label>Search for:
<input type="search" name="s"></label></form></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<p>{SITE} &middot; 100 Civic Center Plaza, Maple Falls &middot; (555) 010-4400</p>
<p><a href="/privacy-policy/">Privacy Policy</a> <a href="/accessibility/">Accessibility</a></p>
</footer>
</body>
</html>""".encode()


def post_page(post: Post) -> bytes:
    """A single post: Yoast-style metadata when ``post.tagged``, else only the visible date."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in post.paragraphs)
    head = ""
    if post.tagged:
        head = f"""<meta property="og:type" content="article">
<meta property="og:title" content="{post.title}">
<meta property="article:published_time" content="{post.day}T09:30:00-05:00">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{post.title}","datePublished":"{post.day}T09:30:00-05:00",
"publisher":{{"@type":"Organization","name":"{SITE}"}}}}</script>"""
    day = date.fromisoformat(post.day)
    shown = f"{day:%B} {day.day}, {day.year}"
    main = f"""<article id="post-{sum(map(ord, post.slug))}" class="post type-post">
<header class="entry-header"><h1 class="entry-title">{post.title}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <time class="entry-date published"
datetime="{post.day}T09:30:00-05:00">{shown}</time></span>
<span class="byline"> by <span class="author vcard">Communications Office</span></span></div>
</header>
<div class="entry-content">
{paragraphs}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/news/category/news/"
rel="category tag">News</a></span></footer>
</article>
<nav class="navigation post-navigation"><a href="/news/" rel="prev">Back to News</a></nav>"""
    return _page(post.title, main, head=head, body_class="post-template-default single")


def _teaser(path: str, title: str, day: str, excerpt: str) -> str:
    return f"""<article class="post type-post">
<header class="entry-header"><h2 class="entry-title"><a href="{path}" rel="bookmark">{title}</a>
</h2><div class="entry-meta"><time class="entry-date published" datetime="{day}T09:30:00-05:00">
{day}</time></div></header>
<div class="entry-summary"><p>{excerpt}</p></div>
</article>"""


def news_index() -> bytes:
    """The blog index: the five posts, the deleted one and the budget PDF."""
    items = [
        _teaser(p.path, p.title, p.day, p.paragraphs[0][:150] + " [&hellip;]") for p in ARTICLES
    ]
    items.insert(
        1,
        _teaser(
            PDF_PATH,
            "Adopted budget summary, fiscal year 2024 (PDF)",
            "2024-03-12",
            "A four-page summary of the adopted budget, by department and fund.",
        ),
    )
    items.append(
        _teaser(
            DELETED_POST,
            "Summer 2019 pool schedule",
            "2019-06-01",
            "Hours for the Riverside and Oak Park pools, June through August 2019.",
        )
    )
    main = '<header class="page-header"><h1 class="page-title">News</h1></header>' + "".join(items)
    return _page("News", main, body_class="blog")


def tag_page() -> bytes:
    """A tag archive: two teasers under "Tag: Road closures"."""
    road = [p for p in ARTICLES if "closure" in p.slug or "budget" in p.slug]
    extra = [
        _teaser(
            "/news/2023/10/cedar-street-bridge-inspection/",
            "Cedar Street bridge closed overnight for inspection",
            "2023-10-04",
            "The Cedar Street bridge will be closed from 10 p.m. to 5 a.m. on October 10.",
        ),
        _teaser(
            "/news/2023/08/fourth-street-paving/",
            "Fourth Street repaving starts August 21",
            "2023-08-11",
            "Fourth Street between Main and Ash will be milled and repaved over two weeks.",
        ),
    ]
    items = [_teaser(p.path, p.title, p.day, p.paragraphs[0][:140]) for p in road] + extra
    main = (
        '<header class="page-header"><h1 class="page-title">Tag: <span>Road closures</span>'
        "</h1></header>" + "".join(items)
    )
    return _page("Road closures", main, body_class="archive tag")


def search_page(words: str = "budget") -> bytes:
    """Search results for ``words``."""
    found = [p for p in ARTICLES if words in p.title.lower() or words in p.slug]
    found += [p for p in ARTICLES if p not in found][:3]
    items = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{p.path}">{p.title}</a></h2>'
        f'<div class="entry-summary"><p>{p.paragraphs[0][:120]} &hellip;</p></div></article>'
        for p in found
    )
    main = (
        f'<header class="page-header"><h1 class="page-title">Search Results for: '
        f"<span>{words}</span></h1></header>{items}"
    )
    return _page(f"You searched for {words}", main, body_class="search search-results")


def department_page(name: str, intro: str, services: list[tuple[str, str]]) -> bytes:
    """A department page: a short intro, then lists of service links and a contact box."""
    links = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in services)
    main = f"""<article class="page type-page">
<header class="entry-header"><h1 class="entry-title">{name}</h1></header>
<div class="entry-content">
<p>{intro}</p>
<h3>Services</h3>
<ul class="wp-block-list">{links}</ul>
<div class="wp-block-group contact-box"><p><strong>Office hours:</strong> Mon&ndash;Fri 8&ndash;5
</p><p><a href="mailto:info@maplefalls.example">info@maplefalls.example</a></p></div>
</div></article>"""
    return _page(name, main)


PARKS = department_page(
    "Parks and Recreation",
    "We care for 14 parks, two pools and 22 miles of trails, and run classes for all ages.",
    [
        ("/residents/parks/find-a-park/", "Find a park"),
        ("/residents/parks/reserve-a-shelter/", "Reserve a picnic shelter"),
        ("/residents/parks/pools/", "Pools and splash pads"),
        ("/residents/parks/classes/", "Classes and camps"),
        ("/residents/parks/trails/", "Trail map"),
        ("/residents/parks/volunteer/", "Volunteer in the parks"),
        ("/residents/parks/memorial-benches/", "Memorial benches and trees"),
    ],
)
PUBLIC_WORKS = department_page(
    "Public Works",
    "Public Works maintains streets, sidewalks, water and sewer lines and city buildings.",
    [
        ("/residents/trash-and-recycling/", "Trash and recycling"),
        ("/residents/street-sweeping/", "Street sweeping schedule"),
        ("/residents/snow-removal/", "Snow removal routes"),
        ("/report-a-problem/", "Report a pothole or streetlight"),
        ("/business/permits/right-of-way/", "Right-of-way permits"),
        ("/residents/water-quality/", "Water quality report"),
    ],
)


def departments_index() -> bytes:
    """The department directory: one linked heading and a line per department."""
    departments = (
        ("parks-and-recreation", "Parks and Recreation", "Parks, pools, trails and classes."),
        ("public-works", "Public Works", "Streets, water, sewer and city buildings."),
        ("finance", "Finance", "Budget, utility billing and purchasing."),
        ("police", "Police", "Non-emergency line, records and community programs."),
        ("planning", "Planning and Zoning", "Permits, zoning maps and code enforcement."),
        ("clerk", "City Clerk", "Agendas, minutes, elections and public records."),
    )
    items = "".join(
        f'<div class="dept"><h3><a href="/government/departments/{slug}/">{name}</a></h3>'
        f"<p>{blurb}</p></div>"
        for slug, name, blurb in departments
    )
    main = (
        '<article class="page"><header class="entry-header"><h1 class="entry-title">Departments'
        f'</h1></header><div class="entry-content">{items}</div></article>'
    )
    return _page("Departments", main)


def contact_page() -> bytes:
    """How to reach City Hall: address, phone, hours; no date, little text."""
    main = """<article class="page type-page">
<header class="entry-header"><h1 class="entry-title">How to reach City Hall</h1></header>
<div class="entry-content">
<p>100 Civic Center Plaza<br>Maple Falls, OH 45000</p>
<p>Main line: (555) 010-4400<br>Monday to Friday, 8 a.m. to 5 p.m.</p>
<p>Email: <a href="mailto:cityhall@maplefalls.example">cityhall@maplefalls.example</a></p>
</div></article>"""
    return _page("How to reach City Hall", main)


def home_page() -> bytes:
    """The site's front page: a hero line and the four latest posts."""
    items = "".join(_teaser(p.path, p.title, p.day, p.paragraphs[0][:100]) for p in ARTICLES[:4])
    main = (
        '<section class="hero"><h2>Welcome to Maple Falls</h2></section>'
        f'<section class="latest-news"><h2>Latest news</h2>{items}</section>'
        '<section class="quick-links"><h2>I want to&hellip;</h2><ul>'
        '<li><a href="/pay-a-bill/">Pay a bill</a></li><li><a href="/jobs/">Apply for a job</a>'
        '</li><li><a href="/report-a-problem/">Report a problem</a></li></ul></section>'
    )
    return _page("Home", main, body_class="home page")


def soft_404_page() -> bytes:
    """What the theme answers, with status 200, for a post that no longer exists."""
    main = """<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1>
</header>
<div class="page-content"><p>It looks like nothing was found at this location. Maybe try one
of the links below or a search?</p></div>
</section>"""
    return _page("Page not found", main, body_class="error404")


def pdf_bytes() -> bytes:
    """A small but well-formed-looking PDF file."""
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
        b"xref\n0 4\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R >>\n%%EOF\n"
    )


def sitemap(server: TestServer) -> bytes:
    """The WordPress page-and-post sitemap: every post, and the pages beside them."""
    paths = [p.path for p in ARTICLES] + [
        "/government/departments/",
        "/government/departments/parks-and-recreation/",
        "/government/departments/public-works/",
        "/residents/how-to-reach-city-hall/",
        "/news/road-closures/",
    ]
    urls = "".join(f"<url><loc>{server.url(p)}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def serve(server: TestServer) -> None:
    """Route the whole site on ``server``."""
    server.route("/robots.txt", Reply(404))
    server.route("/", home_page())
    server.route("/news/", news_index())
    for post in ARTICLES:
        server.route(post.path, post_page(post))
    server.route("/government/departments/", departments_index())
    server.route("/government/departments/parks-and-recreation/", PARKS)
    server.route("/government/departments/public-works/", PUBLIC_WORKS)
    server.route("/residents/how-to-reach-city-hall/", contact_page())
    server.route("/news/road-closures/", tag_page())
    server.route(DELETED_POST, soft_404_page())
    server.route(PDF_PATH, Reply(200, pdf_bytes(), {"Content-Type": "application/pdf"}))
    server.route(
        "/wp-sitemap.xml", Reply(200, sitemap(server), {"Content-Type": "application/xml"})
    )
