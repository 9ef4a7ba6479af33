"""Every fixture page with an expected item: the site parser plus normalization give exactly that item."""

from __future__ import annotations

import pytest

from crawler.schema import schema_errors
from spiders.registry import site_spiders, spider_for_url
from tests.fixture_pages import expected_articles, parsed_item, without_capture

PAGES = expected_articles()


@pytest.mark.parametrize("page", PAGES, ids=[str(p) for p in PAGES])
def test_fixture_page_gives_expected_item(page):
    assert spider_for_url(page.url) is not None, f"no site spider owns {page.url}"
    item = parsed_item(page)
    expected = page.expected()
    item_fields = without_capture(item)
    # reposted_from is a crawl-level result (see the crawl tests); the page alone cannot know it.
    item_fields.pop("reposted_from")
    expected.pop("reposted_from")
    assert set(item_fields) == set(expected), "fields differ"
    for field, value in expected.items():
        assert item_fields[field] == value, f"{page}: field {field!r} differs"
    assert item["fetched_at"] == page.entry["captured"].replace("+00:00", "Z")
    assert item["encoding"] == page.expected_encoding, f"{page}: decoded as {item['encoding']}"
    assert schema_errors({**item, "warc": None}) == []


def test_every_site_has_fixture_articles():
    with_articles = {owner.name for page in PAGES
                     if page.entry["kind"] == "article" and (owner := spider_for_url(page.url)) is not None}
    missing = sorted(spider.name for spider in site_spiders() if spider.name not in with_articles)
    assert not missing, f"site spiders without a fixture article with an expected item: {missing}"
