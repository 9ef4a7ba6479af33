"""Encodings: each page's item has the right text and names the charset it was read in."""

from __future__ import annotations

import pytest

from crawler.middlewares.charset import choose_encoding
from tests.badinput import pages
from tests.badinput.corpus import GB18030_TEXT

FALLBACKS = ["utf-8", "gb18030"]


def item_of(crawl, path):
    items = crawl.items()
    url = crawl.server.url(path)
    assert url in items, f"no item for {path}: {crawl.lines(path)}"
    return items[url]


def assert_right_text(item, paragraphs=pages.PARAGRAPHS):
    assert item["title"] == pages.TITLE
    assert item["body"] == "\n\n".join(paragraphs)
    assert "\ufffd" not in item["title"] + item["body"]


def test_gbk_declared_only_in_meta(crawl):
    item = item_of(crawl, "/enc/gbk-meta")
    assert_right_text(item)
    assert item["encoding"] == "gb18030"


def test_gb18030_characters_beyond_gbk(crawl):
    item = item_of(crawl, "/enc/gb18030-meta")
    assert_right_text(item, GB18030_TEXT)
    assert pages.GB18030_ONLY in item["body"]
    assert item["encoding"] == "gb18030"


def test_header_says_utf8_over_gbk_body_with_meta(crawl):
    item = item_of(crawl, "/enc/header-utf8-over-gbk")
    assert_right_text(item)
    assert item["encoding"] == "gb18030"
    assert crawl.lines("WARNING", "/enc/header-utf8-over-gbk ", "declares utf-8",
                       "decoded as gb18030 (declared in <meta>)")


def test_header_says_utf8_over_gbk_body_without_meta(crawl):
    item = item_of(crawl, "/enc/header-utf8-over-gbk-no-meta")
    assert_right_text(item)
    assert item["encoding"] == "gb18030"
    assert crawl.lines("WARNING", "/enc/header-utf8-over-gbk-no-meta ",
                       "decoded as gb18030 (the first of CHARSET_FALLBACKS")


def test_wrong_header_charsets_are_counted(crawl):
    assert crawl.stat("decode/header_charset_wrong") == 2


def test_no_charset_anywhere_gbk_body(crawl):
    item = item_of(crawl, "/enc/undeclared-gbk")
    assert_right_text(item)
    assert item["encoding"] == "gb18030"
    assert crawl.lines("INFO", "/enc/undeclared-gbk declares no charset: decoded as gb18030")


def test_no_charset_anywhere_utf8_body(crawl):
    item = item_of(crawl, "/enc/undeclared-utf8")
    assert_right_text(item)
    assert item["encoding"] == "utf-8"
    assert crawl.stat("decode/charset_undeclared") >= 2


def test_byte_order_mark_wins_over_header(crawl):
    item = item_of(crawl, "/enc/bom-over-gbk-header")
    assert_right_text(item)
    assert item["encoding"] == "utf-8"


def test_invalid_bytes_become_counted_replacement_characters(crawl):
    item = item_of(crawl, "/enc/invalid-bytes")
    assert item["encoding"] == "utf-8"
    assert item["title"] == pages.TITLE
    assert item["body"].count("\ufffd") == 2
    assert item["body"].replace("\ufffd", "") == "\n\n".join(pages.PARAGRAPHS)
    assert crawl.stat("decode/replacement_chars") == 2
    assert crawl.stat("decode/invalid_bytes") >= 2
    assert crawl.lines("WARNING", "/enc/invalid-bytes has 2 U+FFFD replacement characters")


def test_every_decoded_page_is_archived_as_received(crawl):
    for path in ("/enc/header-utf8-over-gbk", "/enc/undeclared-gbk", "/enc/invalid-bytes"):
        [record] = crawl.responses(crawl.server.url(path))
        assert record.status == 200
        assert pages.TITLE.encode("gbk") in record.payload or pages.TITLE.encode() in record.payload


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    (pages.article_html(charset="gbk").encode("gbk"), "text/html; charset=utf-8",
     ("gb18030", "meta", ("header", "utf-8"))),
    (pages.article_html(charset="utf-8").encode("gbk"), None, ("gb18030", "fallback", ("meta", "utf-8"))),
    (pages.article_html().encode("gbk"), "text/html", ("gb18030", "fallback", None)),
    (pages.article_html().encode("utf-8"), "text/html; charset=gbk", ("utf-8", "utf8-evidence", ("header", "gb18030"))),
    (pages.article_html().encode("utf-8"), "text/html; charset=iso-8859-1",
     ("utf-8", "utf8-evidence", ("header", "cp1252"))),
    ("<p>录入</p>".encode("gbk"), "text/html; charset=gbk", ("gb18030", "header", None)),
    (b"\xef\xbb\xbf" + pages.article_html().encode(), "text/html; charset=gbk", ("utf-8", "bom", None)),
    (b"<html><p>plain ascii</p></html>", None, ("utf-8", "fallback", None)),
])
def test_charset_rule(body, content_type, expected):
    decision = choose_encoding(body, content_type, FALLBACKS, 0.05)
    assert (decision.encoding, decision.source, decision.wrong) == expected
    assert decision.invalid == 0


def test_a_few_bad_bytes_do_not_overrule_a_declaration():
    body = pages.article_html(charset="utf-8").encode()
    cut = body.index(b"<p>")
    damaged = body[:cut] + b"\xff" + body[cut:]
    decision = choose_encoding(damaged, "text/html; charset=utf-8", FALLBACKS, 0.05)
    assert (decision.encoding, decision.source, decision.wrong, decision.invalid) == ("utf-8", "header", None, 1)


def test_nothing_decodes_cleanly_keeps_the_declaration():
    noise = bytes(range(128, 256)) * 4
    decision = choose_encoding(noise, "text/html; charset=utf-8", FALLBACKS, 0.05)
    assert (decision.encoding, decision.wrong) == ("utf-8", None)
    assert decision.invalid > 0
