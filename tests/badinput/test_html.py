"""Broken markup: the item is right, or dropped with a reason into the rejects file."""

from __future__ import annotations

import json

import pytest

from crawler.middlewares.unusable import LXML_MAX_DEPTH, nests_deeper, tree_depth
from tests.badinput import pages
from tests.badinput.corpus import start_paths


def url(crawl, path):
    return crawl.server.url(path)


def test_malformed_markup_still_gives_the_article(crawl):
    item = crawl.items()[url(crawl, "/html/malformed")]
    assert item["title"] == pages.TITLE
    assert item["body"].startswith(pages.PARAGRAPHS[0])
    assert all(paragraph in item["body"] for paragraph in pages.PARAGRAPHS)


def test_page_without_title_is_rejected_with_the_reason(crawl):
    reject = crawl.rejects()[url(crawl, "/html/no-title")]
    assert reject["reason"] == "invalid" and "title" in reject["message"]
    assert all(paragraph in json.dumps(reject["item"], ensure_ascii=False) for paragraph in pages.PARAGRAPHS)
    assert reject["warc"]["file"]
    assert url(crawl, "/html/no-title") not in crawl.items()
    assert crawl.lines("WARNING", "Dropped item from", "/html/no-title")


def test_deep_nesting_within_the_limit_gives_the_article(crawl):
    item = crawl.items()[url(crawl, "/html/deep")]
    assert item["title"] == pages.TITLE
    assert item["body"] == "\n\n".join(pages.PARAGRAPHS)


def test_nesting_beyond_the_limit_is_refused_before_any_parser(crawl):
    [record] = crawl.responses(url(crawl, "/html/too-deep"))
    assert record.status == 200
    assert url(crawl, "/html/too-deep") not in crawl.items()
    assert crawl.lines("WARNING", "/html/too-deep: too_deep", "RESPONSE_MAX_DEPTH (512)")
    assert crawl.stat("responses/unusable/too_deep") == 1


def test_thousands_of_links_are_not_followed(crawl):
    item = crawl.items()[url(crawl, "/html/many-links")]
    assert item["title"] == pages.TITLE
    assert not [path for _, path in crawl.server.requests if path.startswith("/links/")]


def test_script_only_page_is_rejected_with_the_reason(crawl):
    reject = crawl.rejects()[url(crawl, "/html/script-only")]
    assert reject["reason"] == "invalid" and "body" in reject["message"]
    assert url(crawl, "/html/script-only") not in crawl.items()


def test_nothing_on_a_page_is_executed(crawl):
    """The script-only page's script would fetch two URLs if anything ran it."""
    requested = {path for _, path in crawl.server.requests}
    assert not requested & {"/js-ran", "/js-image", "/app.js"}


REDIRECTED = {"/http/chain/1": "/http/chain/end"}


def test_every_corpus_page_is_accounted_for(crawl):
    """Each page asked for is an item, a reject, a failure line, or a refused redirect, and is in the WARC or was
    never answered."""
    accounted = set(crawl.items()) | set(crawl.rejects())
    for path in start_paths(crawl.server):
        page_url = url(crawl, path)
        in_log = url(crawl, REDIRECTED.get(path, path)) in accounted or crawl.lines(f"No page from {page_url}:") or \
            crawl.lines("Not following the redirect from", page_url)
        assert in_log, f"{path} is not accounted for"
        assert crawl.responses(page_url) or path in {"/http/hang", "/http/too-large", "/http/too-large-chunked",
                                                     "/private/article",
                                                     "/private/second", "/private/third"}, f"{path} is not in the WARC"


def test_tree_depth():
    from parsel import Selector

    assert tree_depth(Selector(text=pages.deep_html(40)).root) == 43  # html, body, 40 divs, p


@pytest.mark.parametrize("divs", [0, 40, 505, 509, 510, 1000, 3000])
def test_nesting_verdict_equals_the_tree_walk(divs):
    from parsel import Selector

    root = Selector(text=pages.deep_html(divs)).root
    depth = tree_depth(root)
    for limit in (-1, 0, 1, 2, depth - 1, depth, depth + 1, 512, LXML_MAX_DEPTH - 1, LXML_MAX_DEPTH, 10_000):
        assert nests_deeper(root, limit) == (depth > limit), (divs, depth, limit)


def test_nesting_verdict_below_the_root_of_a_subtree():
    from parsel import Selector

    [div] = Selector(text=pages.deep_html(10)).root.xpath("/html/body/div")
    assert tree_depth(div) == 11
    assert nests_deeper(div, 10) and not nests_deeper(div, 11)


def test_only_2xx_responses_are_judged():
    from scrapy.http import HtmlResponse

    from crawler.middlewares.unusable import unusable_reason

    empty = HtmlResponse("http://example.com/", status=200, body=b"")
    assert unusable_reason(empty, 512) == ("empty", "the body is empty")
    assert unusable_reason(HtmlResponse("http://example.com/", status=304, body=b""), 512) is None
