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
from functools import lru_cache

from bs4 import Tag

__all__ = [
    "BLOCK_TAGS",
    "CHROME",
    "HARD_CHROME",
    "NON_BODY",
    "SKIP_TAGS",
    "attr_key",
    "flag_of",
    "flagged_by_name",
    "is_boilerplate_line",
    "key_flag",
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
NON_BODY = 1
CHROME = 2
HARD_CHROME = 3  # comments and related lists: chrome that no amount of text turns into a wrapper
_NEVER_FLAGGED = frozenset({"body", "html", "main", "article"})
_FURNITURE_TAGS = frozenset({"figcaption", "header", "address"})
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog"})
# Class and id tokens are matched whole: an optional one-word prefix ("site-", "c-", "article__"),
# the word, then any suffixes ("-wrapper", "__list"). "content-with-sidebar-wrp" is not chrome.
_PREFIX = r"^(?:[a-z0-9]{1,12}(?:-|_|__))?"
_CHROME = re.compile(
    _PREFIX + r"(?:nav|navbar|navigation|menu|menus|submenu|mainmenu|breadcrumbs?|crumbs?|bread"
    r"|sidebar|side-bar|sidenav|aside|related|relate|recommend\w*|popular|trending|most-?read"
    r"|hot|hotnews|footer|foot|copyright|comments?|disqus|cookies?|consent|gdpr|banner|advert\w*"
    r"|ads?|ad|dfp|sponsor\w*|promo\w*|newsletter|signup|login|search|skip"
    r"|masthead|topbar|top-bar|site-header|global-header|widget\w*|more|read-more|readmore"
    r"|next-prev"
    r"|prev-next|outbrain|taboola|xgwz|xgxw|rdxw|yqlj|friendlink|links)"
    r"(?:(?:-|_|__)[a-z0-9]+)*$"
    # "当前位置" breadcrumbs (class "position"), not grid cells ("mosaic-position-leftmost")
    r"|" + _PREFIX + r"(?:position|location)(?:(?:-|_|__)(?:nav|bar|box|wrap\w*|list))?$",
)
_FURNITURE = re.compile(
    _PREFIX + r"(?:share\w*|sharing|social|sns|print|printer|tools?|toolbar|font\w*|byline"
    r"|authors?|meta|info|date|time|dateline|source|caption|credits?|wp-caption-text|attach\w*"
    r"|fujian|download|tags?|keywords|categor\w*|pagination|pager|paging|header|subscribe"
    r"|hidden|visually-?hidden|sr-only|screen-reader-text|print-only|noprint|editor|bianji"
    r"|close|back|return|rating|reactions|title|headline|intro-meta|posted|submitted)"
    r"(?:(?:-|_|__)[a-z0-9]+)*$",
)
_POSITIVE = re.compile(
    r"article|content|entry|post|story|main|body|text|detail|news|trs_editor|fr-view|zoom"
    r"|con\b|zw|wenzhang|view",
)
_BODY_TOKEN = re.compile(
    r"^(?:trs_u?editor\w*|fr-view|(?:\w+[-_])?(?:article|entry|post|story|news|detail|main|page"
    r"|field-name)[-_]{0,2}(?:body|content|text|con|detail|main|item)\w*)$"
)
# Furniture recognisable inside any class or id, whatever the naming scheme
# ("InlineImage-imageEmbedCaption", "primary-image__caption__3Ayt0", "article-end__author-bio").
_FURNITURE_ANYWHERE = re.compile(
    r"caption|credit|newsletter|news-letter|signup|sign-up|subscri|author-?bio|author-?box"
    r"|author-?info|about-?the-?author|share-|sharing|social-|byline|promo|adslot"
    r"|ad-slot|advert|sponsor|cta__|twitter-tweet|instagram-media|tiktok-embed|fb-post"
    r"|more-stories|read-more|readmore|related"
)
_HARD_CHROME = re.compile(
    _PREFIX + r"(?:comments?|commentlist|disqus|related|recommend\w*|outbrain|taboola)"
    r"(?:(?:-|_|__)[a-z0-9]+)*$"
)
_BODY_WORDS = frozenset({"article", "content", "post", "entry", "story", "main", "body", "text",
                         "hentry", "single", "detail"})  # fmt: skip
# Microdata values written as elements, often hidden by CSS: metadata, not text.
_METADATA_ITEMPROPS = frozenset(
    {"datePublished", "dateModified", "dateCreated", "keywords", "mainEntityOfPage", "publisher",
     "image", "thumbnailUrl", "url", "width", "height", "logo", "author", "creator", "headline"}
)  # fmt: skip
# hidden, or the screen-reader-only idiom (clipped to nothing: ", opens new tab" in a link)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden"
    r"|clip\s*:\s*rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)"
    r"|clip-path\s*:\s*inset\(\s*50%",
    re.I,
)

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
    | [【\[]?(?:扫一扫在手机(?:上)?(?:打开|查看)当前页面?|我要纠错|网站地图|分享到[:：]?[^\n]{0,40}
         |当前位置[:：][^\n]{0,80}|您(?:现在)?的位置[:：][^\n]{0,80})[】\]]?$
    | (?:For\s+immediate\s+release[^\n]{0,60}|\#{3,}|-\s*30\s*-|-?\s*END\s*-?)$
    | (?:In\s+this\s+article|Please\s+enter\s+a\s+valid\s+email\s+address\.?
         |Advertisement|Story\s+continues\s+below(?:\s+advertisement)?|Sign\s+up\s+for[^\n]{0,80}
         |Join\s+[^\n]{1,40}\s+for\s+access\s+to\s+this\s+content|Read\s+more:?[^\n]{0,120}
         |Related:[^\n]{0,160}|Recommended(?:\s+Stories)?|Click\s+here\s+to\s+subscribe[^\n]{0,80})$
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


def flagged_by_name(name: str) -> bool:
    """True for tags flagged by name alone (``nav``, ``footer``, ``figcaption``...)."""
    return name in _CHROME_TAGS or name in _FURNITURE_TAGS


def flag_of(tag: Tag, key: str) -> int:
    """The element's own flag: 0, NON_BODY, CHROME or HARD_CHROME (see the module docstring).

    HARD_CHROME (comments, related lists) stays chrome however much text it holds; the others
    may be overruled by :class:`pressroom.extractors.scan.PageScan` for layout wrappers.
    """
    name = tag.name
    if name in _CHROME_TAGS:
        return CHROME
    if name in _NEVER_FLAGGED:
        return 0
    flag = key_flag(key) if key else 0
    if flag:
        return flag
    if name in _FURNITURE_TAGS:
        return NON_BODY
    if tag.get("itemprop") in _METADATA_ITEMPROPS or tag.get("aria-hidden") == "true":
        return NON_BODY
    style = tag.get("style")
    if tag.has_attr("hidden") or (style and _HIDDEN_STYLE.search(style)):
        return NON_BODY
    return 0


@lru_cache(maxsize=8192)
def key_flag(key: str) -> int:
    """The flag a class/id key alone gives (cached: pages repeat the same class names)."""
    tokens = key.split()
    if any(_is_body_token(t) for t in tokens):
        return 0
    if any(_CHROME.match(t) for t in tokens):
        return HARD_CHROME if any(_HARD_CHROME.match(t) for t in tokens) else CHROME
    if any(_FURNITURE.match(t) for t in tokens) or _FURNITURE_ANYWHERE.search(key):
        return NON_BODY
    return 0


def _is_body_token(token: str) -> bool:
    return token in _BODY_WORDS or bool(_BODY_TOKEN.match(token))


def positive_weight(key: str) -> int:
    """+25 for content-like class names, -25 for chrome-like ones (readability's weighting)."""
    if not key:
        return 0
    weight = 0
    if _POSITIVE.search(key):
        weight += 25
    if any(_CHROME.match(t) or _FURNITURE.match(t) for t in key.split()):
        weight -= 25
    return weight


def is_boilerplate_line(text: str) -> bool:
    """Share/print/close links, font controls, editor/source/date lines, copyright and ICP."""
    return len(text) < 260 and bool(_LINE_PATTERNS.match(text))
