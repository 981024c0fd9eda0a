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

A page in a declared multi-byte charset (GBK above all) with a few undecodable bytes is read in
that charset with those bytes replaced, as is an undeclared page that reads as Chinese in GB18030
but for a few bytes: detection on such bytes picks Cyrillic or Latin-1 and garbles every field.

Stray NUL and other control bytes (C0 but tab, newline, form feed, carriage return and ESC, which
ISO-2022 needs; and DEL) are dropped: a page is not rejected for them. Whether bytes are a page
at all is :func:`binary_reason`'s call: the Content-Type, file signatures (PDF, zip, images,
gzip, ...) and a first kilobyte made mostly of control bytes.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["binary_reason", "decode_html", "normalize_charset", "sniff_meta_charset"]

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
_MIN_HANZI = 10
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
#: file signatures at the start of a body (after whitespace), and what they are
_MAGIC = (
    (b"%PDF", "PDF"), (b"PK\x03\x04", "zip (or Office) file"), (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"), (b"\xd0\xcf\x11\xe0", "Office file"),
    (b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7z archive"), (b"\x1f\x8b", "gzip file"),
    (b"\xfd7zXZ\x00", "xz file"), (b"(\xb5/\xfd", "zstd file"), (b"BZh", "bzip2 file"),
    (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"), (b"\x00\x00\x01\x00", "icon"),
    (b"ID3", "MP3 audio"), (b"OggS", "Ogg media"), (b"fLaC", "FLAC audio"),
    (b"wOFF", "web font"), (b"wOF2", "web font"), (b"\x7fELF", "executable"),
    (b"%!PS", "PostScript file"),
)  # fmt: skip
_BINARY_TYPE = re.compile(
    r"^\s*(?:image|audio|video|font)/|^\s*application/(?:pdf|zip|gzip|x-gzip|x-tar|x-bzip2"
    r"|x-xz|zstd|x-7z-compressed|vnd\.rar|x-rar-compressed|msword|vnd\.ms-|vnd\.openxmlformats"
    r"|vnd\.oasis\.opendocument|x-msdownload|wasm|ofd|postscript)",
    re.I,
)


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


def binary_reason(body: bytes, content_type: str | None) -> str | None:
    """Why ``body`` is not a text page (a binary Content-Type, a file signature), or None."""
    if content_type and _BINARY_TYPE.match(content_type):
        return f"Content-Type {content_type.split(';')[0].strip()}"
    head = body[:1024].lstrip()
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"{head[8:12].decode().strip()} file"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if any(head.startswith(bom) for bom, _ in _BOMS):
        controls = 0  # UTF-16/32 text is full of NUL bytes
    if head and controls * 10 > len(head):  # random bytes: 11%
        return f"{controls} of its first {len(head)} bytes are control bytes"
    return None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML page: BOM, header, meta, then detection (see the module docstring)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _CONTROL_TEXT.sub("", body[len(bom) :].decode(codec, errors="replace"))
    # no control byte is part of a character in an ASCII-compatible charset (ESC is kept)
    body = body.translate(None, _CONTROL_BYTES)

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
    for codec in declared:  # a few bad bytes in a GBK page must not send it to detection
        if codec != "utf-8" and not _SINGLE_BYTE.match(codec) and not codec.startswith("utf-16"):
            text = _nearly(body, codec)
            if text is not None:
                return text
    chinese = _nearly(body, "gb18030", chinese=True)
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


def _nearly(body: bytes, codec: str, *, chinese: bool = False) -> str | None:
    """``body`` in ``codec`` with a few undecodable bytes replaced, when nearly all of its
    non-ASCII text decodes (and, with ``chinese``, reads as CJK): the multi-byte twin of
    :func:`_nearly_utf8`, the bad bytes dropped. A page in another codec fails by a wide margin."""
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good < 3 or bad > max(2, good // 50):
        return None
    if chinese and (len(_CJK.findall(text)) < 0.9 * good or not _common_hanzi(text)):
        return None
    return text.replace("\ufffd", "")  # a byte that was no character: nothing to show


def _common_hanzi(text: str) -> bool:
    """Most ideographs are among GB2312's 3,755 common ones (lead bytes B0-D7): Chinese text
    is, Latin-1 accents read as GBK (é is E9, a lead byte of rare characters) are not."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(han) < _MIN_HANZI:
        return False
    common = 0
    for ch in han:
        try:
            common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            continue
    return common >= 0.6 * len(han)


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
