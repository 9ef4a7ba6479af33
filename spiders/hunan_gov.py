"""湖南省人民政府门户网站 (www.hunan.gov.cn): the provincial government portal, on TRS WCM.

Article URLs carry the date (`/hnszf/<column path>/<YYYYMM>/t<YYYYMMDD>_<id>.html`); column lists
are `index.html`, `index_1.html`, ... (TRS pagination). Article pages carry the government
`<meta>` tags (ArticleTitle, PubDate, ContentSource, Author ...), read first and dirty (empty,
lower-case, markup in ArticleTitle); the visible page is the fallback: a stacked headline in
`.sp_title`, the info line `.sp_time` (发布时间, 来源/信息来源, 作者), the body in `#zoom`
(`div.TRS_Editor` > `div.Custom_UnionStyle`, or `div.TRS_UEDITOR`; the footer also carries
`TRS_Editor`, so the body is never selected by that class), centred one-line image captions, a
closing credit `（文/… 图/…）` and a `责任编辑` line. A page without any printed date gets the
URL's date (the normalizer's fallback).
"""

from __future__ import annotations

from datetime import date

from crawler.parsing import extract
from crawler.parsing.gov import GovArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

SITE = Site(
    name="hunan_gov",
    site_name="湖南省人民政府",
    domains=("www.hunan.gov.cn",),
    canonical_host="www.hunan.gov.cn",
    start_urls=("https://www.hunan.gov.cn/hnszf/szf/zfld/wjs/wjshd/index.html",),
    list_entry="ul.list > li",
    list_link="a::attr(href)",
    list_date="span.date",
    next_page="//div[@id='page']//a[normalize-space()='下一页']/@href",
    article_url=r"/hnszf/.+/\d{6}/t\d{8}_\d+\.html",
    coverage_floors={"source": 0.6, "authors": 0.5},
)


class HunanGovParser(GovArticleParser):
    """The portal's article template since its 2023 redesign (assets under `/images/hnszf/2023/`)."""

    site = SITE
    version = "2023"
    valid_from = date(2023, 1, 1)

    TITLE = ".sp_title h1"
    SUBTITLES = ".sp_title .sp_subtitle p"
    BODY = "#zoom"
    BODY_DROP = (extract.CAPTION_PARAGRAPHS,)
    DATES = (".sp_time .fbsj",)
    SOURCE = ".sp_time .ly"
    BYLINES = (".sp_time .zz", ".sp_editor")
    IMAGES = "#zoom img"
    IMAGE_CAPTION = extract.CAPTION_AFTER_IMAGE


class HunanGovSpider(SiteSpider):
    """Crawls a column of the portal (省政府 > 政府领导 > 活动报道) and its articles."""

    site = SITE
    parsers = (HunanGovParser,)
