"""The shared selector helpers: paragraphs of a container, whatever the markup."""

from __future__ import annotations

from parsel import Selector

from crawler.parsing.extract import block_texts


def container(html: str) -> Selector:
    return Selector(text=html).css("#c")[0]


def test_blocks_split_paragraphs_and_inline_markup_flattens():
    html = "<div id=c><p>a<b>b</b>c<!-- note -->d<script>x()</script>e</p>f<br>g<div>h</div></div>after"
    assert block_texts(container(html)) == ["abcde", "f", "g", "h"]


def test_dropped_nodes_leave_no_text_and_the_page_is_unchanged():
    sel = container("<div id=c><p>keep</p><p class=ad>drop</p></div>")
    assert block_texts(sel, drop=(".ad",)) == ["keep"]
    assert sel.css(".ad::text").get() == "drop"


def test_deep_nesting_is_walked_without_recursion():
    depth = 1800
    html = "<div id=c>" + "<div>" * depth + "deep" + "</div>" * depth + "out</div>"
    assert block_texts(container(html)) == ["deep", "out"]


def test_inner_spacing_is_kept_for_the_byline_rules():
    assert block_texts(container("<div id=c><p>三审:阳   健</p></div>")) == ["三审:阳   健"]
