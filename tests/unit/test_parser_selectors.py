"""A parser's selectors: every selector constant checked when the class is made, its anchors found from them."""

from __future__ import annotations

import pytest

from spiders.hunan_gov import HunanGovParser
from spiders.parser import ArticleParser, SelectorError, page_anchors


def test_a_bad_selector_fails_when_the_parser_class_is_made():
    with pytest.raises(SelectorError, match=r"Broken\.BODY: 'div\[' is no selector"):
        class Broken(ArticleParser):
            BODY = "div["


def test_every_selector_constant_counts_and_label_lists_do_not():
    assert {".sp_title h1", "#zoom", ".sp_editor", "meta"} <= set(HunanGovParser.selectors)
    assert not set(HunanGovParser.SOURCE_LABELS) & set(HunanGovParser.selectors)


class WithDrops(ArticleParser):
    """A parser whose body drop and image caption selectors name classes of their own."""

    BODY = "#zoom"
    BODY_DROP = (".share",)
    IMAGES = "#zoom img"
    IMAGE_CAPTION = ".caption"
    AUTHOR_LINE = ".byline"


def test_the_page_anchors_leave_out_the_selectors_run_below_a_node():
    assert {anchor.name for anchor in page_anchors(WithDrops)} == {"h1", "zoom", "byline"}
    assert {".share", ".caption"} <= set(WithDrops.selectors)
