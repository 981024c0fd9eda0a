"""A newsroom's life as a stateful property test: any sequence of site changes and runs.

Hypothesis drives a :class:`~tests.sequences.site.Newsroom` on loopback through what real
newsrooms do (articles appear, are corrected, are taken down with a 404; the template is
redesigned so that dates or bodies vanish, then repaired; the server answers 503, robots.txt
answers 500, responses stall past the read timeout) and through what people run
(``ingest``, ``ingest --recheck``, ``backfill`` of a window, ``backfill --refetch``,
``reparse``, and a ``pressroom ingest`` process SIGKILLed halfway). A failure lasts for the
next run only.

After every step:
- no article is stored twice (by URL or by id);
- no stored field goes from a value to NULL;
and after a clean ``ingest`` (no failure injected, the normal template) the warehouse holds
exactly the site's current articles, at their current content, plus the ones taken down
(kept, as an archive should) -- every article back to the oldest one a run was asked to
cover: the whole site when the source began with an ingest, else the start of the earliest
backfill window.
A clean backfill holds every current article of its window (at current content with
``--refetch``).

Each step runs real flows against the session's Prefect API, so the run is bounded:
``MAX_EXAMPLES`` sequences of up to ``STEPS`` steps, derandomized (about 90 s). A longer random
hunt: ``PRESSROOM_LIFECYCLE_EXAMPLES=60 pytest -s tests/sequences/test_lifecycle.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.sequences.harness import FIELDS, Pressroom, Stored
from tests.sequences.site import Newsroom, Template

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

MAX_EXAMPLES = int(os.environ.get("PRESSROOM_LIFECYCLE_EXAMPLES", "8"))
STEPS = int(os.environ.get("PRESSROOM_LIFECYCLE_STEPS", "14"))
SOAK = "PRESSROOM_LIFECYCLE_EXAMPLES" in os.environ  # a longer, random hunt, run by hand
FIRST_DAY = date(2024, 9, 2)
START_ARTICLES = 30  # weekly, five to a listing page: six pages; two extraction groups


class NewsroomLife(RuleBasedStateMachine):
    """The model: the site (which knows its current articles) and what a run must have loaded."""

    api_url: ClassVar[str] = ""
    log: ClassVar[list[str]] = []  # every step's name, across examples (for the report)

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-life-"))
        self.site = Newsroom.dated(FIRST_DAY, START_ARTICLES, every_days=7)
        self.site.__enter__()
        self.pressroom = Pressroom(self.site, self.folder)
        self.previous: dict[str, Stored] = {}
        self.floor: date | None = None  # a clean ingest must hold every article from here on
        self.failure: str | None = None  # injected for the next run only
        self.run_started = 0.0

    def teardown(self) -> None:
        self.site.__exit__(None, None, None)
        shutil.rmtree(self.folder, ignore_errors=True)

    @initialize(first=st.sampled_from(["ingest", "backfill"]), weeks_back=st.integers(2, 12))
    def add_the_source(self, first: str, weeks_back: int) -> None:
        """A user adds the newsroom and either lets the schedule run or backfills a window."""
        self.log.append("--- new newsroom")
        if first == "ingest":
            self.ingest(recheck=False)
        else:
            self.backfill(weeks_back, weeks_back // 2, refetch=False)

    # -- the site changes -----------------------------------------------------------------

    @rule(count=st.integers(1, 6))
    def publish(self, count: int) -> None:
        for _ in range(count):
            self.site.add()
        self.log.append(f"publish {count}")

    @precondition(lambda self: self.site.articles)
    @rule(pick=st.integers(0, 10_000))
    def correct(self, pick: int) -> None:
        index = pick % len(self.site.articles)
        self.site.correct(index)
        self.log.append(f"correct #{index}")

    @precondition(lambda self: len(self.site.articles) > 1)
    @rule(pick=st.integers(0, 10_000))
    def take_down(self, pick: int) -> None:
        index = pick % len(self.site.articles)
        self.site.remove(index)
        self.log.append(f"take down #{index}")

    @rule(template=st.sampled_from(["no-date", "no-body", "normal"]))
    def redesign(self, template: Template) -> None:
        self.site.redesign(template)
        self.log.append(f"template {template}")

    @rule(kind=st.sampled_from(["503", "robots-500", "stall"]), count=st.integers(1, 8))
    def break_server(self, kind: str, count: int) -> None:
        if kind == "503":
            self.site.fail_requests(count)
        elif kind == "stall":
            self.site.slow_requests(min(count, 3))
        else:
            self.site.robots_down()
        self.failure = kind
        self.log.append(f"server {kind} x{count}")

    # -- people run pressroom -------------------------------------------------------------

    @rule(recheck=st.booleans())
    def ingest(self, recheck: bool) -> None:
        clean = self._before_run()
        self.pressroom.ingest(recheck=recheck)
        self._ingested()
        self._after_run(f"ingest{' --recheck' if recheck else ''}")
        if clean:
            self._check_holds_the_site()

    @rule(weeks_back=st.integers(0, 30), weeks_long=st.integers(0, 20), refetch=st.booleans())
    def backfill(self, weeks_back: int, weeks_long: int, refetch: bool) -> None:
        newest = self.site.articles[0].published if self.site.articles else FIRST_DAY
        since = newest - timedelta(weeks=weeks_back)
        until = since + timedelta(weeks=weeks_long)
        clean = self._before_run()
        self.pressroom.backfill(since, until, refetch=refetch)
        if self.floor is None or since < self.floor:
            self.floor = since
        self._after_run(f"backfill {since}..{until}{' --refetch' if refetch else ''}")
        if clean:
            self._check_holds_the_window(since, until, current=refetch)

    @precondition(lambda self: self.previous)
    @rule()
    def reparse(self) -> None:
        self._before_run()
        self.pressroom.reparse()
        self._after_run("reparse")

    @precondition(lambda self: self.site.articles)
    @rule(after=st.integers(1, 30), once_staged=st.booleans())
    def kill_an_ingest(self, after: int, once_staged: bool) -> None:
        self._before_run()
        self.site.article_delay = 0.05
        try:
            killed = self.pressroom.kill_mid_ingest(
                self.api_url, after_articles=after, once_staged=once_staged
            )
        finally:
            self.site.article_delay = 0.0
        self._ingested()
        when = f"{after} pages{' and a staged batch' if once_staged else ''}"
        self._after_run(f"ingest SIGKILLed after {when} ({'killed' if killed else 'done'})")

    # -- what must hold ---------------------------------------------------------------------

    @invariant()
    def nothing_is_stored_twice(self) -> None:
        rows = self.pressroom.stored()
        urls = [r.url for r in rows]
        ids = [r.article_id for r in rows]
        assert len(set(urls)) == len(urls), f"duplicate URLs: {sorted(urls)}"
        assert len(set(ids)) == len(ids), f"duplicate article ids: {sorted(ids)}"
        assert self.pressroom.duplicate_keys() == {}  # versions and pages too

    @invariant()
    def no_stored_value_becomes_null(self) -> None:
        now = self.pressroom.by_path()
        for path, before in self.previous.items():
            assert path in now, f"{path} was stored and is gone from articles"
            lost = [f for f in FIELDS if before.field(f) is not None and now[path].field(f) is None]
            assert not lost, f"{path}: {lost} went from a value to NULL"
        self.previous = now

    # -- helpers ----------------------------------------------------------------------------

    def _before_run(self) -> bool:
        """Start the clock; True when the run is clean (no failure, the normal template)."""
        self.run_started = time.monotonic()
        return self.failure is None and self.site.template == "normal"

    def _ingested(self) -> None:
        """An ingest of a new source covers its whole listing; after a backfill it covers
        what is newer than the backfill's window (the window's start stays the floor)."""
        if self.floor is None:
            self.floor = date.min

    def _after_run(self, step: str) -> None:
        self.site.clear_failures()
        self.failure = None
        self.log.append(f"{step} [{time.monotonic() - self.run_started:.1f} s]")

    def _check_holds_the_site(self) -> None:
        stored = self.pressroom.by_path()
        floor = self.floor or date.min
        due = {a.path for a in self.site.articles if a.published >= floor}
        missing = sorted(due - set(stored))
        assert not missing, f"a clean ingest left {len(missing)} of {len(due)} missing: {missing}"
        allowed = set(self.site.by_path()) | {a.path for a in self.site.removed.values()}
        strangers = sorted(set(stored) - allowed)
        assert not strangers, f"stored but never on the site: {strangers}"
        current = self.site.by_path()
        stale = {p: stored[p].differs_from(current[p]) for p in due}
        stale = {p: fields for p, fields in stale.items() if fields}
        assert not stale, f"a clean ingest left stale fields: {stale}"

    def _check_holds_the_window(self, since: date, until: date, *, current: bool) -> None:
        stored = self.pressroom.by_path()
        window = [a for a in self.site.articles if since <= a.published <= until]
        missing = sorted(a.path for a in window if a.path not in stored)
        assert not missing, f"a clean backfill {since}..{until} left missing: {missing}"
        if current:
            stale = {a.path: stored[a.path].differs_from(a) for a in window}
            stale = {p: fields for p, fields in stale.items() if fields}
            assert not stale, f"backfill --refetch left stale fields: {stale}"


def test_any_sequence_of_site_changes_and_runs_keeps_the_warehouse_right(api_url: str) -> None:
    NewsroomLife.api_url = api_url
    NewsroomLife.log = []
    run_state_machine_as_test(
        NewsroomLife,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not SOAK,
            suppress_health_check=list(HealthCheck),
        ),
    )
    runs = [s for s in NewsroomLife.log if s.split()[0] in {"ingest", "backfill", "reparse"}]
    print("\n".join(NewsroomLife.log))
    print(
        f"{NewsroomLife.log.count('--- new newsroom')} sequences, {len(NewsroomLife.log)} steps,"
        f" {len(runs)} runs"
    )
