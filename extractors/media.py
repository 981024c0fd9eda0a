"""Images in the body (absolute src, alt, caption) and attached documents (pdf, doc, xls, ofd...).

A caption is a ``<figcaption>``, an element with a caption-like class next to the image, or, as
Chinese government pages write it, a short centred paragraph right after the image's own block.
Caption elements are returned so the body leaves them out.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import Tag

from pressroom.core.articles import Attachment, Image
from pressroom.extractors.body import normalize_space
from pressroom.extractors.boilerplate import attr_key
from pressroom.extractors.scan import PageScan

__all__ = ["ATTACHMENT_EXTENSIONS", "absolute_url", "find_attachments", "find_images"]

ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "wps", "ofd",
                         "rar", "7z", "et", "csv", "txt")  # fmt: skip
_ATTACHMENT = re.compile(r"\.(?:" + "|".join(ATTACHMENT_EXTENSIONS) + r")(?:$|[?#&])", re.I)
# download scripts that serve a stored file (Hanweb downfile.jsp?filename=..., download.aspx?id=)
_DOWNLOAD_SCRIPT = re.compile(
    r"/(?:down(?:load)?(?:file)?|getfile|attachment|fileDownload)\.(?:jsp|aspx?|php|do|action)\?",
    re.I,
)
_SKIP_SRC = re.compile(r"^data:|spacer|pixel|blank\.gif|/icons?/|icon[-_]|logo|share|qrcode|ewm",
                       re.I)  # fmt: skip
_CAPTION_CLASS = re.compile(r"caption|credit|pic-?title|img-?title|tuzhu|photo-?text", re.I)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_SRC_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "data-url")


def find_images(scan: PageScan, roots: list[Tag], base_url: str) -> tuple[list[Image], set[int]]:
    """Images inside ``roots`` and the ids of the caption elements found for them."""
    found: list[Image] = []
    captions: set[int] = set()
    seen: set[str] = set()
    for img in scan.images:
        if not any(_inside(img, root) for root in roots) or scan.in_chrome(img):
            continue
        src = next((img.get(a) for a in _SRC_ATTRS if img.get(a)), None)
        if not isinstance(src, str) or _SKIP_SRC.search(src) or _tiny(img):
            continue
        absolute = absolute_url(base_url, src)
        if absolute is None or absolute in seen:
            continue
        seen.add(absolute)
        caption_tag = _caption_of(img)
        caption = None
        if caption_tag is not None:
            captions.add(id(caption_tag))
            caption = normalize_space(caption_tag.get_text(" ")) or None
        alt = img.get("alt")
        alt_text = normalize_space(alt) if isinstance(alt, str) else ""
        found.append(Image(src=absolute, alt=alt_text or None, caption=caption))
    return found, captions


def find_attachments(scan: PageScan, region: Tag | None, base_url: str) -> list[Attachment]:
    """Links to documents inside ``region`` (the article), outside page chrome."""
    found: list[Attachment] = []
    seen: set[str] = set()
    for anchor in scan.anchors:
        href = anchor.get("href")
        if not isinstance(href, str) or not (
            _ATTACHMENT.search(href.strip()) or _DOWNLOAD_SCRIPT.search(href)
        ):
            continue
        if scan.in_chrome(anchor):
            continue
        if region is not None and not _inside(anchor, region):
            continue
        url = absolute_url(base_url, href)
        if url is None or url in seen:
            continue
        seen.add(url)
        text = normalize_space(anchor.get_text(" ")) or anchor.get("title") or None
        found.append(Attachment(url=url, text=text if isinstance(text, str) else None))
    return found


def absolute_url(base: str, link: str) -> str | None:
    """``link`` resolved against ``base``; None for a link urllib cannot parse."""
    try:
        return urljoin(base, link.strip())
    except ValueError:  # e.g. "http://[not-an-ip]/"
        return None


def _inside(tag: Tag, root: Tag) -> bool:
    node = tag.parent
    while node is not None:
        if node is root:
            return True
        node = node.parent
    return False


def _tiny(img: Tag) -> bool:
    for attr in ("width", "height"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip().isdigit() and int(value) <= 32:
            return True
    return False


def _caption_of(img: Tag) -> Tag | None:
    """``<figcaption>``, or the element right after the image's own block (see module doc)."""
    node: Tag | None = img.parent
    for _ in range(4):
        if node is None:
            return None
        if node.name == "figure":
            return node.find("figcaption")
        if node.name in ("p", "div", "td", "center"):
            break
        node = node.parent  # through <a>, <span>, <strong> wrappers
    else:
        return None
    if node is None:
        return None
    sibling = node.find_next_sibling()
    if sibling is None:
        return None
    classes = attr_key(sibling)
    text = normalize_space(sibling.get_text(" "))
    if not text or len(text) > 150 or sibling.find("img") is not None:
        return None
    if _CAPTION_CLASS.search(classes):
        return sibling
    own_text = normalize_space(node.get_text(" "))
    if not own_text and _is_centred(sibling) and _is_centred(node):
        return sibling
    return None


def _is_centred(tag: Tag) -> bool:
    style = tag.get("style")
    return (isinstance(style, str) and bool(_CENTRED.search(style))) or tag.get("align") == "center"
