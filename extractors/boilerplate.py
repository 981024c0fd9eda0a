"""What is not the article: page chrome by tag, class and id, and boilerplate lines by text.

Two levels, because a date in an article header is wanted while the header is not body text:

* *chrome* (``is_chrome``): navigation, sidebars, related and popular lists, comments, footers.
  Nothing in chrome is the article's date, author, title or body.
* *non-body* (``is_non_body``): chrome plus the article's own furniture: header and info lines,
  share and print tools, font-size controls, captions, attachment blocks, tags, pagination.

``is_boilerplate_line`` catches the same furniture when it sits in plain paragraphs.
"""

from __future__ import annotations

import re

from bs4 import Tag

__all__ = [
    "BLOCK_TAGS",
    "SKIP_TAGS",
    "attr_key",
    "is_boilerplate_line",
    "is_chrome",
    "is_non_body",
    "positive_weight",
]

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "select", "option", "button",
     "input", "textarea", "head", "object", "embed", "canvas", "map", "video", "audio", "math"}
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol",
     "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
     "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "form",
     "fieldset", "address", "center", "hr", "br", "body", "html", "details", "summary",
     "hgroup", "menu", "dialog", "picture"}
)  # fmt: skip
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog"})
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menus|submenu|breadcrumbs?|crumbs?|sidebar|side"
    r"|sidenav|aside|related|relate|recommend\w*|popular|trending|most-?read|hot|hotnews"
    r"|footer|foot|bottom|copyright|comments?|disqus|cookie\w*|consent|gdpr|banner|advert\w*"
    r"|ads?|ad-\w+|dfp|sponsor\w*|promo\w*|newsletter|subscribe|signup|login|search|skip"
    r"|modal|popup|overlay|masthead|topbar|top-bar|site-header|global-header|widget\w*"
    r"|more-news|more-stories|read-more|readmore|also|next-prev|prev-next|outbrain|taboola"
    r"|xgwz|xgxw|rdxw|yqlj|friendlink|links)(?:$|[\s_-])",
    re.I,
)
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share\w*|sharing|social|sns|print|printer|tools?|toolbar|font\w*|zoom-?tool"
    r"|byline|author|meta|info|article-?info|post-?meta|entry-?meta|date|time|dateline|source"
    r"|caption|credit|wp-caption-text|attach\w*|fujian|download|tags?|tag-?list|keywords"
    r"|categor\w*|pagination|pager|paging|header|article-?header|entry-?header|subscribe"
    r"|hidden|visually-?hidden|sr-only|screen-reader-text|print-only|noprint|editor|bianji"
    r"|close|back|return|rating|reactions)(?:$|[\s_-])",
    re.I,
)
_POSITIVE = re.compile(
    r"article|content|entry|post|story|main|body|text|detail|news|trs_editor|fr-view|zoom"
    r"|con\b|zw|wenzhang|view",
    re.I,
)
_BODY_TOKEN = re.compile(
    r"^(?:trs_u?editor\w*|fr-view|(?:article|entry|post|story|news|detail|main|page)[-_]?"
    r"(?:body|content|text|con|detail|main)\w*)$"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_LINE_PATTERNS = re.compile(
    r"""^(?:
      [【\[(（]?\s*(?:打印|关闭|收藏|分享|打印本页|关闭窗口|打印此页|返回顶部|字号|字体|
         大\s*中\s*小|Print|Close|Share|Email|E-mail|Back\s+to\s+top|Return\s+to\s+top)
         [^\n]{0,40}$
    | (?:责任编辑|编辑|作者|来源|文章来源|信息来源|发布时间|发布日期|发稿时间|时间|日期|
         浏览次数|点击数|阅读次数|访问量|撰稿|审核|校对|摄影|供稿)\s*[:：][^\n]{0,80}$
    | (?:Source|Editor|Edited\s+by|Author|Written\s+by|By|Date|Posted\s+on|Posted|Published
         |Published\s+on|Last\s+updated|Updated|Release\s+date|Views|Hits|Photo|Photos
         |Image|Credit|Tags|Categories|Category|Filed\s+under|Share\s+this|Print\s+this)
         \s*[:：][^\n]{0,100}$
    | (?:©|\(c\)|Copyright|版权所有|Copyright\s*©)[^\n]{0,200}$
    | (?:Media|Press|News\s+media)\s+(?:contacts?|inquiries|enquiries)\s*[:：][^\n]{0,160}$
    | [^\n]{0,120}(?:ICP备|ICP证|公网安备|All\s+rights\s+reserved|网站标识码)[^\n]{0,120}$
    | (?:附件|相关附件|附件下载|Attachments?|Related\s+documents?|Downloads?)\s*[:：]?\s*$
    | (?:上一篇|下一篇|Previous|Next)\s*[:：][^\n]{0,120}$
    | (?:Return\s+to\s+full\s+list|View\s+all\s+news|Back\s+to\s+news|Previous\s+Article
         |Next\s+Article|Tools|RSS|Notify\s+Me®?|Sign\s+up|Subscribe|Share\s*&\s*Bookmark
         |Font\s+Size|Large\s+Medium\s+Small|Print\s+Feedback\s+Share\s*&\s*Bookmark
         |Press\s+Enter\s+to\s+show\s+all\s+options,?\s+press\s+Tab\s+go\s+to\s+next\s+option)
         [\s.:]*$
    )""",
    re.I | re.X,
)


def attr_key(tag: Tag) -> str:
    """The tag's class names and id as one lowercase string (what the patterns look at)."""
    classes = tag.get("class")
    text = " ".join(classes) if isinstance(classes, list) else (classes or "")
    ident = tag.get("id")
    if ident:
        text = f"{text} {ident}"
    role = tag.get("role")
    if role in ("navigation", "complementary", "contentinfo", "banner", "search"):
        text = f"{text} nav"
    return text.lower()


def is_chrome(tag: Tag, key: str) -> bool:
    """Navigation, sidebars, related lists, comments, footers: never the article."""
    if tag.name in _CHROME_TAGS:
        return True
    if not key or tag.name in ("body", "html", "main", "article"):
        return False
    if _CHROME.search(key):
        return not _POSITIVE.search(key) or bool(
            re.search(r"related|recommend|comment|sidebar|footer|nav|menu|breadcrumb", key)
        )
    return False


def is_non_body(tag: Tag, key: str) -> bool:
    """Chrome, hidden elements and article furniture (info lines, share tools, captions...)."""
    name = tag.name
    if name in ("figcaption", "header", "form", "address"):
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if not key or name in ("body", "html", "main", "article"):
        return False
    return any(_FURNITURE.search(token) and not _BODY_TOKEN.match(token) for token in key.split())


def positive_weight(key: str) -> int:
    """+25 for content-like class names, -25 for chrome-like ones (readability's weighting)."""
    if not key:
        return 0
    weight = 0
    if _POSITIVE.search(key):
        weight += 25
    if _CHROME.search(key) or _FURNITURE.search(key):
        weight -= 25
    return weight


def is_boilerplate_line(text: str) -> bool:
    """Share/print/close links, font controls, editor/source/date lines, copyright and ICP."""
    return len(text) < 260 and bool(_LINE_PATTERNS.match(text))
