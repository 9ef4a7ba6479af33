"""PageTree and the query helpers: exactly the results of parsel's query on the page's root.

The compiled queries test ids and classes as attribute steps and share a CSS query's first compound
between the queries of a page (`crawler.parsing.query`); parsel's own translation is the reference."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.parsing.extract import all_texts, first_text
from crawler.parsing.query import PageTree, matches, select
from crawler.parsing.selector import page_selector

QUERIES = (
    # CSS: ids, classes, tags; unions; steps below a first compound; text and attributes; queries
    # parsel's translation is kept for (pseudo-classes, sibling combinators, :not)
    "#a", "#b", "#n", "div#a", "p#a", "#a p", "#a span", "#a::text", "#b .bar",
    ".foo", ".bar", ".foobar", "div.foo", "span.foo", ".foo span", ".foo .foo", ".foo p::text",
    ".foo::attr(class)", ".bar *", "p", "span", "p span", "a[name]", ".foo.bar", ".foo > p span",
    "div.foo > p::text", "#a > p > span::text", "*.foo p", "div[class~=foo] p", "p:first-child", ".foo ~ p",
    ":not(.foo)", "div:not(#a) > p",
    ".foo, .bar", "#a, .foo", "#a p, .bar", "p, span", "#a, #b", ".foo::text, #a::text",
    # XPath: class substrings, id tests, unions, positions, prefixes of one another
    "//div[contains(@class, 'foo')]", "//div[contains(@class, 'foo')]/p",
    "//div[contains(@class, 'foo')]//span", "//*[contains(@class, 'bar')]",
    "//*[contains(@class, 'bar')]//text()", "//div[@id='a']", "//div[@id='a']/p",
    "//div[@id='a']/p/span", "//div[@id='a']//text()", "//p", "//p/span", "//p//span[1]",
    "//p | //span", "//span | //div[@id='a']", "(//p)[1]", "(//p)[1]/span", "//span/text()",
    "//div", "//div/p", "//div/p/..", "//div//@class",
)


def tree_of(html: str) -> Selector:
    """The page as the parsers get it (`page_selector` of a UTF-8 response)."""
    return page_selector(HtmlResponse("http://example.test/a.html", body=html.encode(), encoding="utf-8"))


def plain(sel: Selector, query: str) -> list[Any]:
    """The query run by parsel on the page's root."""
    return [found.root for found in select(sel, query)]


def same(got: list[Any], expected: list[Any]) -> bool:
    """The same nodes (identical elements, equal strings) in the same order."""
    return len(got) == len(expected) and all(
        a is b if isinstance(b, etree._Element) else (not isinstance(a, etree._Element) and a == b)
        for a, b in zip(got, expected, strict=True))


def check_all(html: str, queries: tuple[str, ...]) -> None:
    """Every query, in turn on one tree (so later ones may share an earlier one's first step), gives the
    plain results."""
    sel = tree_of(html)
    tree = PageTree(sel)
    for query in queries:
        expected = plain(sel, query)
        assert same(tree.matches(query), expected), query
        assert same(matches(sel, query), expected), query
        assert same(tree.matches(query), expected), f"asked again: {query}"


PAGE = """<html><head><title>t</title></head><body>
<a name="n">anchor</a>
<div id="a" class="foo">one<p>p1 <span class="foo bar">s1</span></p><p>p2</p></div>
<div class="foobar">not foo<p>p3</p></div>
<div class="  foo\tbaz ">two<span>s2</span><div class="foo">nested<p>p4<span>s3</span></p></div></div>
<p id="b" class="bar">b text</p>
<span class="foo-x">hyphen</span>
<div id="n">id n</div>
</body></html>"""

DUPLICATE_IDS = """<html><body>
<div id="a">first<p>fp</p></div>
<p id="a">second<span>ss</span></p>
<span id="b" class="foo">b1</span><div><span id="b">b2</span></div>
<div id="a" class="bar">third</div>
</body></html>"""

UNIQUE_IDS = """<html><body>
<a name="b">a name, not an id</a>
<div id="a" class="foo bar">one<p>p1<span id="n" class="foo">s1</span></p></div>
<div class="foobar"><p>p2</p><a name="x" id="x">both</a></div>
</body></html>"""
"""Ids all different (libxml2's ID table answers exactly), one `<a name>` naming an id no element has."""

PAGES = pytest.mark.parametrize("html", [PAGE, DUPLICATE_IDS, UNIQUE_IDS], ids=["page", "duplicate_ids", "unique_ids"])


@PAGES
def test_every_query_gives_the_plain_results(html: str) -> None:
    check_all(html, QUERIES)


@PAGES
def test_queries_in_reverse_order_give_the_plain_results(html: str) -> None:
    check_all(html, tuple(reversed(QUERIES)))


def test_duplicate_ids_find_every_element_of_the_id() -> None:
    tree = PageTree(tree_of(DUPLICATE_IDS))
    assert [node.text for node in tree.matches("#a")] == ["first", "second", "third"]
    assert [node.text for node in tree.matches("#b")] == ["b1", "b2"]
    assert [node.text for node in tree.matches("div#a")] == ["first", "third"]


def test_a_name_is_not_an_id_on_a_page_of_unique_ids() -> None:
    tree = PageTree(tree_of(UNIQUE_IDS))
    assert tree.matches("#b") == []
    assert [node.tag for node in tree.matches("#a, #b, #n, #x")] == ["div", "span", "a"]


def test_a_name_is_not_an_id() -> None:
    html = '<html><body><a name="x">named</a><div id="x">by id</div><a name="y">only a name</a></body></html>'
    tree = PageTree(tree_of(html))
    assert [node.text for node in tree.matches("#x")] == ["by id"]
    assert tree.matches("#y") == []


def test_a_name_before_an_id_of_unique_ids_page() -> None:
    html = '<html><body><a name="x">named</a><p id="z">z</p><div id="x">by id</div></body></html>'
    check_all(html, ("#x", "#z", "#x, #z", "a[name]"))


def test_class_substrings_do_not_match_a_class() -> None:
    tree = PageTree(tree_of(PAGE))
    classes = [node.get("class") for node in tree.matches(".foo")]
    assert classes == ["foo", "foo bar", "  foo\tbaz ", "foo"]
    assert [node.get("class") for node in tree.matches("//div[contains(@class, 'foo')]")] == \
        ["foo", "foobar", "  foo\tbaz ", "foo"]


def test_nested_matches_are_in_document_order_without_repeats() -> None:
    html = '<html><body><div class="k">a<div class="k">b<p class="k">c</p></div></div><p class="k">d</p></body></html>'
    tree = PageTree(tree_of(html))
    assert [node.text for node in tree.matches(".k")] == ["a", "b", "c", "d"]
    assert [node.text for node in tree.matches(".k p")] == ["c"]
    assert [node.text for node in tree.matches(".k .k")] == ["b", "c"]


def test_union_is_in_document_order() -> None:
    tree = PageTree(tree_of(PAGE))
    assert [node.get("id") for node in tree.matches("#b, #a")] == ["a", "b"]
    assert [node.tag for node in tree.matches("p, span")] == ["p", "span", "p", "p", "span", "p", "span", "p", "span"]


def test_prefix_continuation_follows_the_earlier_answer() -> None:
    sel = tree_of(PAGE)
    tree = PageTree(sel)
    for query in ("//div[@id='a']", "//div[@id='a']/p", "//div[@id='a']/p/span", "//div[@id='a']//text()",
                  "//div", "//div/p[1]", "//div//p/span/text()", "(//p)[2]", "(//p)[2]/span"):
        assert same(tree.matches(query), plain(sel, query)), query
    assert [node.text for node in tree.matches("//div/p[1]")] == ["p1 ", "p3", "p4"]


def test_text_helpers_on_a_tree_and_on_the_selector_agree() -> None:
    sel = tree_of(PAGE)
    tree = PageTree(sel)
    for query in (".foo span", "#a p", ".foo, .bar", "//p | //span"):
        assert all_texts(tree, query) == all_texts(sel, query), query
        assert first_text(tree, query) == first_text(sel, query)
    assert all_texts(tree, "#a p") == ["p1 s1", "p2"]


# Random small documents: ids possibly repeated, random class lists, <a name>, nesting.

NAMES = ("a", "b", "n")
CLASSES = ("foo", "bar", "foobar", "foo-x", "baz")
TAGS = ("div", "p", "span", "a")


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """One element with optional id, class list (odd spacing), `name`, text and children."""
    tag = draw(st.sampled_from(TAGS))
    attributes = ""
    if draw(st.booleans()):
        attributes += f' id="{draw(st.sampled_from(NAMES))}"'
    classes = draw(st.lists(st.sampled_from(CLASSES), max_size=3))
    if classes:
        spaces = draw(st.sampled_from((" ", "  ", "\t", "\n ", "\r", "\f", "\xa0", "\u3000")))
        attributes += f' class="{draw(st.sampled_from(("", " ")))}{spaces.join(classes)}"'
    if tag == "a" and draw(st.booleans()):
        attributes += f' name="{draw(st.sampled_from(NAMES))}"'
    children = draw(st.lists(elements(depth + 1), max_size=3)) if depth < 3 else []
    text = draw(st.sampled_from(("", "x", "y z")))
    return f"<{tag}{attributes}>{text}{''.join(children)}</{tag}>{draw(st.sampled_from(('', 't')))}"


documents = st.lists(elements(), min_size=1, max_size=5).map(
    lambda parts: f"<html><body>{''.join(parts)}</body></html>")


@settings(max_examples=120, deadline=None)
@given(html=documents, queries=st.lists(st.sampled_from(QUERIES), min_size=1, max_size=12))
def test_random_documents_and_queries_give_the_plain_results(html: str, queries: list[str]) -> None:
    check_all(html, tuple(queries))
