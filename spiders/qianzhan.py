"""前瞻网 (qianzhan.com): the 前瞻经济学人 analyst columns of 前瞻产业研究院.

Selectors are those a maintained public feed scraper of the live site uses:
headline `#h_title`, body `#divArtBody`, time `#pubtime_baidu` (`• YYYY-MM-DD HH:mm:ss`),
the analyst as the first word of `.bljjxue`, list entries `.ptb30.bb1e.clf .f22 a`. Converting
mirrors such as `big5.qianzhan.com` serve the same markup and count as the same site; their
text damage (traditional characters, pinyin) is repaired by the normalization pipeline.

Before 2019 (a reconstructed layout, see tests/fixtures/www.qianzhan.com/README.md) the line under
the headline was an `.info` block of labelled spans: `作者:…`, the time, `来源:…`.
"""

from __future__ import annotations

from datetime import date

from crawler.parsing import extract
from crawler.parsing.parser import ArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

SITE = Site(
    name="qianzhan",
    site_name="前瞻网",
    domains=("qianzhan.com",),
    canonical_host="www.qianzhan.com",
    start_urls=("https://www.qianzhan.com/analyst/list/220.html",),
    list_entry=".ptb30.bb1e.clf",
    list_link=".f22 a::attr(href)",
    list_date="p.c999",
    next_page="//a[normalize-space()='下一页']/@href",
    article_url=r"/analyst/detail/\d+/\d{6}-[0-9a-f]{8}\.html",
    coverage_floors={"source": 0.9, "authors": 0.3},
)

# A centred text paragraph right after an image paragraph is the image's caption.
_CAPTION_AFTER_IMAGE = "[contains(@style, 'center')][not(.//img)]"


class QianzhanParser2014(ArticleParser):
    """The analyst-article layout until 2018: `#h_title`, an `.info` line of labelled spans, `#divArtBody`."""

    site = SITE
    version = "2014"
    valid_from = date(2014, 1, 1)

    TITLE = "#h_title"
    BODY = "#divArtBody"
    BODY_DROP = (f"./p{_CAPTION_AFTER_IMAGE}[preceding-sibling::*[1][.//img]]",)
    DATES = (".info .time",)
    SOURCE = ".info .source"
    BYLINES = (".info .author",)
    IMAGES = "#divArtBody img"
    IMAGE_CAPTION = f"../following-sibling::*[1]{_CAPTION_AFTER_IMAGE}"


class QianzhanParser(QianzhanParser2014):
    """The layout since 2019: the `.bljjxue` line (analyst without a label, `#pubtime_baidu`, `#source_baidu`)."""

    version = "2019"
    valid_from = date(2019, 1, 1)

    TIME = "#pubtime_baidu"
    DATES = (TIME,)
    SOURCE = "#source_baidu"
    BYLINES = ()
    AUTHOR_LINE = ".bljjxue"
    """The line under the headline: its text before the time is the analyst's name, absent on unsigned articles."""

    def source_text(self) -> str | None:
        """`#source_baidu` holds `来源:` and the value; a converting mirror prints the label as `來源`."""
        return extract.strip_label(extract.first_text(self.tree, self.SOURCE, raw=True)) or None

    def byline_texts(self) -> list[str]:
        """The analyst, printed without a label, as an author line."""
        name = extract.first_word(extract.first_text_before(self.tree, self.AUTHOR_LINE, self.TIME))
        return extract.credit_line("作者", name)


class QianzhanSpider(SiteSpider):
    """Crawls the 研究员专栏 list of 前瞻经济学人 and its articles."""

    site = SITE
    parsers = (QianzhanParser2014, QianzhanParser)
