"""Turn the bytes of an HTML page into text without mojibake.

Order of evidence: a byte-order mark (always right), then the HTTP ``Content-Type`` charset and
the page's own ``<meta charset>`` / ``http-equiv`` declaration, each checked against the bytes,
then detection. GB2312 and GBK are read as their superset GB18030, and ISO-8859-1 / ASCII as
windows-1252 (what browsers do). A declaration is believed only when the bytes agree with it:

* non-ASCII bytes that are valid UTF-8 are read as UTF-8 (other encodings practically never are);
* a declared multi-byte charset must decode strictly;
* a declared single-byte charset (which decodes anything) loses to UTF-8 when the bytes are valid
  UTF-8, and to GB18030 when the bytes read as Chinese text in it (the usual case of a gov.cn page
  served with a default ``iso-8859-1`` header).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "normalize_charset", "sniff_meta_charset"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "x-sjis": "shift_jis",
    "big5-hkscs": "big5hkscs",
}
_SINGLE_BYTE = re.compile(r"^(windows-125\d|iso-?8859-\d+|koi8-?[ru]|mac-?roman|cp125\d|tis-620)$")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_SNIFF_BYTES = 8192


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when Python does not know it."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        codec = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(codec, "gb18030" if codec in {"gbk", "gb2312"} else codec)


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset declared by ``<meta charset>`` or ``http-equiv`` in the first 8 KB."""
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    if not match:
        return None
    return normalize_charset(match.group(1).decode("ascii", "ignore"))


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML page: BOM, header, meta, then detection (see the module docstring)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")

    header = None
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        header = normalize_charset(match.group(1)) if match else None
    declared = [c for c in (header, sniff_meta_charset(body)) if c]

    if body.isascii():
        return body.decode("ascii")
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:  # non-ASCII bytes that are valid UTF-8 are UTF-8 whatever is declared
        return utf8
    nearly = _nearly_utf8(body)
    if nearly is not None:  # a stray bad byte must not send a UTF-8 page to detection
        return nearly
    for codec in declared:
        if codec == "utf-8" or _SINGLE_BYTE.match(codec) or codec.startswith("utf-16"):
            continue
        text = _strict(body, codec)
        if text is not None:
            return text
    chinese = _as_chinese(body)
    if chinese is not None:
        return chinese
    for codec in declared:
        if _SINGLE_BYTE.match(codec):
            return body.decode(codec, errors="replace")
    return _detect(body)


def _nearly_utf8(body: bytes) -> str | None:
    """UTF-8 with a few bad bytes replaced, when nearly all non-ASCII text is valid UTF-8.

    Text in another multi-byte or single-byte codec almost never forms valid UTF-8 sequences,
    so it fails here by a wide margin and goes on to the declared codecs and detection.
    """
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good >= 3 and bad <= max(2, good // 50):
        return text
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _as_chinese(body: bytes) -> str | None:
    """GB18030 text when the bytes decode strictly and their non-ASCII part is mostly CJK."""
    text = _strict(body, "gb18030")
    if text is None:
        return None
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii and len(_CJK.findall(text)) >= 0.9 * non_ascii:
        return text
    return None


def _detect(body: bytes) -> str:
    best = from_bytes(body).best()
    codec = normalize_charset(best.encoding) if best is not None else None
    return body.decode(codec or "utf-8", errors="replace")
