"""Hanweb jcms datastore and endpoint parsing, document.write links, full titles (issue 13)."""

from __future__ import annotations

import pytest

from pressroom.core.articles import ListingRequest
from pressroom.extractors.endpoints import parse_endpoint_answer
from pressroom.extractors.hanweb import (
    datastore_records,
    endpoint_request,
    next_request,
    read_answer,
)
from pressroom.extractors.headlines import full_title
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.scripts import expand_scripts, written_html

COLUMN = "http://www.qingchuan.gov.cn/col/col1229/index.html"
PROXY = "http://www.qingchuan.gov.cn/module/web/jpage/dataproxy.jsp"


def _record(n: int) -> str:
    title = f"青川市人民政府关于第{n}批城市更新项目实施方案的批复意见"
    return (
        f'<record><![CDATA[<li><a href="/art/2023/3/{n}/art_1229_{500 + n}.html" '
        f'title="{title}">青川市人民政府关于第{n}批…</a><span>2023-03-{n:02d}</span></li>]]>'
        "</record>"
    )


def _column(records: int, total: int, ajax: bool = True) -> str:
    param = (
        "ajaxParam: {col: 1, appid: 1, webid: 3, path: '/', columnid: 1229, "
        "sourceContentType: 1, unitid: 4187293, webname: '青川市人民政府', permissiontype: 0}"
    )
    nextgroup = (
        '<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=3&amp;path=/'
        "&amp;columnid=1229&amp;unitid=4187293&amp;webname=%E9%9D%92%E5%B7%9D"
        '&amp;permissiontype=0"></a>'
    )
    return (
        "<html><body><div id='4187293'><script type='text/xml'><datastore>"
        f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup><recordset>"
        + "".join(_record(n) for n in range(28, 28 - records, -1))
        + "</recordset></datastore></script></div>"
        "<script>$('#4187293').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', "
        f"perPage: 5, groupSize: 3, totalRecord: {total}"
        + (f", {param}" if ajax else "")
        + "});</script></body></html>"
    )


def _scripts(html: str) -> list[str]:
    return [html.split("<script>")[1].split("</script>")[0]]


def test_datastore_records_are_read_as_listing_rows() -> None:
    html = _column(15, 27)
    ((_, records),) = datastore_records(html)
    assert len(records) == 15 and records[0].startswith("<li><a href=")
    page = parse_listing(html, COLUMN, timezone="Asia/Shanghai")
    assert len(page.links) == 15
    first = page.links[0]
    assert first.url == "http://www.qingchuan.gov.cn/art/2023/3/28/art_1229_528.html"
    assert first.title == "青川市人民政府关于第28批城市更新项目实施方案的批复意见"
    assert first.published_at is not None and first.published_at.isoformat().startswith(
        "2023-03-28T00:00:00+08:00"
    )


def test_endpoint_request_names_the_form_fields_and_referer() -> None:
    html = _column(15, 27)
    request = endpoint_request(html, _scripts(html), COLUMN)
    assert request == ListingRequest(
        url=PROXY + "?startrecord=16&endrecord=30&perpage=5",
        form=(
            ("col", "1"),
            ("appid", "1"),
            ("webid", "3"),
            ("path", "/"),
            ("columnid", "1229"),
            ("sourceContentType", "1"),
            ("unitid", "4187293"),
            ("webname", "青川市人民政府"),
            ("permissiontype", "0"),
        ),
        referer=COLUMN,
    )
    assert parse_listing(html, COLUMN).next_requests == (request,)


def test_endpoint_fields_from_the_nextgroup_link_without_ajax_param() -> None:
    html = _column(15, 27, ajax=False)
    request = endpoint_request(html, _scripts(html), COLUMN)
    assert request is not None
    form = dict(request.form)
    assert form["columnid"] == "1229" and form["unitid"] == "4187293"
    assert form["webname"] == "青川" and form["col"] == "1"


def test_no_endpoint_request_when_the_datastore_holds_everything() -> None:
    html = _column(12, 12)
    assert endpoint_request(html, _scripts(html), COLUMN) is None
    assert endpoint_request("<html><body><ul><li>x</li></ul></body></html>", [], COLUMN) is None


def test_endpoint_answer_records_and_next_range() -> None:
    request = ListingRequest(
        PROXY + "?startrecord=16&endrecord=30&perpage=5", (("col", "1"),), COLUMN
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>37</totalrecord>'
        "<totalpage>8</totalpage><recordset>"
        + "".join(_record(n) for n in range(13, 0, -1))
        + "</recordset></datastore>"
    ).encode()
    answer = read_answer(xml)
    assert (answer.total_records, answer.total_pages, len(answer.records)) == (37, 8, 13)
    page = parse_endpoint_answer(xml, request, timezone="Asia/Shanghai")
    assert len(page.links) == 13 and page.links[0].title is not None
    assert page.links[0].title.endswith("批复意见")
    assert page.next_requests == (
        ListingRequest(PROXY + "?startrecord=31&endrecord=45&perpage=5", (("col", "1"),), COLUMN),
    )
    last = ListingRequest(PROXY + "?startrecord=31&endrecord=45&perpage=5", (), COLUMN)
    assert next_request(last, 37) is None


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>", "an HTML page"),
        (b"", "an empty answer"),
        (b'{"error": "denied"}', "no datastore XML"),
    ],
)
def test_an_answer_that_is_not_datastore_xml_is_refused(body: bytes, what: str) -> None:
    with pytest.raises(ValueError, match=what):
        read_answer(body)


def test_document_write_links_are_article_candidates() -> None:
    rows = "".join(
        f"<li><script>var t{k} = '关于第{k}季度重点工作推进情况的通报';\n"
        f"document.write('<a href=\"./202303/t2023031{k}_{k}.html\">' + t{k} + '</a>');"
        f"</script><span>2023-03-1{k}</span></li>"
        for k in range(4)
    )
    html = f"<html><body><ul class='list'>{rows}</ul></body></html>"
    page = parse_listing(html, "http://www.linjiang.gov.cn/xxgk/tzgg/index.html")
    assert [link.url.rsplit("/", 1)[1] for link in page.links] == [
        f"t2023031{k}_{k}.html" for k in range(4)
    ]
    assert page.links[2].title == "关于第2季度重点工作推进情况的通报"


def test_written_html_leaves_expressions_it_cannot_read() -> None:
    assert written_html("document.write('<a href=\"/a.html\">' + \"标题\" + '</a>');") == (
        '<a href="/a.html">标题</a>'
    )
    assert written_html("document.write(makeLink(3));") is None
    assert written_html("document.write('\\u4e0b\\u4e00\\u9875 <b>x</b>')") == "下一页 <b>x</b>"
    html = "<div><script src='/x.js'>document.write('<a href=\"/b.html\">b</a>')</script></div>"
    assert expand_scripts(html) == html
    assert expand_scripts(b"<html><body>plain</body></html>") == b"<html><body>plain</body></html>"


def test_full_title_only_for_a_cut_headline() -> None:
    full = "关于印发青川市二〇二三年优化营商环境工作要点的通知"
    assert full_title("关于印发青川市二〇二三…", full) == full
    assert full_title("关于印发青川市二〇二三...", full) == full
    assert full_title("关于印发青川市二〇二三年优化营商环境工作要点的通知", "点击查看") == full
    assert full_title("通知…", "完全无关的标题内容") == "通知…"
    assert full_title("", full) == full


def test_an_answer_with_no_records_before_its_count_ends_the_listing_short() -> None:
    from pressroom.core.articles import ListingRequest
    from pressroom.extractors.endpoints import parse_endpoint_answer

    request = ListingRequest(
        "http://www.qc.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=31&endrecord=45&perpage=5",
        form=(("col", "1"),),
        referer="http://www.qc.gov.cn/col/col1229/index.html",
    )
    empty = (
        b"<datastore><totalrecord>112</totalrecord><totalpage>23</totalpage>"
        b"<recordset></recordset></datastore>"
    )
    page = parse_endpoint_answer(empty, request)
    assert page.links == () and page.next_requests == ()
    assert (
        page.ends_short
        == "the data endpoint served no records from record 31 although it reports 112 in all"
    )
    past = ListingRequest(request.url.replace("31", "121"), request.form, request.referer)
    assert parse_endpoint_answer(empty, past).ends_short is None  # past the count: a plain end
