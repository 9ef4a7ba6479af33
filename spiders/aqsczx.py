"""安全生产资讯网 (aqsczx.org.cn): a portal that reposts government news, on DedeCMS.

The article page is DedeCMS's default template (the `------分隔线------` under the article is
its signature): headline `div.viewbox div.title h2` with the subtitle after `——` in
the same field, the meta line `div.info` (`时间:… 来源:… 作者:…`, `佚名` = no author), the body in
`div.content`, the `原文链接` of the repost, a disclaimer and the site footer (never body).
Many pages are GBK; the charset is declared in the page's `<meta>`.
"""

from __future__ import annotations

from datetime import date

from crawler.parsing import extract
from crawler.parsing.parser import ArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

SITE = Site(
    name="aqsczx",
    site_name="安全生产资讯网",
    domains=("aqsczx.org.cn",),
    canonical_host="aqsczx.org.cn",
    start_urls=("http://aqsczx.org.cn/list-12-1.html",),
    list_entry="div.listbox ul.e2 > li",
    list_link="a.title::attr(href)",
    list_date="span.info",
    next_page="//ul[contains(@class, 'pagelist')]//a[normalize-space()='下一页']/@href",
    article_url=r"/show-\d+\.html",
    coverage_floors={"source": 0.9, "original_url": 0.5},
)


class AqsczxParser(ArticleParser):
    """The DedeCMS article template: `div.viewbox` > title, info line, content, 原文链接."""

    site = SITE
    version = "2020"
    valid_from = date(2020, 1, 1)

    TITLE = "div.viewbox div.title h2"
    BODY = "div.viewbox div.content"
    BODY_DROP = (extract.CAPTION_PARAGRAPHS,)
    DATES = ("div.viewbox div.info",)
    SOURCE = "div.viewbox div.info"
    BYLINES = ("div.viewbox div.info",)
    IMAGES = "div.viewbox div.content img"
    IMAGE_CAPTION = extract.CAPTION_AFTER_IMAGE
    ORIGINAL_URL_LINE = "//div[contains(@class, 'viewbox')]//*[starts-with(normalize-space(), '原文链接')]"
    ORIGINAL_URL = f"{ORIGINAL_URL_LINE}//a/@href"

    def title(self) -> str:
        """The headline before its `——` subtitle."""
        return extract.dash_headline(super().title())[0]

    def subtitles(self) -> list[str]:
        """The `——` subtitle printed in the headline field."""
        return extract.dash_headline(super().title())[1]

    def original_url(self) -> str | None:
        """The `原文链接` link, else the URL printed after the label."""
        printed = extract.labelled(extract.first_text(self.tree, self.ORIGINAL_URL_LINE), "原文链接")
        return super().original_url() or printed or None


class AqsczxSpider(SiteSpider):
    """Crawls the 质量监管 list (`list-12-<page>.html`) and its articles."""

    site = SITE
    parsers = (AqsczxParser,)
