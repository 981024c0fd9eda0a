"""The page-kind classifier: landing, department, tag, search and contact pages, soft 404s and
documents are not articles; short real press releases with a date and a headline are."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pressroom.core.errors import ExtractionError
from pressroom.extractors.article import extract_page
from pressroom.extractors.page_kind import PageKind
from tests.e2e import wordpress_site as wp

BASE = "https://www.maplefalls.example"
CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def kind_of(body: bytes, path: str = "/page/", content_type: str | None = None) -> PageKind:
    return extract_page(body, BASE + path, content_type=content_type)[1]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("news index", wp.news_index()),
        ("front page", wp.home_page()),
        ("department directory", wp.departments_index()),
        ("department page", wp.PARKS),
        ("another department page", wp.PUBLIC_WORKS),
        ("tag archive", wp.tag_page()),
        ("search results", wp.search_page()),
        ("contact page", wp.contact_page()),
    ],
)
def test_site_pages_are_landing_pages(name: str, body: bytes) -> None:
    found = kind_of(body)
    assert found.kind == "landing", (name, found)
    assert found.reason


def test_an_english_soft_404_is_named_by_its_title() -> None:
    found = kind_of(wp.soft_404_page(), "/news/2019/06/pool-schedule-summer-2019/")
    assert found.kind == "soft_404"
    assert "Page not found" in found.reason


CHINESE_404 = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>页面不存在 - 枫溪市人民政府</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a>
</li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="error-box"><h1>抱歉，您访问的页面不存在或已被删除！</h1>
<p>请检查网址是否正确，或<a href="/">返回首页</a>。</p></div>
<div class="footer">主办：枫溪市人民政府办公室 备案号：X ICP备000000号</div></body></html>"""


def test_a_chinese_soft_404_is_named_by_its_title() -> None:
    found = kind_of(CHINESE_404.encode("utf-8"), "/xwzx/tzgg/202403/t20240312_1234.html")
    assert found.kind == "soft_404"
    assert "页面不存在" in found.reason


def test_a_bare_404_heading_is_a_soft_404() -> None:
    body = b"""<html><head><title>Error</title></head><body><h1>404</h1>
    <p>Sorry, we could not find that page.</p><a href="/">Home</a></body></html>"""
    assert kind_of(body).kind == "soft_404"


def test_a_pdf_is_a_document() -> None:
    record, found = extract_page(wp.pdf_bytes(), BASE + wp.PDF_PATH, content_type="application/pdf")
    assert record is None
    assert found.kind == "document"
    assert "PDF" in found.reason


def test_a_pdf_served_as_octet_stream_at_a_pdf_url_is_a_document() -> None:
    found = kind_of(wp.pdf_bytes(), "/files/notice.pdf", "application/octet-stream")
    assert found.kind == "document"
    found = kind_of(wp.pdf_bytes(), "/files/notice.PDF", None)
    assert found.kind == "document"


def test_pdf_bytes_served_as_a_web_page_stay_an_extraction_error() -> None:
    # a broken server, not a document: recorded in fetch_errors and retried as before
    with pytest.raises(ExtractionError, match="not an HTML page"):
        extract_page(wp.pdf_bytes(), BASE + "/news/notice.html", content_type="text/html")


@pytest.mark.parametrize("post", wp.ARTICLES, ids=[p.slug for p in wp.ARTICLES])
def test_every_post_of_the_family_is_an_article(post: wp.Post) -> None:
    record, found = extract_page(wp.post_page(post), BASE + post.path)
    assert found.kind == "article", found
    assert record is not None and record.title == post.title


def test_a_one_sentence_release_with_a_date_stays_an_article() -> None:
    post = next(p for p in wp.ARTICLES if p.slug == "offices-closed-presidents-day")
    assert len(post.paragraphs[0]) < 100
    assert kind_of(wp.post_page(post), post.path).kind == "article"


SHORT_GOV_CN = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="关于2024年清明节放假的通知">
<meta name="PubDate" content="2024-03-28 16:05">
<meta name="ContentSource" content="枫溪市人民政府办公室">
<title>关于2024年清明节放假的通知_通知公告_枫溪市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/xwzx/">新闻中心</a>
<a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a><a href="/zjfx/">走进枫溪</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt;
<a href="/xwzx/tzgg/">通知公告</a></div>
<h1>关于2024年清明节放假的通知</h1>
<div class="TRS_Editor"><p>4月4日至6日放假调休，共3天。4月7日（星期日）上班。</p></div>
<div class="footer">主办：枫溪市人民政府办公室</div></body></html>"""


def test_a_short_chinese_notice_with_pubdate_meta_stays_an_article() -> None:
    found = kind_of(SHORT_GOV_CN.encode("utf-8"), "/xwzx/tzgg/202403/t20240328_5678.html")
    assert found == PageKind("article", "meta ArticleTitle")


def test_a_release_about_page_not_found_errors_stays_an_article() -> None:
    body = f"""<html lang="en"><head><title>Permit portal "page not found" errors fixed</title>
    </head><body><nav>{wp._menu()}</nav><main><h1>Permit portal "page not found" errors fixed</h1>
    <p class="date">Posted on: April 2, 2024</p>
    <p>Residents who saw "page not found" messages when paying for building permits online last
    week can now finish their payments. The vendor fixed the fault on Monday morning, and no
    payments were lost or charged twice.</p>
    <p>Anyone with questions can call the Permits counter at (555) 010-4420.</p></main>
    </body></html>""".encode()
    assert kind_of(body, "/news/2024/04/permit-portal-fixed/").kind == "article"


def test_stated_article_metadata_beats_every_other_rule() -> None:
    body = b"""<html><head><meta property="og:type" content="article">
    <title>404 new apartments approved</title></head><body><h1>404 new apartments approved</h1>
    <p>Short.</p></body></html>"""
    assert kind_of(body) == PageKind("article", "og:type=article")


def test_a_page_with_no_links_and_no_text_is_left_to_the_extractor() -> None:
    # nothing says it is a landing page: it stays an article with its warnings
    body = b"<html><body><nav><a href='/'>Home</a></nav><footer>x</footer></body></html>"
    record, found = extract_page(body, BASE + "/news/empty.html")
    assert found.kind == "article"
    assert record is not None
    assert any(w.startswith("no article body found") for w in record.warnings)


# ---------------------------------------------------------------- real article pages

CLEAN_CORPORA = {
    "scrapinghub": ("ground-truth.json", "{key}.html.gz"),
    "fundus-eval": ("ground_truth.json", "{key}"),
}


@pytest.mark.parametrize("corpus", list(CLEAN_CORPORA))
def test_no_real_article_of_a_public_corpus_is_called_a_non_article(corpus: str) -> None:
    """Every page of these corpora is a news article (bench/page_kinds.py measures the others:
    htmldate-eval and readability hold a few site home and product pages)."""
    folder = CORPORA / corpus
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    truth_name, file_pattern = CLEAN_CORPORA[corpus]
    truth = json.loads((folder / truth_name).read_text(encoding="utf-8"))
    wrong = []
    for key, gold in sorted(truth.items()):
        name = file_pattern.format(key=key)
        path = folder / "html" / (name if name.endswith(".gz") else f"{name}.html.gz")
        if not path.exists():
            continue
        _, found = extract_page(gzip.decompress(path.read_bytes()), gold.get("url") or BASE)
        if not found.is_article:
            wrong.append((key, found))
    assert wrong == []
