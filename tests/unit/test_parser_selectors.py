"""A parser's selectors: every selector constant compiled when the class is made, a bad one named."""

from __future__ import annotations

import pytest
from lxml import etree

from crawler.parsing.parser import ArticleParser, SelectorError
from crawler.parsing.query import compiled
from spiders.hunan_gov import HunanGovParser


def test_a_bad_selector_fails_when_the_parser_class_is_made():
    with pytest.raises(SelectorError, match=r"Broken\.BODY: 'div\[' is no selector"):
        class Broken(ArticleParser):
            BODY = "div["


def test_every_selector_constant_counts_and_label_lists_do_not():
    assert {".sp_title h1", "#zoom", ".sp_editor", "#zoom img"} <= set(HunanGovParser.selectors)
    assert not set(HunanGovParser.SOURCE_LABELS) & set(HunanGovParser.selectors)


def test_the_compiled_selectors_are_the_ones_the_page_tree_runs():
    assert HunanGovParser.selectors["#zoom img"] is compiled("#zoom img")
    assert isinstance(HunanGovParser.selectors[".sp_title h1"], etree.XPath)
