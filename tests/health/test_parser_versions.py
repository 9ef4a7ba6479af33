"""Parser versions by capture date: the old layouts need the old parser, the new ones the new."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.normalize import build_article
from spiders.dutenews import DutenewsParser, DutenewsParser2019, DutenewsSpider
from spiders.qianzhan import QianzhanParser, QianzhanParser2014, QianzhanSpider
from spiders.registry import spider_for_url
from tests.fixture_pages import expected_articles


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.mark.parametrize(("spider", "old", "new", "last_old_day", "first_new_day"), [
    (DutenewsSpider, DutenewsParser2019, DutenewsParser, "2022-12-31T23:59:59", "2023-01-01T00:00:00"),
    (QianzhanSpider, QianzhanParser2014, QianzhanParser, "2018-12-31T23:59:59", "2019-01-01T00:00:00"),
])
def test_capture_date_picks_the_version(spider, old, new, last_old_day, first_new_day):
    assert issubclass(new, old)
    assert spider.parser_for(at("2010-01-01T00:00:00")) is old  # older than every version: the oldest
    assert spider.parser_for(at(last_old_day)) is old
    assert spider.parser_for(at(first_new_day)) is new
    assert spider.parser_for(datetime.now(UTC)) is new


OLD_PAGES = [page for page in expected_articles()
             if (spider := spider_for_url(page.url)) and spider.parser_for(page.captured) is not spider.parsers[-1]]
"""Fixture pages captured before their site's newest layout."""


@pytest.mark.parametrize("page", OLD_PAGES, ids=[str(page) for page in OLD_PAGES])
def test_an_old_layout_read_with_the_current_parser_loses_fields(page):
    """The reason versions exist: today's parser on an old capture gives a worse item than the old parser."""
    spider = spider_for_url(page.url)
    old = build_article(spider.extract(page.response(), captured_at=page.captured)).__dict__
    current = build_article(spider.extract(page.response(), captured_at=datetime.now(UTC))).__dict__
    assert old["parser"] == page.expected()["parser"] != current["parser"]
    assert old["published_precision"] != current["published_precision"]
    lost = {field for field in ("published_at", "source", "authors", "images") if old[field] != current[field]}
    assert lost, "the current parser read the old layout just as well"


def test_both_old_layouts_are_in_the_fixtures():
    assert {page.expected()["parser"] for page in OLD_PAGES} == {"dutenews@2019", "qianzhan@2014"}
