"""Two Chinese government CMS families served on a :class:`TestServer`, written for these tests.

``HanwebColumn``: a Hanweb jcms column (``/col/col1229/index.html``) whose page lists its newest
records only inside a datastore script and names a ``dataproxy.jsp`` endpoint in a ``jpage``
call; the endpoint answers a POST with the column's form fields and the column page as
``Referer`` (403 otherwise) with XML record ranges. Titles are cut short ("…") in the list,
whole in the anchors' ``title``.

``TrsChannel``: a TRS WCM channel in GBK whose pager is only drawn by script: by default
``createPageHTML('page_div', count, current, 'index', 'shtml', total)`` (page 1
``index.shtml``, page k ``index_k.shtml``); with ``pager="four"`` the four-argument form with
``var countPage``/``var currentPage`` (current 0-based, page k is ``index_(k-1)``); with
``pager="text"`` no script at all, only "共N页 当前第k页" text and script-only links (numbered
as the four-argument form). Half of its rows are written by ``document.write``. Article pages
carry ``ArticleTitle``/``PubDate``/``ContentSource`` meta. ``cap`` pages at most are shown,
saying so ("本频道最多N页") unless ``cap_text=False``, as such CMSs do.

A Hanweb column with ``serve_max`` answers no records past that one (its ``totalrecord`` still
counts them all): a cap it never prints.

Each article is one per day going back from ``newest``; ``expected(since, until)`` is the URLs
a backfill of that window must load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qsl, quote, urlsplit

from .server import Reply, Request, TestServer

__all__ = ["CmsArticle", "HanwebColumn", "TrsChannel"]

_TOPICS = (
    "关于开展二〇二三年度城市道路综合整治工作的通知",
    "市人民政府办公室关于印发优化营商环境若干措施的通知",
    "关于公布第二批市级非物质文化遗产代表性项目名录的公告",
    "市发展改革委召开重点项目建设推进会议",
    "关于做好春季森林防火工作的紧急通知",
    "市教育局发布义务教育阶段招生入学工作方案",
    "关于征求城市供水价格调整方案意见的公告",
)


@dataclass(frozen=True)
class CmsArticle:
    """One article of a family: where it lives, its title and day."""

    path: str
    title: str
    day: date


def _titles(count: int) -> list[str]:
    return [f"{_TOPICS[n % len(_TOPICS)]}（第{n + 1}号）" for n in range(count)]


class _Family:
    """What both families share: articles one per day back from ``newest``."""

    def __init__(self, server: TestServer, articles: list[CmsArticle]) -> None:
        self.server = server
        self.articles = articles

    def urls(self) -> set[str]:
        return {self.server.url(a.path) for a in self.articles}

    def expected(self, since: date, until: date) -> set[str]:
        return {self.server.url(a.path) for a in self.articles if since <= a.day <= until}


# -- Hanweb jcms ----------------------------------------------------------------------------

_HANWEB_FORM = {
    "col": "1",
    "appid": "1",
    "webid": "3",
    "path": "/",
    "columnid": "1229",
    "sourceContentType": "1",
    "unitid": "4187293",
    "webname": "青川市人民政府",
    "permissiontype": "0",
}
_FORBIDDEN = (
    b"<!DOCTYPE html><html><head><title>403 Forbidden</title></head>"
    b"<body><h1>403 Forbidden</h1><p>\xe8\xae\xbf\xe9\x97\xae\xe8\xa2\xab\xe6\x8b\x92\xe7\xbb\x9d"
    b"</p></body></html>"
)


class HanwebColumn(_Family):
    """A jcms column: ``total`` records, ``per_page`` x ``group_size`` per request."""

    COLUMN = "/col/col1229/index.html"
    PROXY = "/module/web/jpage/dataproxy.jsp"

    def __init__(
        self,
        server: TestServer,
        total: int = 37,
        *,
        per_page: int = 5,
        group_size: int = 3,
        newest: date = date(2023, 3, 15),
        serve_max: int | None = None,
    ) -> None:
        articles = []
        for n, title in enumerate(_titles(total)):
            day = newest - timedelta(days=n)
            path = f"/art/{day.year}/{day.month}/{day.day}/art_1229_{900 - n}.html"
            articles.append(CmsArticle(path, title, day))
        super().__init__(server, articles)
        self.per_page = per_page
        self.group = per_page * group_size
        self.group_size = group_size
        self.refuse: str | None = None  # "403" or "html": the endpoint refuses every request
        self.serve_max = serve_max
        server.route(self.COLUMN, Reply(200, self._column(), _HTML_UTF8))
        server.route(self.PROXY, self._endpoint)
        for article in articles:
            server.route(article.path, Reply(200, _hanweb_article(article), _HTML_UTF8))

    @property
    def start_url(self) -> str:
        return self.server.url(self.COLUMN)

    def _record(self, article: CmsArticle) -> str:
        short = article.title[:12] + "…" if len(article.title) > 14 else article.title
        return (
            f'<record><![CDATA[<li><a href="{article.path}" title="{article.title}" '
            f'target="_blank">{short}</a><span class="bt-data-time">{article.day}</span>'
            "</li>]]></record>\n"
        )

    def _column(self) -> bytes:
        inline = "".join(self._record(a) for a in self.articles[: self.group])
        webname = quote(_HANWEB_FORM["webname"])
        nextgroup = (
            f'<a href="{self.PROXY}?page=1&appid=1&webid=3&path=/&columnid=1229'
            f'&unitid=4187293&webname={webname}&permissiontype=0"></a>'
        )
        params = ", ".join(
            f"{k}: '{v}'" if not v.isdigit() else f"{k}: {v}" for k, v in _HANWEB_FORM.items()
        )
        page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>通知公告 青川市人民政府</title>
<script type="text/javascript" src="/module/web/jpage/jquery.jpage.js"></script></head>
<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/col/col1228/index.html">政务公开</a></li></ul></div>
<div class="main"><div class="bt-box"><h2>通知公告</h2>
<div id="4187293"><script type="text/xml"><datastore>
<nextgroup><![CDATA[{nextgroup}]]></nextgroup>
<recordset>
{inline}</recordset></datastore></script></div>
<script type="text/javascript">
$(function () {{
  $('#4187293').jpage({{
    dataStore: $('#4187293 script[type="text/xml"]'),
    proxyUrl: '{self.PROXY}',
    perPage: {self.per_page},
    groupSize: {self.group_size},
    totalRecord: {len(self.articles)},
    barPosition: 'bottom',
    showMode: 'full',
    ajaxParam: {{{params}}}
  }});
}});
</script></div></div>
<div class="footer"><p>主办：青川市人民政府办公室</p></div></body></html>"""
        return page.encode("utf-8")

    def _endpoint(self, request: Request) -> Reply:
        if self.refuse == "html":
            return Reply(200, _FORBIDDEN, _HTML_UTF8)
        form = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        referer = request.headers.get("referer", "")
        if (
            self.refuse == "403"
            or request.method != "POST"
            or form != _HANWEB_FORM
            or urlsplit(referer).path != self.COLUMN
        ):
            return Reply(403, _FORBIDDEN, _HTML_UTF8)
        query = dict(parse_qsl(urlsplit(request.target).query))
        start, end = int(query["startrecord"]), int(query["endrecord"])
        served = self.articles[: self.serve_max] if self.serve_max else self.articles
        chosen = served[start - 1 : end]
        pages = -(-len(self.articles) // self.per_page)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
            f"<totalrecord>{len(self.articles)}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
            "<recordset>\n" + "".join(self._record(a) for a in chosen) + "</recordset>\n"
            "</datastore>\n"
        )
        return Reply(200, xml.encode("utf-8"), {"Content-Type": "text/xml;charset=UTF-8"})

    def endpoint_requests(self) -> list[Request]:
        return [r for r in self.server.requests if r.path == self.PROXY]


def _hanweb_article(article: CmsArticle) -> bytes:
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{article.title}_青川市人民政府</title>
<meta name="ArticleTitle" content="{article.title}">
<meta name="PubDate" content="{article.day} 10:20">
<meta name="ContentSource" content="青川市人民政府办公室">
</head><body><div class="nav"><a href="/">首页</a> &gt;
<a href="/col/col1229/index.html">通知公告</a></div>
<div class="article"><h1 class="title">{article.title}</h1>
<div class="info">发布日期：{article.day} 来源：青川市人民政府办公室</div>
<div id="zoom"><p>为进一步做好相关工作，经市人民政府同意，现将有关事项通知如下。</p>
<p>各县区、各部门要高度重视，加强组织领导，明确责任分工，确保各项任务落到实处。</p>
<p>本通知自印发之日起施行。{article.title}的具体解释工作由市人民政府办公室负责。</p></div>
</div></body></html>"""
    return page.encode("utf-8")


# -- TRS WCM --------------------------------------------------------------------------------

_HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}
_HTML_BARE = {"Content-Type": "text/html"}  # the charset is only in the page's meta


class TrsChannel(_Family):
    """A TRS channel under ``/xxgk/tzgg/``: ``total`` articles, ``per_page`` a page, at most
    ``cap`` pages shown."""

    DIR = "/xxgk/tzgg/"

    def __init__(
        self,
        server: TestServer,
        total: int = 27,
        *,
        per_page: int = 6,
        cap: int | None = None,
        newest: date = date(2023, 3, 20),
        pager: str = "six",
        cap_text: bool = True,
    ) -> None:
        articles = []
        for n, title in enumerate(_titles(total)):
            day = newest - timedelta(days=n)
            path = f"{self.DIR}{day:%Y%m}/t{day:%Y%m%d}_{4567 - n}.shtml"
            articles.append(CmsArticle(path, title, day))
        super().__init__(server, articles)
        self.per_page = per_page
        pages = -(-total // per_page)
        self.count = min(pages, cap) if cap else pages
        self.cap = cap
        self.pager, self.cap_text = pager, cap_text
        for number in range(1, self.count + 1):
            rows = articles[(number - 1) * per_page : number * per_page]
            server.route(
                self.page_path(number), Reply(200, self._listing(number, rows), _HTML_BARE)
            )
        for article in articles:
            server.route(article.path, Reply(200, _trs_article(article), _HTML_BARE))

    @property
    def start_url(self) -> str:
        return self.server.url(f"{self.DIR}index.shtml")

    def page_path(self, number: int) -> str:
        """Listing page ``number`` (1-based) under this channel's pager numbering."""
        if number == 1:
            return f"{self.DIR}index.shtml"
        return f"{self.DIR}index_{number if self.pager == 'six' else number - 1}.shtml"

    def shown(self) -> list[CmsArticle]:
        """The articles the listing shows (all of them unless capped)."""
        return self.articles[: self.count * self.per_page]

    def _row(self, index: int, article: CmsArticle) -> str:
        href = "./" + article.path.removeprefix(self.DIR)
        if index % 2:  # written by script, as TRS templates often do
            anchor = f"<a href=\\'{href}\\' target=\\'_blank\\' title=\\'{article.title}\\'>"
            return (
                f"<li><script>var str_{index} = '{article.title}';\n"
                f"document.write('{anchor}' + str_{index} + '</a>');</script>"
                f"<span>{article.day}</span></li>"
            )
        anchor = f'<a href="{href}" target="_blank">{article.title}</a>'
        return f"<li>{anchor}<span>{article.day}</span></li>"

    def _listing(self, number: int, rows: list[CmsArticle]) -> bytes:
        items = "\n".join(self._row(i, a) for i, a in enumerate(rows))
        cap = (
            f"<span class='tips'>本频道最多{self.cap}页</span>"
            if self.cap and self.cap_text
            else ""
        )
        if self.pager == "six":
            script = (
                f"createPageHTML('page_div', {self.count}, {number}, 'index', 'shtml',"
                f" {len(self.articles)});"
            )
        elif self.pager == "four":
            script = (
                f"var countPage = {self.count}//共多少页\nvar currentPage = {number - 1};//当前页\n"
                'createPageHTML(countPage, currentPage, "index", "shtml");'
            )
        else:
            script = (
                "function goPage(n) {"
                " location.href = n ? 'index_' + n + '.shtml' : 'index.shtml'; }"
            )
            cap += (
                f"<div class='pagebar'>共{self.count}页 当前第{number}页 "
                "<a href='javascript:void(0)' onclick='goPage(0)'>首页</a> "
                f"<a href='javascript:void(0)' onclick='goPage({number})'>下一页</a></div>"
            )
        page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>通知公告_临江市人民政府</title></head>
<body><div class="top"><ul class="menu"><li><a href="/">网站首页</a></li>
<li><a href="/xxgk/">信息公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="container"><div class="list-title">通知公告</div>
<ul class="list-ul">
{items}
</ul>
<div class="page" id="page_div"></div>{cap}
<script language="JavaScript">
{script}
</script></div>
<div class="bottom">版权所有：临江市人民政府办公室</div></body></html>"""
        return page.encode("gbk")


def _trs_article(article: CmsArticle) -> bytes:
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="{article.title}">
<meta name="PubDate" content="{article.day} 09:30">
<meta name="ContentSource" content="临江市人民政府办公室">
<title>{article.title}_临江市人民政府</title></head>
<body><div class="top"><a href="/">网站首页</a></div>
<div class="article"><h1>{article.title}</h1>
<div class="TRS_Editor"><p>各县（市、区）人民政府，市政府各部门：</p>
<p>现将有关事项通知如下，请结合实际认真贯彻落实，工作中遇到的问题及时报告。</p>
<p>{article.title}自发布之日起施行，由市人民政府办公室负责解释。</p></div>
</div></body></html>"""
    return page.encode("gbk")
