"""A UK-council-style newsroom on a loopback TestServer, written for the list-template tests.

Twenty-two news releases, newest first, ten to a listing page (``/news/``, ``/news/page/2/``,
``/news/page/3/``): the last page holds the two oldest. Each row is
``<div class="news-item"><h3><a>..</a></h3><p class="meta">7 January 2023 | Housing</p>``.
Every listing page also carries, in ``<div class="right">``, an unmarked ``<div class="box">``
headed "Most read" with five links to feature stories (real articles, dated inside the year, but
not news releases) and a "Have your say" box of four consultations: none of them is the list.

``layout`` switches the listing markup: ``"v1"`` (above), ``"v2"`` (a redesign: the rows become
``<article class="card">`` in ``<section class="listing">``, the date in ``<time>``) and
``"empty"`` (the list is gone: only the boxes remain, as an error page served with 200 would).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .server import Handler, Reply, TestServer

__all__ = ["CouncilNewsroom", "Release"]

PER_PAGE = 10
TOPICS = ("Housing", "Roads and transport", "Libraries", "Waste and recycling", "Parks")
PLACES = ("Ashby Road", "Mill Lane", "the Market Square", "Castle Ward", "Riverside")


@dataclass(frozen=True)
class Release:
    """One article of the newsroom."""

    path: str
    title: str
    day: date
    kind: str  # "news" or "feature"


def _long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _day_first(day: date) -> str:
    """The numeric form UK councils print: 07/01/2023 is 7 January."""
    return f"{day:%d/%m/%Y}"


class CouncilNewsroom:
    """Routes of the newsroom on ``server``; see the module docstring."""

    def __init__(
        self,
        server: TestServer,
        *,
        releases: int = 22,
        numeric_dates: bool = False,
        lang: str = "en-GB",
    ) -> None:
        self.server = server
        self.lang = lang
        self.date_text = _day_first if numeric_dates else _long_date
        self.layout = "v1"
        start = date(2023, 1, 7)
        self.news = [
            Release(
                f"/news/{2023 + n // 40}/council-update-{n + 1}-{TOPICS[n % 5].split()[0].lower()}"
                f"-{PLACES[n % 5].split()[-1].lower()}",
                f"Council update {n + 1}: {TOPICS[n % 5].lower()} works at {PLACES[n % 5]}",
                start + timedelta(days=9 * n),
                "news",
            )
            for n in range(releases)
        ]
        self.features = [
            Release(
                f"/features/{slug}",
                title,
                date(2023, 3, 1) + timedelta(days=5 * i),
                "feature",
            )
            for i, (slug, title) in enumerate(
                [
                    ("bin-collection-changes-explained", "Bin collection changes explained"),
                    ("meet-the-park-rangers-of-riverside", "Meet the park rangers of Riverside"),
                    ("how-your-council-tax-is-spent", "How your council tax is spent this year"),
                    ("a-day-at-the-central-library", "A day at the central library"),
                    ("winter-gritting-routes-and-tips", "Winter gritting routes and tips"),
                ]
            )
        ]
        for release in [*self.news, *self.features]:
            server.route(release.path, self._article(release))
        for number in range(1, self.pages + 1):
            server.route(self.page_path(number), lambda _r, n=number: self._listing_reply(n))
        server.route("/robots.txt", b"User-agent: *\nAllow: /\n")

    # -- what the site holds ---------------------------------------------------------------

    @property
    def pages(self) -> int:
        return -(-len(self.news) // PER_PAGE)

    @staticmethod
    def page_path(number: int) -> str:
        return "/news/" if number == 1 else f"/news/page/{number}/"

    def newest_first(self) -> list[Release]:
        return sorted(self.news, key=lambda r: r.day, reverse=True)

    def on_page(self, number: int) -> list[Release]:
        return self.newest_first()[(number - 1) * PER_PAGE : number * PER_PAGE]

    def urls(self, releases: list[Release]) -> set[str]:
        return {self.server.url(r.path) for r in releases}

    # -- pages -------------------------------------------------------------------------------

    def _listing_reply(self, number: int) -> Reply:
        body = self.listing(number).encode("utf-8")
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

    def listing(self, number: int) -> str:
        """The HTML of listing page ``number`` in the current layout."""
        releases = self.on_page(number)
        if self.layout == "v2":
            rows = "".join(
                f'<article class="card"><a class="card-link" href="{r.path}">{r.title}</a>'
                f'<time datetime="{r.day.isoformat()}">{self.date_text(r.day)}</time></article>'
                for r in releases
            )
            main = f'<section class="listing">{rows}</section>'
        elif self.layout == "empty":
            main = "<p>Sorry, we could not load the news at the moment.</p>"
        else:
            rows = "".join(
                f'<div class="news-item"><h3><a href="{r.path}">{r.title}</a></h3>'
                f'<p class="meta">{self.date_text(r.day)} | {TOPICS[i % 5]}</p>'
                f"<p>Residents near {PLACES[i % 5]} are asked to read the notice.</p></div>"
                for i, r in enumerate(releases)
            )
            main = f'<div class="news-list">{rows}</div>'
        pager = []
        if number > 1:
            pager.append(f'<a href="{self.page_path(number - 1)}">Previous</a>')
        for n in range(1, self.pages + 1):
            pager.append(
                f"<span>{n}</span>" if n == number else f'<a href="{self.page_path(n)}">{n}</a>'
            )
        if number < self.pages:
            pager.append(f'<a href="{self.page_path(number + 1)}">Next</a>')
        most_read = "".join(f'<li><a href="{f.path}">{f.title}</a></li>' for f in self.features)
        consult = "".join(
            f'<li><a href="/consultations/{slug}">{text}</a></li>'
            for slug, text in [
                ("local-plan-2040-draft", "Local plan 2040: have your say on the draft"),
                ("library-opening-hours-review", "Library opening hours review survey"),
                ("parking-permit-zones-consultation", "Parking permit zones consultation"),
                ("play-area-improvements-vote", "Vote for the play area improvements"),
            ]
        )
        return (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>News | Ashby Borough Council (page {number})</title></head><body>"
            '<div class="top"><a href="/">Ashby Borough Council</a> <a href="/bins">Bins and'
            ' recycling</a> <a href="/council-tax">Council tax</a> <a href="/news/">News</a></div>'
            '<div class="wrap"><div class="left"><h1>News</h1>'
            f'{main}<div class="paging">{" ".join(pager)}</div></div>'
            '<div class="right"><div class="box"><h3>Most read</h3>'
            f"<ul>{most_read}</ul></div>"
            f'<div class="box"><h3>Have your say</h3><ul>{consult}</ul></div></div></div>'
            '<div class="bottom"><a href="/accessibility-statement">Accessibility statement'
            " for this website</a></div></body></html>"
        )

    def _article(self, release: Release) -> Handler:
        label = "News release" if release.kind == "news" else "Feature"
        body = (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>{release.title} | Ashby Borough Council</title></head><body>"
            '<div class="top"><a href="/">Ashby Borough Council</a></div>'
            f'<div class="wrap"><div class="left"><h1>{release.title}</h1>'
            f'<p class="meta">{label} published {self.date_text(release.day)}</p>'
            f'<div class="content"><p>{release.title}. The council confirmed the details at its'
            " meeting this week, and officers will write to every household affected before any"
            " work begins.</p><p>Residents with questions can contact the customer services team"
            " by phone or at the town hall, which is open on weekdays from nine until five.</p>"
            "</div></div></div></body></html>"
        ).encode()

        def answer(_request: object) -> Reply:
            return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

        return answer
