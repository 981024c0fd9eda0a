"""Issue 13, items 2 and 3 through the real flows: a UK council that prints ``07/01/2023`` for
7 January and a US city that prints ``03/04/2023`` for March 4, served on loopback, generic mode
(no selectors), configured with only id, start_urls, timezone and language.

The council's first listing page shows only dates whose day is 12 or less; the first day above
12 (``31/03/2023``) appears on page 2. A backfill of 2023-01-01..2023-03-31 must load exactly
the quarter's articles, edges included, and nothing either side of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from pressroom.flows.ingest import backfill, ingest
from tests.crawler.server import Reply, TestServer
from tests.e2e.conftest import query, run_cli

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

WINDOW = (date(2023, 1, 1), date(2023, 3, 31))


@dataclass(frozen=True)
class Notice:
    """One article of a test newsroom: what its listing row says and what its page says."""

    slug: str
    title: str
    listed: date
    page: date | None = None  # the page's own day, when it differs from the listing's

    @property
    def day(self) -> date:
        return self.page or self.listed


COUNCIL_TOPICS = (
    "Bin collections move to Tuesdays in the north ward",
    "Library opening hours extended over the exam season",
    "Road resurfacing on the High Street starts next week",
    "Consultation opens on the new town centre parking plan",
    "Leisure centre pool reopens after roof repairs",
    "Council tax reminders sent to every household",
    "Tree planting volunteers wanted for the riverside park",
    "Planning committee approves the school extension",
    "Winter gritting routes published for the district",
    "Community grants scheme open for applications",
    "Flood defence work begins near the old mill",
    "Parking charges frozen for another year",
    "New recycling centre opening times announced",
    "Mayor thanks volunteers at the civic awards",
    "Public toilets refurbished in the market square",
    "Youth football pitches to get new floodlights",
    "Allotment waiting list reopens for residents",
    "Draft budget published for public comment",
)

# newest first; four rows a listing page. Page 1 has no day above 12: only page 2 tells.
UK_DAYS = (
    date(2023, 4, 12), date(2023, 4, 6), date(2023, 4, 3), date(2023, 4, 1),
    date(2023, 3, 31), date(2023, 3, 20), date(2023, 3, 9), date(2023, 3, 2),
    date(2023, 2, 17), date(2023, 2, 11), date(2023, 2, 6), date(2023, 1, 25),
    date(2023, 1, 7), date(2023, 1, 1), date(2022, 12, 31), date(2022, 12, 5),
    date(2022, 11, 10), date(2022, 10, 2),
)  # fmt: skip
US_DAYS = (
    date(2023, 4, 10), date(2023, 4, 3), date(2023, 4, 1), date(2023, 3, 31),
    date(2023, 3, 4), date(2023, 2, 14), date(2023, 1, 7), date(2023, 1, 1),
    date(2022, 12, 31), date(2022, 12, 5), date(2022, 11, 10),
)  # fmt: skip


def _notices(prefix: str, days: tuple[date, ...], moved: dict[int, date]) -> list[Notice]:
    return [
        Notice(f"{prefix}-{n:02d}", COUNCIL_TOPICS[n], day, moved.get(n))
        for n, day in enumerate(days)
    ]


def _listing(rows: list[str], page: int, last: bool) -> bytes:
    pager = "" if last else f'<a class="next" href="/news/page/{page + 1}">Next page</a>'
    return f"""<!doctype html><html lang="en"><head><title>News | Borough Council</title></head>
<body><header><nav><a href="/">Home</a> <a href="/bins">Bins and recycling</a>
<a href="/council-tax">Council tax</a></nav></header>
<main><h1>News and press releases</h1><ul class="news-list">{"".join(rows)}</ul>
<div class="paging">{pager}</div></main>
<footer><p>Borough Council, Town Hall, Market Square. Registered office.</p></footer>
</body></html>""".encode()


def _article(notice: Notice, printed: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><title>{notice.title}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
<main><article><h1>{notice.title}</h1>
<p class="published">Published: {printed}</p>
<p>The council confirmed the change at its meeting this week, after residents raised the
matter with their ward councillors over several months.</p>
<p>Further details, including maps and a list of affected streets, are available at the
customer service centre in the town hall and from the council's contact team.</p>
<p>A spokesperson said the council would keep residents informed as the work goes on.</p>
</article></main><footer><p>Borough Council press office</p></footer></body></html>""".encode()


class Newsroom:
    """A newsroom served on a TestServer: four notices a listing page, newest first."""

    def __init__(self, server: TestServer, notices: list[Notice], fmt: str) -> None:
        self.server, self.notices = server, notices
        server.route("/robots.txt", Reply(404))
        pages = [notices[i : i + 4] for i in range(0, len(notices), 4)]
        for number, members in enumerate(pages, start=1):
            rows = [
                f'<li class="news-item"><a href="/news/{n.slug}.html">{n.title}</a>'
                f' <span class="date">{n.listed.strftime(fmt)}</span></li>'
                for n in members
            ]
            path = "/news/" if number == 1 else f"/news/page/{number}"
            server.route(path, _listing(rows, number, number == len(pages)))
        for n in notices:
            server.route(f"/news/{n.slug}.html", _article(n, n.day.strftime(fmt)))

    def url(self, notice: Notice) -> str:
        return self.server.url(f"/news/{notice.slug}.html")


def _config(tmp_path: Path, sources: dict[str, tuple[Newsroom, str]]) -> Path:
    text = [f'[warehouse]\npath = "{tmp_path / "wh.duckdb"}"\n']
    for source_id, (room, zone) in sources.items():
        text.append(
            f'[[sources]]\nid = "{source_id}"\nstart_urls = ["{room.server.url("/news/")}"]\n'
            f'timezone = "{zone}"\nlanguage = "en"\n'
        )
    path = tmp_path / "pressroom.toml"
    path.write_text("\n".join(text), encoding="utf-8")
    return path


@pytest.fixture
def rooms(tmp_path: Path) -> Iterator[tuple[Newsroom, Newsroom, Path]]:
    with TestServer() as uk_server, TestServer() as us_server:
        # the page of notice 11 (listed 25/01/2023) says it was published a day later
        uk = Newsroom(uk_server, _notices("uk", UK_DAYS, {11: date(2023, 1, 26)}), "%d/%m/%Y")
        us = Newsroom(us_server, _notices("us", US_DAYS, {}), "%m/%d/%Y")
        zones = {"council": (uk, "Europe/London"), "city": (us, "America/New_York")}
        config = _config(tmp_path, zones)
        yield uk, us, config


def _loaded(warehouse: Path, source_id: str) -> dict[str, date]:
    rows = query(
        warehouse,
        "SELECT a.url, (a.published_at AT TIME ZONE s.timezone)::DATE FROM articles AS a"
        " JOIN sources AS s USING (source_id) WHERE a.source_id = ?",
        [source_id],
    )
    return dict(rows)


def _measure(room: Newsroom, loaded: dict[str, date], since: date | None = None,
             until: date | None = None) -> tuple[int, int, int, int]:  # fmt: skip
    """(expected, loaded, loaded with the right day, extra rows) for one newsroom."""
    expected = {
        room.url(n): n.day
        for n in room.notices
        if (since is None or n.day >= since) and (until is None or n.day <= until)
    }
    right = sum(loaded.get(url) == day for url, day in expected.items())
    extra = len(set(loaded) - set(expected))
    return len(expected), len(set(loaded) & set(expected)), right, extra


def _runs(warehouse: Path, source_id: str) -> list[tuple[int, int, str]]:
    return query(
        warehouse,
        "SELECT uncertain_dates, date_disagreements, date_order FROM runs WHERE source_id = ?"
        " ORDER BY started_at",
        [source_id],
    )


def test_an_ingest_loads_every_article_with_the_day_its_page_prints(rooms, caplog) -> None:
    uk, us, config = rooms
    warehouse = config.parent / "wh.duckdb"
    summaries = {s["source_id"]: s for s in asyncio.run(ingest(config_path=str(config)))}

    council = _measure(uk, _loaded(warehouse, "council"))
    city = _measure(us, _loaded(warehouse, "city"))
    print(f"ingest council expected/loaded/right-day/extra {council}, city {city}")
    assert council == (18, 18, 18, 0)
    assert city == (11, 11, 11, 0)
    # the listing said 25/01/2023, the page 26/01/2023: the page won, and it was counted
    assert summaries["council"]["counts"]["date_disagreements"] == 1
    assert summaries["city"]["counts"]["date_disagreements"] == 0
    ((uncertain, disagreements, order),) = _runs(warehouse, "council")
    assert (uncertain, disagreements) == (0, 1)
    assert order.startswith("DMY (source")  # page 2's 31/03/2023 decided, for the article pages
    assert _runs(warehouse, "city")[0][2].startswith("MDY (source")
    warned = [r for r in caplog.records if "another day than the listing" in r.getMessage()]
    assert [r.getMessage().split(":")[0] for r in warned] == ["council"]  # once, for the source


def test_a_quarter_backfill_loads_exactly_the_quarter_edges_included(rooms) -> None:
    uk, us, config = rooms
    warehouse = config.parent / "wh.duckdb"
    results = {}
    for source_id in ("council", "city"):
        results[source_id] = asyncio.run(
            backfill(source_id=source_id, since=WINDOW[0], until=WINDOW[1], config_path=str(config))
        )

    council = _measure(uk, _loaded(warehouse, "council"), *WINDOW)
    city = _measure(us, _loaded(warehouse, "city"), *WINDOW)
    print(f"backfill council expected/loaded/right-day/extra {council}, city {city}")
    assert council == (10, 10, 10, 0)
    assert city == (5, 5, 5, 0)
    # kept for their own page to decide: 03/04 and 01/04 (page 1, order from the time zone
    # only), 31/03, 01/01 and 31/12 (a day from the edges); 03/04, 01/04 and 31/12 then dropped
    uncertain = sum(s["counts"]["uncertain_dates"] for s in results["council"])
    assert uncertain == 5
    assert sum(row[0] for row in _runs(warehouse, "council")) == 5
    # 04/01/2023 and 12/31/2022 sit a day outside the window, 03/31 and 01/01 on its edges
    assert sum(s["counts"]["uncertain_dates"] for s in results["city"]) == 4


def test_check_source_prints_how_numeric_dates_were_read(rooms) -> None:
    _, _, config = rooms
    result = run_cli("--config", str(config), "check-source", "council")
    assert result.exit_code == 0, result.output
    # page 1 shows no day above 12: the listing and its first article read by the time zone
    lines = [line.strip() for line in result.output.splitlines() if "numeric dates" in line]
    assert lines == ["numeric dates read DMY (timezone: Europe/London)"] * 2


def test_later_runs_read_ambiguous_dates_the_way_earlier_pages_proved(tmp_path: Path) -> None:
    """A council configured with only ``timezone = "UTC"`` and ``language = "en"``: nothing but
    its pages can tell the order. The first ingest sees 31/03/2023 on listing page 2; a month
    later four notices are new (a full listing page, 10/05/2023 to 02/05/2023), and every date
    the next ingest reads (those and page 2's, 12/04/2023 to 01/04/2023) is ambiguous. It must
    still read them day-first, from what the earlier run saw."""
    with TestServer() as server:
        notices = _notices("uk", UK_DAYS, {})
        room = Newsroom(server, notices, "%d/%m/%Y")
        config = _config(tmp_path, {"council": (room, "UTC")})
        warehouse = tmp_path / "wh.duckdb"
        asyncio.run(ingest(config_path=str(config)))
        assert _measure(room, _loaded(warehouse, "council")) == (18, 18, 18, 0)

        fresh = [
            Notice(f"uk-new-{n}", f"{topic} (May update)", date(2023, 5, day))
            for n, (day, topic) in enumerate(zip((10, 8, 4, 2), COUNCIL_TOPICS, strict=False))
        ]
        room = Newsroom(server, [*fresh, *notices], "%d/%m/%Y")
        (summary,) = asyncio.run(ingest(config_path=str(config)))
        assert summary["counts"]["articles_new"] == 4
        loaded = _loaded(warehouse, "council")
        assert [loaded[room.url(n)] for n in fresh] == [n.day for n in fresh]  # not 5 October...
        first, second = _runs(warehouse, "council")
        assert first[2].startswith("DMY (page") or first[2].startswith("DMY (source")
        assert second[2].startswith("DMY (source: 31/03/2023")  # the earlier run's evidence
        counts = query(
            warehouse,
            "SELECT date_day_first, date_month_first FROM runs WHERE source_id = 'council'"
            " ORDER BY started_at",
        )
        assert counts[0][0] >= 1 and counts[0][1] == 0  # run 1: page 2's days above 12
        assert counts[1] == (0, 0)  # run 2's page 1 proved nothing itself

        result = run_cli("--config", str(config), "check-source", "council")
        assert result.exit_code == 0, result.output
        lines = [line.strip() for line in result.output.splitlines() if "numeric dates" in line]
        assert lines and all(line.startswith("numeric dates read DMY (source") for line in lines)
