"""Listing markup that inline scripts hold: written out where the script stands.

* Hanweb datastore scripts (``<script type="text/xml"><datastore>...``): their CDATA records
  (see :mod:`pressroom.extractors.hanweb`).
* ``document.write('<a href="...">...</a>')`` / ``document.writeln(...)`` whose argument is
  string literals and variables holding string literals joined by ``+``; a call with any
  other expression is left alone.

The result is HTML in which these links sit in their list rows like any static link, so the
generic listing reader groups and dates them.
"""

from __future__ import annotations

import re

from pressroom.extractors.encoding import decode_html
from pressroom.extractors.hanweb import datastore_records

__all__ = ["expand_scripts", "written_html"]

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_WRITE = re.compile(r"\bdocument\s*\.\s*write(?:ln)?\s*\(")
_WRITE_BYTES = re.compile(rb"\bdocument\s*\.\s*write")
_STRING_VAR = re.compile(
    r"\b(?:var|let|const)\s+(\w+)\s*=\s*('(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")\s*[;\n]"
)
_TOKEN = re.compile(
    r"\s*(?:('(?:[^'\\\n]|\\.)*')|(\"(?:[^\"\\\n]|\\.)*\")|([A-Za-z_$][\w$]*)|(\+)|(\)))"
)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}


def _unescape(literal: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, literal[1:-1])


def _argument(code: str, start: int, variables: dict[str, str]) -> tuple[str | None, int]:
    """The string an argument starting at ``start`` evaluates to (None if it is not plain
    literals and known variables joined by ``+``), and where the call ends."""
    pieces: list[str] = []
    pos, expect_value = start, True
    while True:
        match = _TOKEN.match(code, pos)
        if match is None:
            return None, pos
        pos = match.end()
        single, double, name, plus, close = match.groups()
        if close:
            return ("".join(pieces) if pieces and not expect_value else None), pos
        if plus:
            if expect_value:
                return None, pos
            expect_value = True
            continue
        if not expect_value:
            return None, pos
        if name is not None:
            if name not in variables:
                return None, pos
            pieces.append(variables[name])
        else:
            pieces.append(_unescape(single or double))
        expect_value = False


def written_html(code: str) -> str | None:
    """What the ``document.write`` calls of one script write, or None when there is none."""
    variables = {name: _unescape(value) for name, value in _STRING_VAR.findall(code)}
    out: list[str] = []
    for match in _WRITE.finditer(code):
        text, _ = _argument(code, match.end(), variables)
        if text is not None:
            out.append(text)
    written = "".join(out)
    return written if "<" in written else None


def expand_scripts(page: bytes | str) -> bytes | str:
    """``page`` with datastore records and ``document.write`` output in place of their
    scripts (bytes are decoded first, and only when they hold such a script)."""
    if isinstance(page, bytes):
        if b"<datastore" not in page and not _WRITE_BYTES.search(page):
            return page
        expanded = _expand(decode_html(page, None))
        return expanded if expanded is not None else page
    expanded = _expand(page)
    return expanded if expanded is not None else page


def _expand(html: str) -> str | None:
    """``html`` expanded, or None when it holds no script to expand."""
    original = html
    if "<datastore" in html:
        for (start, end), records in reversed(datastore_records(html)):
            html = html[:start] + "".join(records) + html[end:]
    if "document" not in html or not _WRITE.search(html):
        return html if html is not original else None

    def replace(match: re.Match[str]) -> str:
        attributes, code = match.group(1), match.group(2)
        if re.search(r"\bsrc\s*=", attributes, re.I) or not _WRITE.search(code):
            return match.group(0)
        written = written_html(code)
        return written if written is not None else match.group(0)

    expanded = _SCRIPT.sub(replace, html)
    return None if expanded == original else expanded
