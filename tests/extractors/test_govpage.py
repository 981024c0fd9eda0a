"""Chinese government page conventions (:mod:`pressroom.extractors.govpage`): the layouts of
disclosure
headers a fixture does not show, and what is not a header."""

from __future__ import annotations

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors import extract_article

PROFILE = ExtractionProfile(timezone="Asia/Shanghai", date_order="YMD")
URL = "http://www.example.gov.cn/zwgk/content/post_1.html"
BODY = (
    "<p>为进一步优化营商环境，激发市场主体活力，经区政府同意，现将有关事项通知如下。</p>"
    "<p>一、各部门要对照任务清单，逐项抓好落实，每季度末报送工作进展情况。</p>"
    "<p>二、区营商办要加强统筹协调和督促检查，确保各项措施落地见效。</p>"
)


def extract(inner: str) -> dict[str, object]:
    html = (
        f"<html><head><title>通知</title></head><body><div class='main'>{inner}</div></body></html>"
    )
    record = extract_article(html.encode("utf-8"), URL, profile=PROFILE)
    return {
        "published": record.published_at.date().isoformat() if record.published_at else None,
        "rule": record.rules.get("published_at"),
        "paragraphs": record.paragraphs,
        **{k: getattr(record, k) for k in ("index_no", "doc_no", "issuer", "topic", "validity")},
        "written_at": record.written_at.isoformat() if record.written_at else None,
    }


def test_header_on_one_line() -> None:
    got = extract(
        "<div class='info'><p>索引号：QX-2023-0042　文号：青政办〔2023〕12号　成文日期：2023-03-01"
        "　发布日期：2023-03-06</p></div><h1>关于进一步优化营商环境的通知</h1>"
        f"<div class='content'>{BODY}</div>"
    )
    assert (got["index_no"], got["doc_no"]) == ("QX-2023-0042", "青政办〔2023〕12号")
    assert (got["written_at"], got["published"]) == ("2023-03-01", "2023-03-06")
    assert got["rule"] in ("label:发布日期", "disclosure:发布日期")  # the same day either way


def test_header_cells_without_colons() -> None:
    got = extract(
        "<table class='xxgk'><tr><th>索引号</th><td>QX-2023-0042</td><th>发文字号</th>"
        "<td>青政办〔2023〕12号</td></tr><tr><th>发文机关</th><td>青山区人民政府办公室</td>"
        "<th>成文日期</th><td>2023年3月1日</td></tr><tr><th>公开日期</th><td>2023年3月6日</td>"
        f"<th>有效性</th><td>有效</td></tr></table><div class='content'>{BODY}</div>"
    )
    assert got["issuer"] == "青山区人民政府办公室"
    assert got["validity"] == "有效"
    assert (got["written_at"], got["published"]) == ("2023-03-01", "2023-03-06")
    assert not any("QX-2023" in p for p in got["paragraphs"])  # type: ignore[attr-defined]


def test_a_news_page_with_a_date_and_source_line_has_no_header() -> None:
    got = extract(
        "<h1>我区召开优化营商环境工作推进会</h1>"
        "<div class='info'>发布日期：2023-03-06　来源：区营商办"
        f"</div><div class='content'><p>分类推进重点任务落实。</p>{BODY}</div>"
    )
    assert got["published"] == "2023-03-06"
    assert (got["doc_no"], got["topic"], got["written_at"]) == (None, None, None)


def test_one_layout_table_around_header_and_body_keeps_the_body() -> None:
    got = extract(
        "<table><tr><td>索引号：QX-2023-0042</td><td>文号：青政办〔2023〕12号</td></tr>"
        "<tr><td>成文日期：2023-03-01</td><td>发布日期：2023-03-06</td></tr>"
        f"<tr><td colspan='2'>{BODY}</td></tr></table>"
    )
    assert got["doc_no"] == "青政办〔2023〕12号"
    assert len(got["paragraphs"]) == 3  # type: ignore[arg-type]
    assert not any("索引号" in p for p in got["paragraphs"])  # type: ignore[attr-defined]


def test_only_the_date_line_repeating_a_header_date_leaves_the_body() -> None:
    got = extract(
        "<ul><li><b>索引号：</b>QX-2023-0042</li><li><b>文号：</b>青政办〔2023〕12号</li>"
        "<li><b>成文日期：</b>2023-03-01</li><li><b>发布日期：</b>2023-03-06</li></ul>"
        f"<div class='content'>{BODY}<p>2023年2月27日印发的通知同时废止。</p>"
        "<p style='text-align:right'>青山区人民政府办公室</p>"
        "<p style='text-align:right'>2023年3月1日</p></div>"
    )
    assert got["paragraphs"][-2:] == (  # type: ignore[index]
        "2023年2月27日印发的通知同时废止。",
        "青山区人民政府办公室",
    )


def test_hanweb_markers_around_bare_text_take_their_parent() -> None:
    got = extract(
        "<div class='nav'><a href='/'>首页</a> <a href='/xxgk/'>信息公开</a></div>"
        "<div class='art'><meta name='ContentStart'>"
        "为进一步优化营商环境，激发市场主体活力，经区政府同意，现将有关事项通知如下。<br>"
        "各部门要对照任务清单，逐项抓好落实。<meta name='ContentEnd'></div>"
        f"<div class='side'>{BODY}</div>"
    )
    assert got["paragraphs"] == (
        "为进一步优化营商环境，激发市场主体活力，经区政府同意，现将有关事项通知如下。",
        "各部门要对照任务清单，逐项抓好落实。",
    )
