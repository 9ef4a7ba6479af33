"""page_selector: the tree Scrapy's `response.selector` would give, parsed once per response and gone with it."""

from __future__ import annotations

import codecs
import gc
import json
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

from crawler.parsing.selector import _root_from_body, page_selector

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
URL = "http://example.test/news/a.html"
PAGE = "<html><head><title>标题</title></head><body><p>正文 text</p><div id=c>尾</div></body></html>"


def serialised(selector: Selector) -> tuple[str, str | None]:
    """The whole tree as lxml writes it, and the base URL the document carries."""
    tree = selector.root.getroottree()
    return etree.tostring(tree, encoding="unicode"), tree.docinfo.URL


def response(body: bytes, encoding: str = "utf-8", cls: type[TextResponse] = HtmlResponse) -> TextResponse:
    return cls(URL, body=body, encoding=encoding)


def assert_scrapy_tree(body: bytes, encoding: str = "utf-8") -> None:
    """page_selector's tree is Scrapy's, parsed once for the response, which it leaves alone."""
    fast = response(body, encoding)
    selector = page_selector(fast)
    assert serialised(selector) == serialised(response(body, encoding).selector)
    assert page_selector(fast) is selector and fast.selector is not selector


FROM_BODY = {
    "plain_utf8": PAGE.encode(),
    "ascii_spaces_at_ends": b" \r\n\t" + PAGE.encode() + b"\n  ",
    "base_href": PAGE.replace("<head>", "<head><base href='http://other.test/x/'>").encode(),
    "many_parse_errors_without_bad_bytes": PAGE.replace("</body>", "</span>" * 20 + "</body>").encode(),
    "truncated": PAGE.encode()[: len(PAGE.encode()) // 2],
    "nbsp_inside": PAGE.replace("尾", "\u00a0尾\u2028").encode(),
}
"""Bodies the tree is parsed from directly (the shortcut must be taken, else the test proves nothing)."""

FALLBACK = {
    "bom": b"\xef\xbb\xbf" + PAGE.encode(),
    "nul_first": b"\x00" + PAGE.encode(),
    "nul_inside": PAGE.replace("正文", "正\x00文").encode(),
    "invalid_utf8": PAGE.encode().replace("正文".encode(), b"\xe6\xad\xff\xfe"),
    "invalid_utf8_after_many_errors": PAGE.encode().replace(b"</body>", b"</span>" * 150 + b"\xff</body>"),
    "ideographic_space_at_end": PAGE.encode() + "\u3000".encode(),
    "ideographic_space_at_start": "\u3000".encode() + b"  " + PAGE.encode(),
    "file_separator_at_end": PAGE.encode() + b"\x1c",
    "file_separator_at_start": b"\x1c" + PAGE.encode(),
    "nbsp_at_end": PAGE.encode() + b"\xc2\xa0\r\n",
    "empty": b"",
    "only_spaces": b"  \n ",
    "only_ideographic_space": "\u3000".encode(),
}
"""Bodies whose bytes do not reach lxml as Scrapy's would: `response.selector` builds the tree."""


@pytest.mark.parametrize("body", FROM_BODY.values(), ids=FROM_BODY.keys())
def test_tree_from_the_body_is_scrapys(body: bytes) -> None:
    assert_scrapy_tree(body)
    assert _root_from_body(response(body)) is not None


@pytest.mark.parametrize("body", FALLBACK.values(), ids=FALLBACK.keys())
def test_bodies_lxml_would_read_otherwise_give_scrapys_tree(body: bytes) -> None:
    assert_scrapy_tree(body)
    assert _root_from_body(response(body)) is None


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "gb2312"])
def test_chinese_encodings_fall_back_to_the_response_selector(encoding: str) -> None:
    body = PAGE.encode(encoding)
    assert_scrapy_tree(body, encoding)
    assert _root_from_body(response(body, encoding)) is None


@pytest.mark.parametrize("cut", range(1, 12))
def test_a_body_cut_anywhere_gives_scrapys_tree(cut: int) -> None:
    body = PAGE.encode()
    assert_scrapy_tree(body[: len(body) * cut // 12])


def test_fixture_pages_give_scrapys_tree() -> None:
    pages = 0
    for meta in sorted(FIXTURES.glob("*/meta.json")):
        for entry in json.loads(meta.read_text())["pages"]:
            assert_scrapy_tree((meta.parent / entry["file"]).read_bytes(), entry.get("charset") or "utf-8")
            pages += 1
    assert pages > 10


def test_utf8_aliases_use_the_body() -> None:
    body = PAGE.encode()
    assert _root_from_body(response(body, "utf8")) is not None
    assert_scrapy_tree(body, "utf8")


def test_base_href_gives_the_documents_url() -> None:
    body = FROM_BODY["base_href"]
    assert serialised(page_selector(response(body)))[1] == "http://other.test/x/"


def test_a_text_response_that_is_not_html_gives_its_selectors_tree() -> None:
    plain = response(PAGE.encode(), cls=TextResponse)
    assert serialised(page_selector(plain)) == serialised(response(PAGE.encode(), cls=TextResponse).selector)


def test_the_tree_goes_with_its_response_without_the_cyclic_collector() -> None:
    gc.disable()
    try:
        for body in (PAGE.encode(), FALLBACK["invalid_utf8"]):
            built = response(body)
            selector = page_selector(built)
            assert selector.css("#c::text").get() == "尾" and selector.xpath("//title/text()").get() == "标题"
            gone = weakref.ref(selector)
            del built, selector
            assert gone() is None  # freed with the response: no reference cycle waits for the collector
    finally:
        gc.enable()


EDGES = st.lists(st.sampled_from([
    b" ", b"\r\n", b"\t", b"\x1c", b"\x0b", "\u3000".encode(), "\u00a0".encode(), "\u2028".encode(), b"\xff",
    b"\xe6\xad", b"\x00", codecs.BOM_UTF8, b"x", "尾".encode(), b"<p>", b"</span>",
]), max_size=4).map(b"".join)
"""Bytes put at the ends of a page, or in its middle: spaces str.strip removes and lxml does not, broken UTF-8,
NUL, BOM."""


@settings(max_examples=150, deadline=None)
@given(start=EDGES, middle=EDGES, end=EDGES, encoding=st.sampled_from(("utf-8", "UTF-8", "utf8", "gb18030", "cp1252")))
def test_random_edges_give_scrapys_tree(start: bytes, middle: bytes, end: bytes, encoding: str) -> None:
    body = PAGE.encode().replace("正文".encode(), "正".encode() + middle + "文".encode())
    assert_scrapy_tree(start + body + end, encoding)
