"""读特 (dutenews.com), the Shenzhen Special Zone Daily's news app site."""

from __future__ import annotations

from spiders.base import SiteSpider
from spiders.parser import ArticleParser
from spiders.site import Site

SITE = Site(
    name="dutenews",
    site_name="读特",
    domains=("dutenews.com",),
    canonical_host="www.dutenews.com",
    start_urls=("https://www.dutenews.com/n/column/2059",),
    list_entry="ul.news-list li.news-item",
    list_link="a.title::attr(href)",
    list_date=".time",
    next_page=".pager a.next::attr(href)",
    article_url=r"/n/article/\d+",
)


class DutenewsParser(ArticleParser):
    """The article layout since 2023: headline, an info line (来源, 作者, time), the content block."""

    site = SITE
    version = "2023"

    TITLE = "h1.article-title"
    BODY = "#articleContent"
    BODY_DROP = (".img-desc",)
    DATES = (".article-info .time",)
    SOURCE = ".article-info .source"
    BYLINES = (".article-info .author",)
    IMAGES = "#articleContent img"
    IMAGE_CAPTION = "./following-sibling::*[contains(@class, 'img-desc')]"


class DutenewsSpider(SiteSpider):
    """Crawls the 要闻 column of dutenews.com and its articles."""

    site = SITE
    parsers = (DutenewsParser,)
