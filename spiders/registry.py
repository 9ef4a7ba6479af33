"""Which site spider owns a URL: used by reposts, the `page` spider and replay."""

from __future__ import annotations

from functools import cache

from scrapy.utils.misc import walk_modules_iter
from scrapy.utils.spider import iter_spider_classes

from crawler.sitespider import SiteSpider


@cache
def site_spiders() -> tuple[type[SiteSpider], ...]:
    """Every site spider class in the `spiders` package, by name."""
    found = {
        cls.name: cls
        for module in walk_modules_iter("spiders")
        for cls in iter_spider_classes(module)
        if issubclass(cls, SiteSpider) and "site" in vars(cls)
    }
    return tuple(found[name] for name in sorted(found))


def spider_for_url(url: str) -> type[SiteSpider] | None:
    """The site spider whose site owns `url`, or None."""
    for spider in site_spiders():
        if spider.site.owns(url):
            return spider
    return None
