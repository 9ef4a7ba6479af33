"""海南省市场监督管理局 (amr.hainan.gov.cn): the Hainan market regulator, on the province's TRS cluster.

Article URLs carry the date (`/<column path>/<YYYYMM>/t<YYYYMMDD>_<id>.html`); column lists are
`index.html`, `index_1.html`, ... Three article templates live side by side on the site and one
parser reads them all, government `<meta>` tags first (ArticleTitle, PubDate, ContentSource,
Author; dirty or absent), then the visible page:

- TRS: `h2.article-title` + `h3.article-subtitle` (a `——` 副题), the info line `.article-info`,
  the body in `#zoom` (`div.TRS_Editor` > `div.Custom_UnionStyle`; the footer also carries
  `TRS_Editor`), a `（责任编辑：…）` line;
- Hanweb: `td.title`, `td.bt_time` (发布日期, 信息来源), the body between
  `<meta name="ContentStart">` and `<meta name="ContentEnd">` inside `td#zoom`, which also
  holds the 责任编辑 line and print links after the end marker; often GBK;
- the hainan.gov.cn sibling CMS: `<ucaptitle>`, `<publishtime>`, `<ucapcontent>` in `#zoom`,
  the info line `.zx-xxxqy-xx`, no article meta tags.

Captions are a centred paragraph after the image's, or text after a `<br>` in the image's own
paragraph.
"""

from __future__ import annotations

from datetime import date

from crawler.parsing import extract, gov
from crawler.parsing.gov import GovArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

SITE = Site(
    name="hainan_amr",
    site_name="海南省市场监督管理局",
    domains=("amr.hainan.gov.cn",),
    canonical_host="amr.hainan.gov.cn",
    start_urls=("https://amr.hainan.gov.cn/yw/gzdt/index.html",),
    list_entry="ul.list-ul > li",
    list_link="a::attr(href)",
    list_date="span.list-date",
    next_page="//div[@class='pages']//a[normalize-space()='下一页']/@href",
    article_url=r"/\d{6}/t\d{8}_\d+\.s?html",
    coverage_floors={"source": 0.9},
)

_UCAP_INFO = "//div[contains(@class, 'zx-xxxqy-xx')]"


class HainanAmrParser(GovArticleParser):
    """The article templates of the site's 2021 layout (assets under `/images/amr2021/`)."""

    site = SITE
    version = "2021"
    valid_from = date(2021, 1, 1)

    TITLE = "h2.article-title, td.title, ucaptitle"
    SUBTITLES = "h3.article-subtitle"
    BODY = "#zoom"
    BODY_DROP = (
        *gov.HANWEB_OUTSIDE,
        ".//p[.//img][contains(@style, 'center')]",
        extract.CAPTION_PARAGRAPHS,
    )
    """Outside the Hanweb markers; centred image paragraphs with a caption after `<br>`; caption paragraphs."""
    DATES = (".article-info .time", "td.bt_time", "publishtime")
    SOURCE = ".article-info .source, td.bt_time, .zx-xxxqy-xx"
    BYLINES = (
        ".article-info .author",
        f"{_UCAP_INFO}/span[starts-with(normalize-space(), '作者')]",
        ".article-editor",
        ".bt_editor",
    )
    IMAGES = "#zoom img"
    IMAGE_CAPTION = f"{extract.CAPTION_AFTER_IMAGE} | ./following-sibling::text()[normalize-space()]"


class HainanAmrSpider(SiteSpider):
    """Crawls the 工作动态 column and its articles."""

    site = SITE
    parsers = (HainanAmrParser,)
