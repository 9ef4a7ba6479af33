"""Which URLs a site owns, and which of them are article pages."""

from __future__ import annotations

import pytest

from crawler.parsing.site import Site

SITE = Site("x", "X", ("example.com", "b.cn"), "www.example.com", ("http://www.example.com/",), "li",
            article_url=r"/n/article/\d+$")


@pytest.mark.parametrize(
    ("url", "owned", "article"),
    [
        ("http://example.com/n/article/1", True, True),
        ("https://WWW.Example.COM:8080/n/article/22", True, True),
        ("http://news.b.cn/n/article/3", True, True),
        ("http://www.example.com/n/article/3x", True, False),
        ("http://www.example.com/list/1", True, False),
        ("http://notexample.com/n/article/1", False, False),
        ("http://example.com.evil.cn/n/article/1", False, False),
        ("/n/article/1", False, False),
    ],
)
def test_owns_and_is_article(url, owned, article):
    assert SITE.owns(url) is owned
    assert SITE.is_article(url) is article
    assert SITE.is_article(url) is article  # asked again: the cached host and pattern give the same answer


def test_a_site_without_an_article_pattern_has_no_articles():
    site = Site("y", "Y", ("example.com",), "example.com", ("http://example.com/",), "li")
    assert site.owns("http://example.com/n/article/1") and not site.is_article("http://example.com/n/article/1")
