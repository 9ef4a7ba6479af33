"""block_texts with drop queries: the text of the container with the dropped nodes removed."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from crawler.parsing.extract import CAPTION_PARAGRAPHS, block_texts
from crawler.parsing.query import select


def container(html: str) -> Selector:
    return Selector(text=f"<html><body>{html}<p>after</p></body></html>").css("#c")[0]


def removed(sel: Selector, drop: tuple[str, ...]) -> list[str]:
    """The blocks of a copy of the container from which each query's nodes were dropped in turn."""
    root = copy.deepcopy(sel.root)
    for query in drop:
        for found in select(Selector(root=root), query):
            found.drop()
    return block_texts(root)


def assert_as_removed(sel: Selector, drop: tuple[str, ...]) -> list[str]:
    """block_texts with `drop` gives the blocks of the copy without the nodes, and leaves the page as it was."""
    page = etree.tostring(sel.root.getroottree())
    got = block_texts(sel, drop)
    assert got == removed(sel, drop)
    assert etree.tostring(sel.root.getroottree()) == page
    return got


CASES = {
    "tails_stay": ("<div id=c><p>a<span>x</span>tail<b>y</b>b</p><span>z</span>end</div>", (".//span",)),
    "nested_drops": ("<div id=c><span>1<span>2</span>3</span>4<p>5<span>6</span></p></div>", (".//span",)),
    "block_dropped": ("<div id=c>a<div class=ad>ad<p>in</p></div>b<p>c</p></div>", (".ad",)),
    "css_and_xpath": ("<div id=c><p class=ad>x</p><p>y<i>z</i></p></div>", (".ad", ".//i")),
    "first_finds_nothing": ("<div id=c><p>a</p><p class=x>b</p></div>", (".nothing", ".x")),
    "second_sees_first_drops": ("<div id=c><p>a</p><p>b</p><p>c</p></div>", ("./p[1]", "./p[1]")),
    "position_after_drop": ("<div id=c><b>1</b><b>2</b><b>3</b></div>", (".//b[1]", ".//b[last()]")),
    "caption_paragraphs": (
        ("<div id=c><p><img src=a.jpg></p><p style='text-align:center'>caption</p><p>text</p>"
         "<p style='text-align: center'>centred text</p></div>"), (CAPTION_PARAGRAPHS,)),
    "comments_scripts": ("<div id=c><p>a<!-- c -->b<script>s</script><i>c</i>d</p></div>", (".//i",)),
    "br_dropped": ("<div id=c>a<br class=x>b<br>c</div>", (".x",)),
    "drop_nothing": ("<div id=c><p>a</p></div>", (".none",)),
}


@pytest.mark.parametrize(("html", "drop"), CASES.values(), ids=CASES.keys())
def test_drops_give_the_text_without_the_nodes(html: str, drop: tuple[str, ...]) -> None:
    assert_as_removed(container(html), drop)


def test_dropped_tails_are_kept_in_their_paragraph() -> None:
    assert assert_as_removed(container(CASES["tails_stay"][0]), (".//span",)) == ["atailyb", "end"]


def test_a_later_query_sees_the_earlier_drops() -> None:
    assert assert_as_removed(container(CASES["second_sees_first_drops"][0]), ("./p[1]", "./p[1]")) == ["c"]


# Random containers and drop tuples.

DROPS = (".//span", ".//p[1]", ".ad", ".//b", "./p", ".//p[.//img]", CAPTION_PARAGRAPHS, ".x span",
         ".//div[contains(@class, 'ad')]", ".//br", ".none", "./*[last()]")


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """One element: random tag, class, centring, text, children and tail."""
    tag = draw(st.sampled_from(("p", "div", "span", "b", "br", "img", "script")))
    attributes = ""
    if draw(st.booleans()):
        attributes += f" class='{draw(st.sampled_from(('ad', 'x', 'adx', 'x ad')))}'"
    if draw(st.booleans()):
        attributes += " style='text-align:center'"
    if tag in ("br", "img"):
        inner = ""
    else:
        children = draw(st.lists(elements(depth + 1), max_size=3)) if depth < 3 else []
        inner = draw(st.sampled_from(("", "t", " u v "))) + "".join(children) + f"</{tag}>"
    return f"<{tag}{attributes}>{inner}{draw(st.sampled_from(('', 'tail', ' ')))}"


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(elements(), min_size=1, max_size=5), drop=st.lists(st.sampled_from(DROPS), max_size=3))
def test_random_containers_drop_as_removed(parts: list[str], drop: list[str]) -> None:
    assert_as_removed(container(f"<div id=c>{''.join(parts)}</div>"), tuple(drop))
