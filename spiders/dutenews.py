"""读特 (dutenews.com), the Shenzhen Special Zone Daily's news app site.

Two layouts, both reconstructed (tests/fixtures/www.dutenews.com/README.md): until 2022 the
info line printed the time in `.date`, a picture was captioned by a centred paragraph under it
and the editor line stood below the body (`.article-editor`); since 2023 the time is in `.time`,
captions are `.img-desc` spans beside the image and the staff line closes the body.
"""

from __future__ import annotations

from datetime import date

from crawler.parsing import extract
from crawler.parsing.parser import ArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

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
    coverage_floors={"source": 0.9, "editors": 0.8, "authors": 0.4},
)


class DutenewsParser2019(ArticleParser):
    """The article layout until 2022: info line with `.date`, the editor line below the content block."""

    site = SITE
    version = "2019"
    valid_from = date(2019, 1, 1)

    TITLE = "h1.article-title"
    BODY = "#articleContent"
    BODY_DROP = (extract.CAPTION_PARAGRAPHS,)
    DATES = (".article-info .date",)
    SOURCE = ".article-info .source"
    BYLINES = (".article-info .author", ".article-editor")
    IMAGES = "#articleContent img"
    IMAGE_CAPTION = extract.CAPTION_AFTER_IMAGE


class DutenewsParser(DutenewsParser2019):
    """The article layout since 2023: the time in `.time`, captions as `.img-desc` beside the image."""

    version = "2023"
    valid_from = date(2023, 1, 1)

    BODY_DROP = (".img-desc",)
    DATES = (".article-info .time",)
    IMAGE_CAPTION = "./following-sibling::*[contains(@class, 'img-desc')]"


class DutenewsSpider(SiteSpider):
    """Crawls the 要闻 column of dutenews.com and its articles."""

    site = SITE
    parsers = (DutenewsParser2019, DutenewsParser)
