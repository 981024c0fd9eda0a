"""Pagers drawn by script (issue 13): each form, variables, "共N页", caps; never past the count."""

from __future__ import annotations

import pytest

from pressroom.core.articles import PagerInfo
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.pagers import cap_reached, read_pager

BASE = "http://www.linjiang.gov.cn/xxgk/tzgg/"


def _rows(count: int = 3) -> str:
    return "".join(
        f"<li><a href='./202303/t2023031{k}_{k}.html'>关于做好第{k}批重点项目申报工作的通知</a>"
        f"<span>2023-03-1{k}</span></li>"
        for k in range(count)
    )


def _next(script: str, url: str, text: str = "") -> tuple[str, ...]:
    page = (
        f"<html><body><ul class='list'>{_rows()}</ul>{text}<script>{script}</script></body></html>"
    )
    return parse_listing(page, url).next_urls


@pytest.mark.parametrize(
    ("current", "url", "expected"),
    [
        (0, "index.html", "index_1.html"),  # page 0 is index.html
        (1, "index_1.html", "index_2.html"),
        (3, "index_3.html", "index_4.html"),
        (4, "index_4.html", None),  # the fifth of five pages
    ],
)
def test_four_argument_form_counts_from_zero(current: int, url: str, expected: str | None) -> None:
    found = _next(f'createPageHTML(5, {current}, "index", "html");', BASE + url)
    assert found == ((BASE + expected,) if expected else ())


@pytest.mark.parametrize(
    ("current", "url", "expected"),
    [
        (1, "index.shtml", "index_2.shtml"),  # page 1 is index.shtml: there is no index_1
        (2, "index_2.shtml", "index_3.shtml"),
        (4, "index_4.shtml", "index_5.shtml"),
        (5, "index_5.shtml", None),
    ],
)
def test_six_argument_form_counts_from_one(current: int, url: str, expected: str | None) -> None:
    script = f"createPageHTML('page_div', 5, {current}, 'index', 'shtml', 97);"
    found = _next(script, BASE + url)
    assert found == ((BASE + expected,) if expected else ())


def test_variables_passed_by_name_and_htm_extension() -> None:
    script = "var countPage = 4//共多少页\nvar currentPage = 2;//当前页\n"
    script += 'createPageHTML(countPage, currentPage, "list", "htm");'
    assert _next(script, BASE + "list_2.htm") == (BASE + "list_3.htm",)
    last = "var countPage = 4;var currentPage = 3;"
    last += 'createPageHTML(countPage, currentPage, "list", "htm");'
    assert _next(last, BASE + "list_3.htm") == ()


def test_count_from_text_when_the_script_does_not_give_it() -> None:
    script = 'var currentPage = 1; createPageHTML(nPageCount, currentPage, "index", "html");'
    assert _next(script, BASE + "index_1.html", "<div>共3页 当前第2页</div>") == (
        BASE + "index_2.html",
    )
    assert _next(script, BASE + "index_1.html", "<div>共2页</div>") == ()
    assert _next(script, BASE + "index_1.html") == ()  # no count anywhere: no guess


def test_a_function_definition_is_not_a_call() -> None:
    script = (
        "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {"
        " if (_nPageCount <= 1) { return; } }"
    )
    assert _next(script, BASE + "index.html") == ()


def test_pager_info_is_on_the_listing_page() -> None:
    script = "createPageHTML('page_div', 50, 50, 'index', 'shtml', 2300);"
    html = f"<ul>{_rows(20)}</ul><p>本频道最多50页</p><script>{script}</script>"
    page = parse_listing(html, BASE + "index_50.shtml")
    assert page.pager == PagerInfo(count=50, current=50, total_records=2300, cap=50)
    assert page.next_urls == ()


def test_cap_reached_on_the_last_page_only() -> None:
    assert cap_reached(PagerInfo(count=50, current=50, cap=50), per_page=20) == 50
    assert cap_reached(PagerInfo(count=50, current=49, cap=50), per_page=20) is None
    # more records than the pages hold: capped without saying so
    assert cap_reached(PagerInfo(count=5, current=5, total_records=140), per_page=20) == 5
    assert cap_reached(PagerInfo(count=5, current=5, total_records=95), per_page=20) is None
    assert cap_reached(None, per_page=20) is None


def test_read_pager_reads_variables_from_another_script() -> None:
    pager = read_pager(
        [
            "var countPage = 7;",
            "var currentPage = 0;",
            'createPageHTML(countPage, currentPage, "index", "html")',
        ],
        "",
    )
    assert pager is not None and pager.info == PagerInfo(count=7, current=1)
    assert pager.next_url(BASE + "index.html") == BASE + "index_1.html"


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("index.html", "<div>共5页</div>", "index_1.html"),  # page 1 -> page 2 is index_1
        ("index_3.html", "<div>共5页</div>", "index_4.html"),
        ("index_4.html", "<div>共5页</div>", None),  # page 5 of 5
        ("list_1.htm", "<div>共3页 当前第2页</div>", "list_2.htm"),
        ("index.shtml", "<div>第1/2页</div>", "index_1.shtml"),
        ("index.html", "", None),  # no count anywhere: no guess
        ("detail.jsp", "<div>共5页</div>", None),  # not a TRS-named page: no guess
    ],
)
def test_a_count_without_a_pager_call_numbers_pages_by_the_url(
    url: str, text: str, expected: str | None
) -> None:
    found = _next("var x = 1;", BASE + url, text)
    assert found == ((BASE + expected,) if expected else ())


def test_a_count_variable_without_a_call() -> None:
    assert _next("var countPage = 3;", BASE + "index.html") == (BASE + "index_1.html",)
