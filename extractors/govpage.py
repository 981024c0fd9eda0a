"""Chinese government page conventions: disclosure header tables and Hanweb content markers.

**Disclosure pages** (政府信息公开) open with a header of labelled fields, written by TRS WCM,
Hanweb jcms and hand-made templates alike in one of a few layouts::

    <tr><td>索 引 号：</td><td>113301.../2023-00015</td><td>主题分类：</td><td>城乡建设</td></tr>
    <li><b>发文字号：</b>临政办发〔2023〕5号</li>
    <p>成文日期：2023-03-01　发布日期：2023-03-06</p>

The text is read string by string: a string that opens with a label (spaces inside the label
allowed, "索&nbsp;引&nbsp;号") takes the rest of the string as its value, or, when nothing
follows the colon, the next string that is not itself a label (the next cell, the text after
``</b>``). The header is the smallest element holding at least three of the distinctive labels
(索引号, 发文字号, 成文日期, 主题分类, 有效性, 发文机关); a lone "发布日期：" line elsewhere is
not a header and is left to :mod:`pressroom.extractors.labels`. The header is not body, and neither
is the
signature date repeated at the end of the body ("2023年3月1日"). 发布日期 (公开日期, 生成日期)
is the publication date; 成文日期 (印发日期) is ``written_at``, never ``published_at``.

**Hanweb bodies** sit between ``<meta name="ContentStart">`` and ``<meta name="ContentEnd">``
(the CMS's own markers): the elements between them, when both are siblings, are the body.

Hand-written rather than a library: no maintained package reads these headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bs4 import BeautifulSoup, NavigableString, Tag

from pressroom.core.articles import DateOrder
from pressroom.extractors.body import normalize_space
from pressroom.extractors.dates import parse_date
from pressroom.extractors.scan import PageScan

__all__ = ["Disclosure", "content_markers", "drop_signature_dates", "read_disclosure"]

# longest first within each field: "发文字号" before "文号", "主题分类" before "分类"
_FIELD_LABELS = {
    "index_no": ("索引号", "索取号"),
    "doc_no": ("发文字号", "发文文号", "文件编号", "发文号", "文号"),
    "issuer": ("发文机关", "发文单位", "发布机构", "发布机关", "发布单位", "制发机关"),
    "written_at": ("成文日期", "成文时间", "印发日期", "制发日期"),
    "topic": ("主题分类", "信息分类", "分类"),
    "validity": ("有效性", "时效性", "效力状态", "是否有效"),
    "published": ("发布日期", "公开日期", "生成日期", "发布时间", "公开时间"),
    "": ("标题", "名称", "主题词", "关键词", "内容概述", "信息类别", "体裁分类"),  # stop labels
}
_DISTINCT = frozenset({"index_no", "doc_no", "issuer", "written_at", "topic", "validity"})
_MIN_DISTINCT = 3
_KIND = {label: kind for kind, labels in _FIELD_LABELS.items() for label in labels}
_SPACED = sorted(_KIND, key=len, reverse=True)
_GAP = r"[\s\u3000]*"
_LABEL = re.compile("|".join(f"(?P<l{i}>{_GAP.join(label)})" for i, label in enumerate(_SPACED)))
_AT_LABEL = re.compile(rf"[\s\u3000]*(?:{_LABEL.pattern})[\s\u3000]*(?P<colon>[:：]?)")
_IN_TEXT = re.compile(
    rf"(?:^|(?<=[\s\u3000]))[\s\u3000]*(?:{_LABEL.pattern})[\s\u3000]*(?P<colon>[:：]?)"
)
# cheap test on the raw page before any tree work: two of the distinctive labels
_HTML_GAP = r"(?:\s|&nbsp;|&#160;|\u3000)*"
_HINT = re.compile(
    f"索{_HTML_GAP}引{_HTML_GAP}号|有{_HTML_GAP}效{_HTML_GAP}性|发文字号|文号|成文日期|主题分类|发文机关"
)
_VALUE_MAX = 120
_SIGNATURE_DATE = re.compile(
    r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2}))$"
)
_SIGNATURE_TAIL = 3
_HEADER_SLACK = 200
_ROW_TAGS = frozenset({"tr", "li", "p", "dd", "dt", "div"})


@dataclass
class Disclosure:
    """What a disclosure header gives: its fields, the 发布日期 and the elements to leave out."""

    fields: dict[str, str | date] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    published: datetime | None = None
    published_label: str | None = None
    blocks: list[Tag] = field(default_factory=list)
    text: int = 0
    """Characters of the header's labels and values."""

    @property
    def days(self) -> set[date]:
        """成文日期 and 发布日期: a bare date line repeating one at the end is not body."""
        found = {self.published.date()} if self.published else set()
        written = self.fields.get("written_at")
        return found | {written} if isinstance(written, date) else found

    def replaces(self, current: datetime | None, rule: str | None) -> bool:
        """Whether 发布日期 becomes ``published_at`` instead of ``current`` (found by ``rule``):
        unless ``current`` falls on the same day (it may give the time of day) or a declared
        selector (``selector``, ``site:...``) found it."""
        if self.published is None:
            return False
        if current is None:
            return True
        if (rule or "").startswith(("selector", "site:")):
            return False
        return current.astimezone(self.published.tzinfo).date() != self.published.date()


def _label_kind(match: re.Match[str]) -> tuple[str, str]:
    name = next((k for k, v in match.groupdict().items() if v and k[0] == "l"), "")
    label = _SPACED[int(name[1:])] if name else ""
    return _KIND.get(label, ""), label


def read_disclosure(
    html: str, soup: BeautifulSoup, scan: PageScan, *, timezone: str, date_order: DateOrder
) -> Disclosure | None:
    """The page's disclosure header, or None when it has none (see the module docstring)."""
    if len(_HINT.findall(html, 0, 200_000)) < 2 or soup.body is None:
        return None
    labelled = [
        (s, {_label_kind(m)[0] for m in _IN_TEXT.finditer(s) if m.start() == 0 or m.group("colon")})
        for s in soup.body.strings
        if type(s) is NavigableString and len(s) <= 400 and _opens_with_label(s)
    ]
    header = _header(labelled)
    if header is None:
        return None
    strings = [
        s for s in header.strings if type(s) is NavigableString and normalize_space(s)
    ]  # fmt: skip
    found = Disclosure()
    used: set[int] = set()
    for i, string in enumerate(strings):
        if id(string) in used:
            continue
        for kind, label, value, taken in _pairs(strings, i):
            used.update(id(t) for t in taken)
            found.text += sum(len(t.strip()) for t in taken)
            _store(found, kind, label, value, timezone, date_order)
    if not found.fields:
        return None
    if scan.text_len.get(id(header), 0) <= 2 * found.text + _HEADER_SLACK:
        found.blocks.append(header)
    else:  # one layout table around header and body: leave out the header's own rows only
        found.blocks.extend(dict.fromkeys(_block_of(t) for t in used_strings(strings, used)))
    return found


def used_strings(strings: list[NavigableString], used: set[int]) -> list[NavigableString]:
    return [s for s in strings if id(s) in used]


def _block_of(string: NavigableString) -> Tag:
    node = string.parent
    while node.parent is not None and node.name not in _ROW_TAGS:
        node = node.parent
    return node


def _header(labelled: list[tuple[NavigableString, set[str]]]) -> Tag | None:
    """The smallest element holding the most distinctive labels (three at least)."""
    kinds_under: dict[int, set[str]] = {}
    tags: dict[int, Tag] = {}
    depth: dict[int, int] = {}
    for string, kinds in labelled:
        distinct = kinds & _DISTINCT
        if not distinct:
            continue
        node, level = string.parent, 0
        while node is not None and node.name != "[document]":
            kinds_under.setdefault(id(node), set()).update(distinct)
            tags[id(node)] = node
            depth[id(node)] = level
            node, level = node.parent, level + 1
    best = [key for key, kinds in kinds_under.items() if len(kinds) >= _MIN_DISTINCT]
    if not best:
        return None
    return tags[min(best, key=lambda key: (-len(kinds_under[key]), depth[key]))]


def _opens_with_label(text: str) -> re.Match[str] | None:
    """The label opening ``text``: followed by a colon, or all the string holds (a ``<th>``)."""
    match = _AT_LABEL.match(text)
    if match is None or match.group("colon"):
        return match
    return match if not normalize_space(text[match.end() :]) else None


def _pairs(
    strings: list[NavigableString], i: int
) -> list[tuple[str, str, str, list[NavigableString]]]:
    """``(kind, label, value, strings used)`` for each label in ``strings[i]``."""
    text = str(strings[i])
    if _opens_with_label(text) is None:
        return []
    matches = [m for m in _IN_TEXT.finditer(text) if m.start() == 0 or m.group("colon")]
    out: list[tuple[str, str, str, list[NavigableString]]] = []
    for k, match in enumerate(matches):
        kind, label = _label_kind(match)
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        value = normalize_space(text[match.end() : end])
        taken = [strings[i]]
        last = k + 1 == len(matches)
        if not value and last and i + 1 < len(strings):
            following = strings[i + 1]
            if _opens_with_label(str(following)) is None:
                value = normalize_space(following)
                taken.append(following)
        out.append((kind, label, value, taken))
    return out


def _store(
    found: Disclosure, kind: str, label: str, value: str, timezone: str, order: DateOrder
) -> None:
    if not kind or not value or len(value) > _VALUE_MAX:
        return
    if kind in ("written_at", "published"):
        when = parse_date(value, timezone=timezone, date_order=order)
        if when is None:
            return
        if kind == "published":
            if found.published is None:
                found.published, found.published_label = when, label
            return
        value = when.date()  # type: ignore[assignment]
    if kind not in found.fields:
        found.fields[kind] = value
        found.labels[kind] = label


def drop_signature_dates(paragraphs: list[str], days: set[date]) -> list[str]:
    """Leave out the date line near the end of the body that repeats one of ``days``
    (the 成文日期 or 发布日期 under the signature)."""
    keep = list(paragraphs)
    for index in range(len(keep) - 1, max(-1, len(keep) - 1 - _SIGNATURE_TAIL), -1):
        match = _SIGNATURE_DATE.match(keep[index])
        if match is None:
            continue
        year, month, day = (
            match.group(1),
            match.group(2) or match.group(4),
            match.group(3) or match.group(5),
        )
        try:
            when = date(int(year), int(month), int(day))
        except ValueError:
            continue
        if when in days:
            del keep[index]
    return keep


def content_markers(scan: PageScan) -> list[Tag]:
    """The elements between Hanweb's ``ContentStart`` and ``ContentEnd`` meta markers, when the
    two are siblings; otherwise empty."""
    start = end = None
    for meta in scan.metas:
        name = meta.get("name")
        if not isinstance(name, str):
            continue
        lowered = name.strip().lower()
        if lowered == "contentstart" and start is None:
            start = meta
        elif lowered == "contentend" and start is not None:
            end = meta
            break
    if start is None or end is None or start.parent is not end.parent:
        return []
    between: list[Tag] = []
    loose_text = False
    for sibling in start.next_siblings:
        if sibling is end:
            if not sum(scan.text_len.get(id(t), 0) for t in between) and not loose_text:
                return []  # nothing between the markers (a body in an iframe): not the body
            parent = start.parent
            return [parent] if loose_text and isinstance(parent, Tag) else between
        if isinstance(sibling, Tag):
            between.append(sibling)
        elif isinstance(sibling, NavigableString) and sibling.strip():
            loose_text = True  # text right under the markers' parent: take the parent
    return []
