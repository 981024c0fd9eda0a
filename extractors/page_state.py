"""Article text kept in page state: the data a script-rendered page ships for its own scripts.

Read from the raw HTML (scripts are cut before the tree is built):

* ``<script id="__NEXT_DATA__" type="application/json">`` and any other
  ``<script type="application/json">`` block;
* ``window.__INITIAL_STATE__ = {...}``-style assignments (any ``window.__NAME__`` or
  ``window.NAME_STATE``), read as JSON from the opening brace.

In the decoded data, the body is the largest of: a string of HTML paragraphs (``<p>...``), a
list whose items each carry one passage of prose (``{"type": "paragraph", "text": ...}``,
``{"contents": {"html": ...}}``), or one long prose string under a body-like key
(``body``, ``articleBody``, ``content``, ``text``). Teaser lists (short headlines) and URLs are
not prose. Hand-written rather than a library: no maintained package reads these shapes.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

__all__ = ["state_paragraphs"]

_JSON_SCRIPT = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']application/json[\"'][^>]*>(.*?)</script\s*>", re.I | re.S
)
_ASSIGNED = re.compile(r"\bwindow\s*\.\s*(__\w+__|\w+_STATE)\s*=\s*(?=\{)")
_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_SPLIT = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)\s*>|<br\s*/?>", re.I)
_BODY_KEYS = frozenset({"body", "articlebody", "content", "text", "html", "bodyhtml", "story"})
_MIN_TOTAL = 200
_MIN_PASSAGE = 40
_MIN_ITEMS = 2
_MAX_DEPTH = 40
_MAX_BYTES = 5_000_000


def state_paragraphs(html: str) -> list[str]:
    """The article paragraphs found in the page's state blobs (empty when none holds a body)."""
    best: list[str] = []
    for data in _blobs(html):
        found = _best(data, 0)
        if _length(found) > _length(best):
            best = found
    return best if _length(best) >= _MIN_TOTAL else []


def _blobs(html: str) -> list[Any]:
    blobs: list[Any] = []
    for match in _JSON_SCRIPT.finditer(html):
        raw = _WRAPPER.sub("", match.group(1)).strip()
        if len(raw) < _MIN_TOTAL or len(raw) > _MAX_BYTES:
            continue
        try:
            blobs.append(json.loads(raw))
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    for match in _ASSIGNED.finditer(html):
        try:
            blobs.append(decoder.raw_decode(html, match.end())[0])
        except ValueError:
            continue
    return blobs


def _length(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _best(node: Any, depth: int) -> list[str]:
    """The longest body candidate at or below ``node``."""
    if depth > _MAX_DEPTH:
        return []
    best: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                if key.lower() in _BODY_KEYS and len(value) >= _MIN_TOTAL:
                    found = _string_body(value)
                    if _length(found) > _length(best):
                        best = found
            else:
                found = _best(value, depth + 1)
                if _length(found) > _length(best):
                    best = found
    elif isinstance(node, list):
        passages = [p for p in (_passage(item, 0) for item in node) if p]
        if len(passages) >= _MIN_ITEMS and _length(passages) >= _MIN_TOTAL:
            best = [p for passage in passages for p in _string_body(passage, short_ok=True)]
        for item in node:
            if isinstance(item, dict | list):
                found = _best(item, depth + 1)
                if _length(found) > _length(best):
                    best = found
    return best


def _passage(item: Any, depth: int) -> str | None:
    """The one passage of prose a list item carries: its longest prose string."""
    if isinstance(item, str):
        return item if _is_prose(item) else None
    if depth > 3 or not isinstance(item, dict):
        return None
    best = None
    for value in item.values():
        found = _passage(value, depth + 1)
        if found and (best is None or len(found) > len(best)):
            best = found
    return best


def _is_prose(text: str) -> bool:
    plain = _TAG.sub("", text).strip()
    if len(plain) < _MIN_PASSAGE or plain.startswith(("http://", "https://", "/", "{")):
        return False
    return " " in plain or any("\u3000" <= c <= "\u9fff" for c in plain[:40])


def _string_body(value: str, *, short_ok: bool = False) -> list[str]:
    """Paragraphs of one string: HTML blocks, else its lines."""
    pieces = _BLOCK_SPLIT.split(value) if "<" in value else value.split("\n")
    paragraphs = []
    for piece in pieces:
        text = " ".join(htmllib.unescape(_TAG.sub("", piece)).split())
        if text:
            paragraphs.append(text)
    if not short_ok and not any(_is_prose(p) for p in paragraphs):
        return []
    return paragraphs
