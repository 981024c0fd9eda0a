"""TRS WCM, the content system behind most Chinese government newsrooms (``*.gov.cn``).

Its article pages carry machine-readable meta (``ArticleTitle``, ``PubDate``, ``ContentSource``)
and put the body in a ``TRS_Editor`` / ``TRS_UEDITOR`` block, often inside ``#zoom``. The generic
rules find all of these on their own; declaring the module pins them, so a page where the
density heuristic would wander (a long related-news block, a body of one image) still reads
right, and a redesign shows up as selector warnings instead of quietly different output.

Example source entry::

    [[sources]]
    id = "example-gov"
    start_urls = ["https://www.example.gov.cn/xwdt/"]
    timezone = "Asia/Shanghai"
    language = "zh-CN"
    site_module = "trs_govcn"
"""

from __future__ import annotations

__all__ = [
    "AUTHOR_SELECTOR",
    "BODY_SELECTOR",
    "DATE_SELECTOR",
    "ORIGIN_SELECTOR",
    "TITLE_SELECTOR",
]

#: The headline as the CMS stores it (no site-name suffix, unlike ``<title>``).
TITLE_SELECTOR = 'meta[name="ArticleTitle"]'

#: ``2023-03-15 16:34`` in the site's local time (Asia/Shanghai).
DATE_SELECTOR = 'meta[name="PubDate"]'

#: The editor block; the first two are the TRS editors, ``#zoom`` the font-size wrapper.
BODY_SELECTOR = ".TRS_Editor, .TRS_UEDITOR, .trs_editor_view, #zoom"

#: The issuing body (来源).
ORIGIN_SELECTOR = 'meta[name="ContentSource"]'

#: TRS leaves ``Author`` empty on most sites; the visible 责任编辑 line is read generically.
AUTHOR_SELECTOR = None
