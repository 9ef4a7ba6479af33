"""北京湖南企业商会 (bjhnqysh.cn): a chamber of commerce that pastes press articles into its JEECMS site.

An article page shows the page title (`div.news_title h1`), the CMS meta line `来源:湖南企业商会
发布时间:YYYY-MM-DD`, then the UEditor body: screenshots, the pasted original's own headline and
source line (`来源:湖南日报 / 看衡阳  09-25`), its text and its closing credit. The item's
`source` is the pasted original's (who the text came from), else the CMS line's; the original's
headline is a subtitle. Sidebar (精华推荐), 媒体报道, 友情链接 and footer are outside the body.
The site also answers on throwaway subdomains (`i64n0y.bjhnqysh.cn`): same site, canonical `www`.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

from crawler.parsing import extract
from crawler.parsing.parser import ArticleParser
from crawler.parsing.site import Site
from crawler.sitespider import SiteSpider

SITE = Site(
    name="bjhnqysh",
    site_name="北京湖南企业商会",
    domains=("bjhnqysh.cn",),
    canonical_host="www.bjhnqysh.cn",
    start_urls=("http://www.bjhnqysh.cn/shfwList.jhtml?newType=ZCJD&pageNo=1",),
    list_entry="ul.news_list > li",
    list_link="a::attr(href)",
    list_date="span.date",
    next_page="//div[@class='pagination']/a[normalize-space()='下一页'][not(starts-with(@href, 'javascript'))]"
              "/@href",
    article_url=r"/shfwInfo\.jhtml\?id=\d+",
    coverage_floors={"source": 0.9, "editors": 0.4},
)


class BjhnqyshParser(ArticleParser):
    """The JEECMS news page since the site opened (京ICP备19012620号, 2019)."""

    site = SITE
    version = "2019"
    valid_from = date(2019, 1, 1)

    TITLE = "div.news_show div.news_title h1"
    BODY = "div.news_show div.news_content"
    BODY_DROP = (extract.CAPTION_PARAGRAPHS,)
    DATES = ("div.news_show div.news_info",)
    SOURCE = "div.news_show div.news_info"
    IMAGES = "div.news_show div.news_content img"
    IMAGE_CAPTION = extract.CAPTION_AFTER_IMAGE

    @cached_property
    def repost(self) -> extract.PastedRepost:
        """The body split at the pasted original's own source line."""
        return extract.pasted_repost(super().body_paragraphs(), self.title(), self.SOURCE_LABELS)

    def subtitles(self) -> list[str]:
        """The pasted original's headline."""
        return self.repost.headline

    def body_paragraphs(self) -> list[str]:
        """The text after the pasted original's source line (all of it when there is none)."""
        return self.repost.body

    def source_text(self) -> str | None:
        """The pasted original's 来源, else the CMS meta line's."""
        return extract.labelled(self.repost.source_line or "", *self.SOURCE_LABELS) or super().source_text()


class BjhnqyshSpider(SiteSpider):
    """Crawls the 政策解读 list (`shfwList.jhtml?newType=ZCJD&pageNo=N`) and its articles."""

    site = SITE
    parsers = (BjhnqyshParser,)
