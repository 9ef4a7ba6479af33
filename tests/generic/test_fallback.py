"""Site parsers fall back to the gov-portal or generic parser on an article page they read nothing from."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.normalize import build_article
from crawler.schema import schema_errors
from crawler.sitespider import account_fallback
from spiders.dutenews import DutenewsSpider
from spiders.hunan_gov import HunanGovSpider

FALLBACK = Path(__file__).parent / "fixtures" / "fallback"
CAPTURED = datetime(2025, 3, 3, tzinfo=UTC)
ARTICLE_URL = "https://www.dutenews.com/n/article/8123456"


def unknown_layout(url: str = ARTICLE_URL) -> HtmlResponse:
    body = (FALLBACK / "dutenews_unknown_layout.html").read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8")


def test_page_in_an_unknown_layout_still_gives_its_item(caplog):
    with caplog.at_level(logging.WARNING):
        draft = DutenewsSpider.extract(unknown_layout(), CAPTURED)
    item = asdict(build_article(draft))
    expected = json.loads((FALLBACK / "dutenews_unknown_layout.json").read_text(encoding="utf-8"))
    for field, value in expected.items():
        assert item[field] == value, field
    assert schema_errors({**item, "warc": None}) == []
    assert any("dutenews@2023 got no title or body" in record.getMessage() for record in caplog.records)


def test_a_page_that_is_no_article_of_the_site_does_not_fall_back():
    draft = DutenewsSpider.extract(unknown_layout("https://www.dutenews.com/n/column/2059"), CAPTURED)
    assert (draft.parser, draft.fallback_from, draft.title) == ("dutenews@2023", None, "")


def test_a_gov_site_page_in_an_unknown_layout_falls_back_to_the_gov_portal_parser():
    page = ("<html><head><meta name='ArticleTitle' content='省政府常务会议研究计量工作'>"
            "<meta name='PubDate' content='2024-03-05 18:20'></head><body><div class='new-layout'>"
            "<div class='pages_content'><p>3月5日，省政府召开常务会议，研究部署计量、标准、认证认可和检验检测工作。</p>"
            "</div></div></body></html>")
    url = "https://www.hunan.gov.cn/hnszf/szf/zfld/wjs/wjshd/202403/t20240305_1.html"
    draft = HunanGovSpider.extract(HtmlResponse(url=url, body=page.encode("utf-8"), encoding="utf-8"), CAPTURED)
    item = asdict(build_article(draft))
    assert (item["parser"], item["fallback_from"], item["site"]) == ("gov-portal@1", "hunan_gov@2023", "hunan_gov")
    assert item["title"] == "省政府常务会议研究计量工作"
    assert item["published_at"] == "2024-03-05T18:20:00+08:00"


def test_fallbacks_are_counted_per_site():
    crawler = get_crawler(DutenewsSpider)
    crawler.stats.open_spider()
    account_fallback(DutenewsSpider.extract(unknown_layout(), CAPTURED), crawler.stats)
    assert crawler.stats.get_value("parse/fallback/dutenews") == 1
