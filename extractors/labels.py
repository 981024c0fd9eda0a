"""Labelled visible fields: "发布时间：", "Posted on:", "Source:", "责任编辑：", "By Jane Doe".

The scan hands over short strings outside page chrome that may carry a label; each is read in the
text of its nearest block (labels and values often sit in sibling elements: ``<strong>Posted
on:</strong> March 15, 2023``). A value runs to the next label, a ``|``, a ``【`` or a wide gap.
"Last updated" lines feed ``updated_at``, never ``published_at``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import NavigableString, Tag

from pressroom.core.articles import DateOrder
from pressroom.extractors.boilerplate import BLOCK_TAGS
from pressroom.extractors.dates import date_span, parse_date
from pressroom.extractors.scan import PageScan

__all__ = ["Labelled", "byline_name", "find_labelled", "label_of"]

_KINDS = {
    "updated": r"Last\s+updated|Last\s+modified|Last\s+reviewed|Updated\s+on|Updated|Modified"
    r"|Aktualisiert(?:\s+am)?|Zuletzt\s+aktualisiert|Stand|Mis\s+à\s+jour(?:\s+le)?"
    r"|更新时间|更新日期|修改时间|最后更新",
    # bare 日期/时间 only where no other character runs into them ("会议时间" is not one)
    # 成文日期 (when a document was written) is never the publication date: extractors.govpage
    "published": r"发布时间|发布日期|发稿时间|(?<![\u4e00-\u9fff])(?:日期|时间)"
    r"|Date\s+published"
    r"|Veröffentlicht(?:\s+am)?|Erschienen(?:\s+am)?|Datum|Publié\s+le|Publicado(?:\s+el)?"
    r"|Pubblicato(?:\s+il)?|Gepubliceerd(?:\s+op)?"
    r"|Publication\s+date|Published\s+on|Published|Posted\s+on|Posted|Release\s+date|Released"
    r"|Issued\s+on|Issued|Date",
    "author": r"责任编辑|编辑|作者|撰稿人|撰稿|记者|Editor|Edited\s+by|Author|Written\s+by"
    r"|Reporter",
    "origin": r"文章来源|信息来源|来源|发布机构|发文机关|Source|Issued\s+by|Origin|Department",
}
_LABEL = re.compile(
    "|".join(f"(?P<{kind}>(?<![A-Za-z])(?:{pattern}))" for kind, pattern in _KINDS.items()),
    re.I,
)
_COLON = re.compile(r"\s*[:：]\s*")
_VALUE_END = re.compile(r"\s{2,}|\s*[|｜【\[]|\s+(?=[^\s:：]{1,12}[:：])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_LABEL = re.compile(
    r"(?:posted|published|updated|last\s+updated)(?:\s+on)?|datum|date|veröffentlicht(?:\s+am)?"
    r"|aktualisiert(?:\s+am)?|publié\s+le|mis\s+à\s+jour\s+le|publicado(?:\s+el)?",
    re.I,
)
_DATE_START = re.compile(r"\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_BYLINE = re.compile(r"^\s*By\s+(?P<v>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})", re.U)
_BY = re.compile(r"^(?:(?:posted|written|words)\s+)?(?:by|von)[:\s]+|^(?:作者|文)\s*[:：]\s*", re.I)
# around a date inside a byline: separators, date labels, weekdays, time zones, other labels
_BYLINE_BEFORE_DATE = re.compile(
    r"(?:\s*(?:[|·•—–,@-]|\b(?:published|posted|updated|on|am|um|veröffentlicht|stand|erstellt"
    r"|aktualisiert)\b:?|[^\W\d_]{2,10},|\S+:.*))+$|^\s*(?:posted|published|veröffentlicht)"
    r"(?:\s+(?:on|am))?\s*$",
    re.I,
)
_BYLINE_AFTER_DATE = re.compile(
    r"^(?:\s*(?:[|·•—–,-]|uhr\b|[A-Z]{1,4}T\b|ET\b|UTC\b|GMT\b))+", re.I
)
_BYLINE_SEPARATOR = re.compile(r"\s+[|·•—–]\s+")
_BLOCK_TEXT_MAX = 400
_INFO_LINE_MAX = 200


@dataclass
class Labelled:
    """The first labelled value of each kind, with the label as the rule and its element."""

    published: tuple[datetime, str, Tag] | None = None
    updated: tuple[datetime, str, Tag] | None = None
    author: tuple[str, str, Tag] | None = None
    origin: tuple[str, str, Tag] | None = None
    blocks: list[Tag] = field(default_factory=list)


def label_of(text: str) -> str:
    """A short rule name for a label as written (``label:发布时间``, ``label:posted on``)."""
    return "label:" + re.sub(r"\s+", " ", text.strip().rstrip(":：")).lower()


def find_labelled(scan: PageScan, *, timezone: str, date_order: DateOrder) -> Labelled:
    """Read labelled dates, authors and origins from the scan's candidate strings, in order."""
    found = Labelled()
    seen: set[int] = set()
    for string in scan.label_strings:
        block = _block_of(string)
        if block is None or id(block) in seen:
            continue
        seen.add(id(block))
        if scan.in_chrome(block):
            continue
        text = block.get_text(" ", strip=True)
        if len(text) > _BLOCK_TEXT_MAX:
            text = string.strip()
        first = _read_block(text, block, found, timezone, date_order)
        if first is not None and (first == 0 or len(text) <= _INFO_LINE_MAX):
            found.blocks.append(block)  # an info line, not a body paragraph quoting a label
    return found


def _block_of(string: NavigableString) -> Tag | None:
    node = string.parent
    while node is not None and node.name not in BLOCK_TAGS and node.name != "time":
        node = node.parent
    return node


def _read_block(
    text: str, block: Tag, found: Labelled, timezone: str, date_order: DateOrder
) -> int | None:
    """Record the block's labelled values; the offset of the first label read, or None."""
    hit: int | None = None
    for match in _LABEL.finditer(text):
        kind = match.lastgroup or ""
        rest = text[match.end() :]
        colon = _COLON.match(rest)
        if colon is None and kind in ("author", "origin"):
            continue
        if colon is not None:
            rest = rest[colon.end() :]
        elif not _BARE_LABEL.fullmatch(match.group(kind)) or (
            match.start() > 0 and not _DATE_START.match(rest)
        ):
            continue  # without a colon: "Posted on 3 May" opening the block, or "Datum 25.01.2022"
        end = _VALUE_END.search(rest)
        value = _unwrap((rest[: end.start()] if end else rest).strip(" ,;，；。"))
        if " " in value and _CJK.search(value):
            value = value.split(" ", 1)[0]
        if not value:
            continue
        rule = label_of(match.group(kind))
        if kind in ("published", "updated"):
            when = parse_date(rest[:60], timezone=timezone, date_order=date_order)
            if when is None:
                continue
            hit = match.start() if hit is None else hit
            if getattr(found, kind) is None:
                setattr(found, kind, (when, rule, block))
        elif len(value) <= 80 and not re.search(r"\d{4}[-/年]", value):
            hit = match.start() if hit is None else hit
            if getattr(found, kind) is None:
                setattr(found, kind, (value, rule, block))
    if hit is None and found.author is None and len(text) < 100:
        byline = _BYLINE.match(text)
        if byline:
            found.author = (byline.group("v"), "byline", block)
            hit = 0
    return hit


def _unwrap(value: str) -> str:
    """Drop a closing bracket left over from "（责任编辑：张三）"."""
    while value and value[-1] in _CLOSERS and _CLOSERS[value[-1]] not in value:
        value = value[:-1].rstrip()
    return value


_CLOSERS = {"）": "（", ")": "(", "】": "【", "]": "[", "」": "「", "》": "《"}


def byline_name(text: str) -> str:
    """The name in a byline, without the date it often holds ("Posted November 8, 2023 by X",
    "von Redaktion, 24. Januar 2022"); "" when only a date is left."""
    span = date_span(text)
    if span is not None:
        before = _BYLINE_BEFORE_DATE.sub("", text[: span[0]].rstrip()).strip()
        text = before if _BY.sub("", before) else _BYLINE_AFTER_DATE.sub("", text[span[1] :])
    name = _BY.sub("", text.strip())
    return _BYLINE_SEPARATOR.split(name, maxsplit=1)[0].strip(" ,;|·")
