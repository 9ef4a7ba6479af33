"""The government-portal parser base: meta tags first, the visible page second, a subclass's labels honoured."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.http import HtmlResponse

from spiders.hunan_gov import HunanGovParser

URL = "https://www.hunan.gov.cn/hnszf/hnyw/sy/hnyw1/202405/t20240501_1.html"
MOMENT = datetime(2024, 5, 2, tzinfo=UTC)


def page(meta: str = "") -> HtmlResponse:
    html = (f"<html><head>{meta}</head><body><div class=sp_title><h1>标题</h1></div>"
            "<div class=sp_time><span class=ly>来源:甲报 信息来源:乙局 作者:丙</span></div>"
            "<div id=zoom><p>正文</p></div></body></html>")
    return HtmlResponse(URL, body=html.encode("utf-8"), encoding="utf-8")


class InformationSourceOnly(HunanGovParser):
    """A layout whose source is the value after 信息来源 only."""

    SOURCE_LABELS = ("信息来源",)


def test_the_visible_source_follows_the_parsers_labels():
    assert HunanGovParser(page(), MOMENT).source_text() == "甲报"
    assert InformationSourceOnly(page(), MOMENT).source_text() == "乙局"


def test_the_content_source_tag_wins_over_the_visible_line():
    tagged = page('<meta name="ContentSource" content="丁网">')
    assert InformationSourceOnly(tagged, MOMENT).source_text() == "丁网"
