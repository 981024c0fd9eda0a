"""Hanweb (大汉) jcms columns: records in a datastore script, older ones from a data endpoint.

A column page (``/col/col1229/index.html``) lists its newest records only inside

    <script type="text/xml"><datastore><nextgroup>...</nextgroup><recordset>
      <record><![CDATA[<li><a href="/art/2023/3/15/art_1229_567.html" ...>...</a></li>]]></record>
    </recordset></datastore></script>

and a ``jpage({...})`` call names the endpoint that serves the rest, its page size, group size
(pages per request), record count and the form fields it wants (``ajaxParam``)::

    $('#4187293').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15,
        groupSize: 3, totalRecord: 112, ajaxParam: {col: 1, appid: 1, webid: 3, ...}});

The endpoint is asked with a POST to ``dataproxy.jsp?startrecord=46&endrecord=90&perpage=15``
carrying those fields and the column page as ``Referer``; it answers XML with
``<totalrecord>``, ``<totalpage>`` and one CDATA ``<record>`` per article. Without an
``ajaxParam`` the fields come from the ``<nextgroup>`` link. Pure parsing, no requests.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from pressroom.core.articles import ListingRequest
from pressroom.extractors.encoding import decode_html

__all__ = [
    "FORM_FIELDS",
    "EndpointAnswer",
    "datastore_records",
    "endpoint_request",
    "next_request",
    "read_answer",
    "record_range",
]

FORM_FIELDS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
_DATASTORE = re.compile(
    r"<script\b[^>]*type\s*=\s*['\"]text/xml['\"][^>]*>\s*(<datastore\b.*?</datastore>)\s*</script>",
    re.I | re.S,
)
_RECORD = re.compile(r"<record\b[^>]*>(.*?)</record>", re.I | re.S)
_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.S)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>(.*?)</nextgroup>", re.I | re.S)
_HREF = re.compile(r"href\s*=\s*['\"]([^'\"]+)['\"]", re.I)
_PROXY = re.compile(r"['\"]([^'\"\s]*/dataproxy\.jsp)[^'\"\s]*['\"]", re.I)
_AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}", re.S)
_PAIR = re.compile(r"['\"]?(\w+)['\"]?\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([\w./-]+))")
_SETTING = {
    name: re.compile(rf"\b{name}\s*:\s*['\"]?(\d+)", re.I)
    for name in ("perPage", "groupSize", "totalRecord")
}
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_TOTAL_PAGES = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_XML_START = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<datastore\b", re.I | re.S)


def _record_html(raw: str) -> str:
    match = _CDATA.match(raw)
    return match.group(1) if match else htmllib.unescape(raw)


def datastore_records(html: str) -> list[tuple[tuple[int, int], list[str]]]:
    """Each datastore script of the page: its span in ``html`` and its records' HTML."""
    found = []
    for match in _DATASTORE.finditer(html):
        store = _NEXTGROUP.sub("", match.group(1))
        records = [_record_html(r) for r in _RECORD.findall(store)]
        found.append((match.span(), records))
    return found


def _setting(code: str, name: str) -> int | None:
    match = _SETTING[name].search(code)
    return int(match.group(1)) if match else None


def _form(code: str, html: str) -> dict[str, str]:
    form: dict[str, str] = {}
    param = _AJAX_PARAM.search(code)
    if param:
        for key, single, double, bare in _PAIR.findall(param.group(1)):
            form[key] = single or double or bare
    else:  # the fields of the <nextgroup> link
        group = _NEXTGROUP.search(html)
        href = _HREF.search(htmllib.unescape(group.group(1))) if group else None
        if href:
            form = dict(parse_qsl(urlsplit(href.group(1)).query, keep_blank_values=True))
            form.setdefault("col", "1")
            form.setdefault("sourceContentType", "1")
    return {key: form[key] for key in FORM_FIELDS if key in form}


def endpoint_request(page: bytes | str, scripts: list[str], page_url: str) -> ListingRequest | None:
    """The first endpoint request after the records the column page shows inline.

    None when the page names no jpage endpoint, or when its inline records are all there is.
    """
    marker = b"dataproxy" if isinstance(page, bytes) else "dataproxy"
    if marker not in page:  # type: ignore[operator]
        return None
    html = decode_html(page, None) if isinstance(page, bytes) else page
    code = "\n".join(s for s in scripts if "jpage" in s or "dataproxy" in s)
    proxy = _PROXY.search(code) or _PROXY.search(html)
    if proxy is None or not datastore_records(html):
        return None
    inline = sum(len(records) for _, records in datastore_records(html))
    per_page = _setting(code, "perPage") or 15
    group = per_page * (_setting(code, "groupSize") or 3)
    total = _setting(code, "totalRecord")
    if (total is not None and inline >= total) or (total is None and inline < group):
        return None
    form = _form(code, html)
    if "columnid" not in form:
        return None
    start = inline + 1
    query = f"?startrecord={start}&endrecord={start + group - 1}&perpage={per_page}"
    url = urljoin(page_url, proxy.group(1) + query)  # as jpage asks, parameters in its order
    return ListingRequest(url=url, form=tuple(form.items()), referer=page_url)


@dataclass(frozen=True)
class EndpointAnswer:
    """The endpoint's XML answer: its records' HTML and the counts it gives."""

    records: tuple[str, ...]
    total_records: int | None
    total_pages: int | None


def read_answer(body: bytes | str) -> EndpointAnswer:
    """Read the endpoint's answer; ValueError with the reason when it is not datastore XML."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not _XML_START.match(text):
        head = text.lstrip()[:15].lower()
        what = (
            "an HTML page"
            if head.startswith(("<!doctype", "<html", "<head", "<body"))
            else ("an empty answer" if not head else "no datastore XML")
        )
        raise ValueError(f"data endpoint answered {what} instead of its XML")
    total = _TOTAL.search(text)
    pages = _TOTAL_PAGES.search(text)
    return EndpointAnswer(
        records=tuple(_record_html(r) for r in _RECORD.findall(text)),
        total_records=int(total.group(1)) if total else None,
        total_pages=int(pages.group(1)) if pages else None,
    )


def record_range(url: str) -> tuple[int, int, int] | None:
    """(startrecord, endrecord, perpage) of an endpoint request URL; None when it has none."""
    query = dict(parse_qsl(urlsplit(url).query))
    try:
        start, end, per_page = (int(query[k]) for k in ("startrecord", "endrecord", "perpage"))
    except (KeyError, ValueError):
        return None
    return start, end, per_page


def next_request(request: ListingRequest, total_records: int | None) -> ListingRequest | None:
    """The endpoint request after ``request`` (same form and Referer), or None at the end."""
    asked = record_range(request.url)
    if asked is None:
        return None
    start, end, per_page = asked
    if total_records is None or end >= total_records:
        return None
    size = end - start + 1
    base = request.url.split("?", 1)[0]
    url = f"{base}?startrecord={end + 1}&endrecord={end + size}&perpage={per_page}"
    return ListingRequest(url=url, form=request.form, referer=request.referer)
