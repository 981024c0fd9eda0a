"""An article's fields as they are found, each with the rule that produced it; first rule wins.

:class:`FieldBuilder` holds what :func:`pressroom.extractors.article.extract_article` has found
so far and reads the fields whose sources are tried in a fixed order: the dates (declared
selector, JSON-LD, meta, microdata, labelled text, ``<time>``, URL, bare date lines, script
data, ``<title>``; disagreeing metadata dates settled by the visible one), a disclosure header's
fields, the author and origin, and the language, lede and canonical URL. The order of the
sources is the table in :mod:`pressroom.extractors.article`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors.body import normalize_space
from pressroom.extractors.datelines import Dateline, find_dateline, other_items_date
from pressroom.extractors.dates import date_from_url, date_span, parse_date
from pressroom.extractors.govpage import Disclosure
from pressroom.extractors.labels import Labelled, byline_name
from pressroom.extractors.media import absolute_url
from pressroom.extractors.metadata import (
    AUTHOR_META,
    PUBLISHED_META,
    UPDATED_META,
    WEAK_PUBLISHED_META,
    MetaTags,
    script_published,
)
from pressroom.extractors.scan import PageScan
from pressroom.extractors.selectors import Declared, first_value
from pressroom.extractors.visible import (
    MACHINE_RULES,
    corroborated,
    first_visible_time,
    machine_dates,
)

__all__ = ["FieldBuilder"]

_DATE_TEXT_MAX = 120
_URL_LIKE = re.compile(r"^https?://|^/|^www\.", re.I)


class FieldBuilder:
    """Collects field values with the rule that produced each, first rule wins."""

    def __init__(
        self, url: str, profile: ExtractionProfile, soup: BeautifulSoup, scan: PageScan,
        meta: MetaTags,
    ) -> None:  # fmt: skip
        self.url = url
        self.profile = profile
        self.soup = soup
        self.scan = scan
        self.meta = meta
        self.fields: dict[str, Any] = {}
        self.rules: dict[str, str] = {}
        self.warnings: list[str] = []
        self.selected: dict[str, list[Tag]] = {}
        self.containers: list[Tag] = []
        self.date_line: str | None = None
        self.meta_order = profile.date_order
        self.html = ""
        href = scan.base.get("href") if scan.base is not None else None
        self.base_url = href if isinstance(href, str) and href.startswith("http") else url

    def set(self, name: str, value: Any, rule: str | None) -> bool:
        if value in (None, "", ()) or name in self.fields:
            return False
        self.fields[name] = value
        self.rules[name] = rule or "generic"
        return True

    def miss(self, name: str, declared: Declared) -> None:
        what = "nothing" if not self.selected.get(name) else f"no usable {name}"
        self.warnings.append(
            f"{name}_selector {declared.css!r} matched {what}; used the generic rule"
        )

    def override_text(self, name: str, declared: dict[str, Declared]) -> None:
        if name not in declared:
            return
        value = first_value(self.selected[name], strip_label=name != "title")
        if value:
            self.fields[name] = value
            self.rules[name] = declared[name].rule
        else:
            self.miss(name, declared[name])

    def parse(self, text: str | None) -> datetime | None:
        if not text:
            return None
        return parse_date(text, timezone=self.profile.timezone, date_order=self.profile.date_order)

    def parse_meta(self, raw: str | None) -> datetime | None:
        """A date the CMS wrote (meta, script): read in its own order, not the page language's."""
        if not raw:
            return None
        return parse_date(raw, timezone=self.profile.timezone, date_order=self.meta_order)

    def dates(self, ld: Any, labelled: Labelled, declared: dict[str, Declared]) -> None:
        if "date" in declared:
            value = self.parse(first_value(self.selected["date"]))
            if value is not None:
                self.set("published_at", value, declared["date"].rule)
            else:
                self.miss("date", declared["date"])
        if ld is not None:
            self.set("published_at", self.parse(ld.published), "json-ld")
            self.set("updated_at", self.parse(ld.modified), "json-ld")
        for names, field in ((PUBLISHED_META, "published_at"), (UPDATED_META, "updated_at")):
            for name in names:
                if field in self.fields:
                    break
                if name not in WEAK_PUBLISHED_META:
                    self._meta(field, name)
        for tag in self.scan.date_props:
            raw = (
                tag.get("content")
                or tag.get("datetime")
                or tag.get("title")
                or tag.get_text(" ")[:_DATE_TEXT_MAX]
            )
            if isinstance(raw, str) and self.set("published_at", self.parse(raw), "microdata"):
                break
        for field, hit in (("published_at", labelled.published), ("updated_at", labelled.updated)):
            if hit is not None:
                self.set(field, hit[0], hit[1])
        if "published_at" not in self.fields:
            for tag in self.scan.times:
                if self.scan.in_chrome(tag) or other_items_date(tag):
                    continue
                raw = tag.get("datetime")
                value = self.parse(raw if isinstance(raw, str) else tag.get_text(" "))
                if self.set("published_at", value, "time"):
                    self.date_line = normalize_space(tag.get_text(" ")) or None
                    break
        for name in PUBLISHED_META:
            if name in WEAK_PUBLISHED_META and "published_at" not in self.fields:
                self._meta("published_at", name)
        tz = self.profile.timezone
        self.set("published_at", date_from_url(self.url, timezone=tz), "url")
        if "published_at" not in self.fields:
            self._unlabelled_dates()
        if "published_at" not in self.fields:
            self._script_date()
        if "published_at" not in self.fields and self.soup.title is not None:
            title = self.soup.title.get_text(" ").strip()  # "08.11.2021 | Fachtag zum ..."
            span = date_span(title[:40])
            if span is not None and span[0] == 0:
                self.set("published_at", self.parse(title[: span[1]]), "title-date")
        if "published_at" not in self.fields:
            self.warnings.append("no publication date found")
        elif self.rules["published_at"].startswith(MACHINE_RULES):
            self._visible_pick(ld, labelled)

    def disclosure(self, found: Disclosure) -> None:
        """Header-table fields, and its 发布日期 where :meth:`Disclosure.replaces` says so."""
        for name, value in found.fields.items():
            self.set(name, value, "disclosure:" + found.labels[name])
        if found.published and found.replaces(
            self.fields.get("published_at"), self.rules.get("published_at")
        ):
            self.fields["published_at"] = found.published
            self.rules["published_at"] = "disclosure:" + (found.published_label or "")
            self.warnings = [w for w in self.warnings if w != "no publication date found"]

    def _visible_pick(self, ld: Any, labelled: Labelled) -> None:
        """Disagreeing metadata dates: the visible one wins
        (:mod:`pressroom.extractors.visible`)."""
        machine = machine_dates(ld, self.meta, self.scan, self.html, self.parse_meta)
        found = corroborated(self.fields["published_at"], machine, self._visible, labelled)
        if found is not None:
            self.fields["published_at"], self.rules["published_at"] = found[0], found[1] + "+meta"

    def _meta(self, field: str, name: str) -> None:
        found = self.meta.get(name)
        if found:
            self.set(field, self.parse_meta(found[1]), "meta:" + self.meta.original(name))

    def _script_date(self) -> None:
        """A publication-date key in a script's data object (``"publishDate": "..."``), read like
        JSON-LD: the CMS's own statement, not a date found in text."""
        for raw in script_published(self.html):
            if self.set("published_at", self.parse_meta(raw), "script"):
                return

    def _visible(self) -> Dateline | None:
        value = first_visible_time(self.scan, self.parse)
        if value is not None:
            return value, "time", None
        return find_dateline(self.scan, self._headline_element(), self.containers, self.parse)

    def _unlabelled_dates(self) -> None:
        """Last resorts: bare visible dates near the article
        (:mod:`pressroom.extractors.datelines`)."""
        found = find_dateline(self.scan, self._headline_element(), self.containers, self.parse)
        if found is not None and self.set("published_at", found[0], found[1]):
            self.date_line = found[2]

    def _headline_element(self) -> Tag | None:
        """The heading that holds the title, else the first ``<h1>`` (even in chrome)."""
        title = self.fields.get("title")
        first_h1 = None
        for heading in self.scan.headings:
            if title and normalize_space(heading.get_text(" ")) == title:
                return heading
            if first_h1 is None and heading.name == "h1":
                first_h1 = heading
        return first_h1

    def people(self, ld: Any, labelled: Labelled, declared: dict[str, Declared]) -> None:
        if ld is not None and ld.authors:
            self.set("author", ", ".join(dict.fromkeys(ld.authors)), "json-ld")
        found = self.meta.get(*AUTHOR_META)
        if found and not _URL_LIKE.match(found[1]):
            self.set("author", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        if labelled.author is not None:
            self.set("author", labelled.author[0], labelled.author[1])
        for tag in self.scan.bylines:
            if self.scan.in_chrome(tag):
                continue
            name = byline_name(normalize_space(tag.get_text(" ")))
            if (
                2 < len(name) <= 80
                and not _URL_LIKE.match(name)
                and self.set("author", name, "byline")
            ):
                break
        self.override_text("author", declared)
        found = self.meta.get("contentsource")
        if found:
            self.set("origin", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        if labelled.origin is not None:
            self.set("origin", labelled.origin[0], labelled.origin[1])
        if ld is not None and ld.is_article:
            self.set("origin", ld.publisher, "json-ld:publisher")
        self.override_text("origin", declared)

    def misc(self, ld: Any, paragraphs: list[str]) -> None:
        html = self.soup.html
        lang = (html.get("lang") or html.get("xml:lang")) if html is not None else None
        self.set("language", lang.strip() if isinstance(lang, str) else None, "html-lang")
        self.set("language", self.profile.language, "profile")
        found = self.meta.get("content-language", "og:locale")
        if found:
            self.set("language", found[1], "meta:" + self.meta.original(found[0]))
        if ld is not None:
            self.set("language", ld.language, "json-ld")
        self.set("lede", paragraphs[0] if paragraphs else None, "first-paragraph")
        found = self.meta.get("description", "og:description")
        if found:
            self.set("lede", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        for link in self.scan.links:
            rel = link.get("rel")
            href = link.get("href")
            if (
                isinstance(href, str)
                and href.strip()
                and "canonical" in str(rel or "").lower().split()
            ):
                self.set("canonical_url", absolute_url(self.url, href), "link:canonical")
                break
        found = self.meta.get("og:url")
        if found and found[1].startswith("http"):
            self.set("canonical_url", found[1], "meta:og:url")
