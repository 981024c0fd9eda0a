"""Pagers drawn by script on Chinese government CMSs (TRS WCM and its copies).

These listings carry no static link to the next page: an inline script draws the pager.

* ``createPageHTML(countPage, currentPage, "index", "html")``: ``currentPage`` is 0-based;
  page 0 is ``index.html``, page c is ``index_c.html``.
* ``createPageHTML('page_div', pageCount, currentPage, 'index', 'shtml', totalRecords)``:
  ``currentPage`` is 1-based; page 1 is ``index.shtml``, page k (k >= 2) is ``index_k.shtml``
  (there is no ``index_1``).
* Arguments may be variable names (``var countPage = 5; var currentPage = 0;``), defined in
  the same script or another one; a count the scripts do not give comes from "共N页" text.
* "本频道最多N页" (the CMS shows at most N pages) is read as the listing's cap.
* With no ``createPageHTML`` call, a page count from "共N页" text (or a ``countPage``-style
  variable) still gives the next page when the page's own URL is TRS-named
  (``index.html``, ``index_3.shtml``): the default four-argument numbering (page k is
  ``index_(k-1)``), the current page from "当前第k页" / "第k/N页" text or else from the URL.

The next page is never guessed past the page count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pressroom.core.articles import PagerInfo
from pressroom.extractors.urls import normalize_url

__all__ = ["ScriptPager", "cap_reached", "read_pager"]

_CALL = re.compile(r"(?<!function\s)\bcreatePageHTML\s*\(([^()]*)\)")
_VAR = re.compile(r"\b(?:var|let|const)\s+(\w+)\s*=\s*(?:['\"]([^'\"]*)['\"]|(-?\d+))")
_TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页")
_CAP = re.compile(r"最多(?:显示|只显示)?\s*(\d+)\s*页")
_WORD = re.compile(r"^[\w.-]+$")
_CURRENT = re.compile(r"当前第\s*(\d+)\s*页|第\s*(\d+)\s*/\s*(\d+)\s*页")
_COUNT_VARS = ("countPage", "pageCount", "nPageCount", "totalPage", "pageTotal", "page_count")
_TRS_FILE = re.compile(r"/(?P<stem>[A-Za-z][\w-]*?)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")


@dataclass(frozen=True)
class ScriptPager:
    """A pager read from the page: where its pages are and how many there are."""

    info: PagerInfo
    stem: str | None = None
    ext: str | None = None
    one_based: bool = False
    """The 6-argument form: page k is ``stem_k`` (else page k is ``stem_(k-1)``)."""

    def next_url(self, page_url: str) -> str | None:
        """The page after this one, or None on the last page (or with no URL pattern)."""
        count, current = self.info.count, self.info.current
        if self.stem is None or self.ext is None or count is None or current is None:
            return None
        if current >= count:
            return None
        number = current + 1 if self.one_based else current  # page current + 1
        return normalize_url(f"{self.stem}_{number}.{self.ext}", base=page_url)


def _value(arg: str, variables: dict[str, str]) -> str:
    arg = arg.strip().strip("'\"").strip()
    return variables.get(arg, arg)


def _number(arg: str) -> int | None:
    return int(arg) if arg.lstrip("-").isdigit() else None


def read_pager(
    scripts: Iterable[str], text: str, page_url: str | None = None
) -> ScriptPager | None:
    """The pager of a listing page from its inline ``scripts`` and its visible ``text``;
    ``page_url`` numbers the pages of a pager that is only a count (see the module doc)."""
    codes = [code for code in scripts if code]
    variables: dict[str, str] = {}
    for code in codes:
        for name, quoted, digits in _VAR.findall(code):
            variables[name] = quoted if quoted or not digits else digits
    pages = _TOTAL_PAGES.search(text)
    text_count = int(pages.group(1)) if pages else None
    cap_match = _CAP.search(text) or next(filter(None, (_CAP.search(c) for c in codes)), None)
    cap = int(cap_match.group(1)) if cap_match else None
    for code in codes:
        for match in _CALL.finditer(code):
            pager = _from_call(match.group(1), variables, text_count, cap)
            if pager is not None:
                return pager
    count = text_count if text_count is not None else _count_variable(variables)
    shown = _CURRENT.search(text)
    if count is None and shown and shown.group(3):
        count = int(shown.group(3))
    if count is None and cap is None:
        return None
    return _from_count(count, cap, shown, page_url)


def _count_variable(variables: dict[str, str]) -> int | None:
    for name in _COUNT_VARS:
        if (value := _number(variables.get(name, ""))) is not None and value > 0:
            return value
    return None


def _from_count(
    count: int | None, cap: int | None, shown: re.Match[str] | None, page_url: str | None
) -> ScriptPager:
    """A pager that is only a page count (``shown``: its "当前第k页" text, if any), numbered
    like TRS's four-argument form from the page's file name."""
    named = _TRS_FILE.search(urlsplit(page_url).path) if page_url else None
    current: int | None = None
    if shown:
        current = int(shown.group(1) or shown.group(2))
    elif named:
        current = int(named["n"]) + 1 if named["n"] else 1
    info = PagerInfo(count=count, current=current, cap=cap)
    if named is None or count is None or current is None:
        return ScriptPager(info)
    return ScriptPager(info, stem=named["stem"], ext=named["ext"])  # relative to the page


def _from_call(
    raw_args: str, variables: dict[str, str], text_count: int | None, cap: int | None
) -> ScriptPager | None:
    args = [_value(a, variables) for a in raw_args.split(",")]
    if len(args) >= 6:  # ('div', count, current, stem, ext, total)
        count, current = _number(args[1]), _number(args[2])
        stem, ext, total = args[3], args[4], _number(args[5])
        one_based = True
    elif len(args) == 4:  # (count, current, stem, ext)
        count, current = _number(args[0]), _number(args[1])
        stem, ext, total = args[2], args[3], None
        one_based = False
    else:
        return None
    if not (_WORD.match(stem) and _WORD.match(ext)) or current is None:
        return None
    count = count if count is not None else text_count
    if count is None:
        return None
    shown = current if one_based else current + 1
    info = PagerInfo(count=count, current=max(1, shown), total_records=total, cap=cap)
    return ScriptPager(info, stem=stem, ext=ext, one_based=one_based)


def cap_reached(pager: PagerInfo | None, per_page: int) -> int | None:
    """The cap a listing walk stopped at on its last page, when older articles are expected.

    Either the CMS prints its cap ("本频道最多N页") and this is page N, or the pager's
    record count is more than its pages hold (``per_page`` links a page).
    """
    if pager is None or pager.count is None:
        return None
    last = pager.current is None or pager.current >= pager.count
    if not last:
        return None
    if pager.cap is not None and pager.count >= pager.cap:
        return pager.cap
    total = pager.total_records
    if total is not None and per_page and total > pager.count * per_page:
        return pager.count
    return None
