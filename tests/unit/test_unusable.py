"""Binary sniffing: stray control bytes in an HTML page are tolerated, binary formats are not."""

from __future__ import annotations

from crawler.middlewares.unusable import looks_binary

PAGE = (b"<html><head><title>t</title></head><body><!-- ad slot \x02\x02 --><p>" + "正文".encode("gbk") * 300
        + b"</p></body></html>")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def test_a_few_control_bytes_in_a_declared_html_page_are_text():
    assert not looks_binary(PAGE, "gb18030", declared_html=True)


def test_the_same_bytes_without_a_declared_type_are_binary():
    assert looks_binary(PAGE, "gb18030", declared_html=False)


def test_binary_formats_are_binary_whatever_the_declared_type():
    assert looks_binary(PNG, "utf-8", declared_html=True)
    assert looks_binary(b"%PDF-1.7\n" + b"x" * 2000, "utf-8", declared_html=True)


def test_a_page_of_control_bytes_under_text_html_is_binary():
    assert looks_binary(b"<html>" + bytes(range(0, 32)) * 40, "utf-8", declared_html=True)


def test_utf16_text_is_never_binary():
    assert not looks_binary("正文".encode("utf-16"), "utf-16", declared_html=False)
