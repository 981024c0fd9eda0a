"""Bytes to text: BOM, header, meta, detection; GBK as GB18030; wrong headers do not win."""

from __future__ import annotations

import codecs
import re

import pytest

from pressroom.extractors.encoding import decode_html, normalize_charset

CHINESE = "青山区召开2023年优化营商环境工作推进会，区长王建国出席会议并讲话。来源：区营商环境建设局"


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_gbk_without_any_declaration() -> None:
    assert CHINESE in decode_html(page(CHINESE).encode("gbk"), None)


@pytest.mark.parametrize("header", ["text/html; charset=iso-8859-1", "text/html; charset=utf-8",
                                    "text/html; charset=windows-1252", "text/html"])  # fmt: skip
def test_wrong_header_on_gbk_bytes(header: str) -> None:
    assert CHINESE in decode_html(page(CHINESE).encode("gbk"), header)


def test_meta_gb2312_is_read_as_gb18030() -> None:
    text = CHINESE + "㵘"  # outside GB2312, inside GB18030
    body = page(text, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert text in decode_html(body.encode("gb18030"), None)


def test_meta_charset_beats_a_wrong_single_byte_header() -> None:
    body = page(CHINESE, '<meta charset="gbk">').encode("gbk")
    assert CHINESE in decode_html(body, "text/html; charset=ISO-8859-1")


def test_utf8_bytes_declared_gbk_are_utf8() -> None:
    body = page(CHINESE, '<meta charset="gb2312">').encode("utf-8")
    assert CHINESE in decode_html(body, "text/html; charset=GBK")


def test_bom_wins() -> None:
    assert "café" in decode_html(codecs.BOM_UTF8 + page("café").encode(), "text/html; charset=gbk")
    assert "café" in decode_html(codecs.BOM_UTF16_LE + page("café").encode("utf-16-le"), None)


def test_latin1_page_with_latin1_header() -> None:
    text = "Résumé of the conseil municipal: élus, budget, année"
    assert text in decode_html(page(text).encode("latin-1"), "text/html; charset=iso-8859-1")


def test_windows_1252_detected_without_declaration() -> None:
    text = "The council’s “new” café budget — approved"
    decoded = decode_html(page(text).encode("windows-1252"), None)
    assert "council’s" in decoded


def test_shift_jis_declared_in_header() -> None:
    text = "市議会は新しい予算を承認しました"
    assert text in decode_html(page(text).encode("shift_jis"), "text/html; charset=Shift_JIS")


def test_ascii_and_unknown_charset() -> None:
    assert decode_html(b"<p>plain</p>", "text/html; charset=x-unknown") == "<p>plain</p>"


@pytest.mark.parametrize(("name", "codec"), [("GB2312", "gb18030"), ("gbk", "gb18030"),
                         ("ISO-8859-1", "cp1252"), ("UTF8", "utf-8"), ("nope", None)])  # fmt: skip
def test_normalize_charset(name: str, codec: str | None) -> None:
    assert normalize_charset(name) == codec


# Issue 14: a GBK page with a few undecodable bytes (a truncated character, a stray 0xFF) is read
# as GBK, not handed to detection, which read such pages as Cyrillic or Latin-1 in every field.
BROKEN = (
    page(CHINESE).encode("gbk").replace("。".encode("gbk"), b"\x81 ").replace(b"</p>", b"\xff</p>")
)


@pytest.mark.parametrize(
    "header", [None, "text/html; charset=gbk", "text/html; charset=ISO-8859-1"]
)
def test_gbk_with_a_few_bad_bytes(header: str | None) -> None:
    text = decode_html(BROKEN, header)
    assert "区长王建国出席会议并讲话" in text
    assert "来源：区营商环境建设局" in text
    assert "\ufffd" not in text


def test_latin1_bytes_are_not_taken_for_gbk_with_bad_bytes() -> None:
    text = "Le conseil a voté le budget. Élus présents: Hélène Dupré, René Lefèvre, Zoé Géraud."
    decoded = decode_html(page(text).encode("latin-1"), None)
    assert "voté le budget. Élus présents" in decoded
    assert not re.search("[\u4e00-\u9fff]", decoded)
