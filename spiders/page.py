"""The `page` spider: any page, `scrapy crawl page -a urls=URL[,URL…]`.

A page on a host that a site spider owns is parsed by that site's parser; any other page by the
generic extractor (`crawler.parsing.generic`: trafilatura's main text with our Chinese date and byline
rules). The spider follows no links: it fetches the pages it is given, their redirects within the
same hosts, and robots.txt. Each page ends as an item (or a reject) with an INFO line, or as a
failure with a WARNING line and a stat `requests/failed/<reason>` (see `crawler.failures`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError

from crawler.arguments import Argument, ArgumentSpider
from crawler.failures import account_failure
from crawler.items import ArticleDraft
from crawler.parsing.generic.choose import unowned_draft
from crawler.sitespider import account_fallback, capture_time
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from datetime import datetime

    from scrapy.http import TextResponse
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


def page_urls(text: str) -> list[str]:
    """The URLs of `-a urls=`: comma-separated, each with a scheme, and a host when it is http(s).

    Other schemes pass: the network guard refuses them with a log line and a stat, like a link would be.
    """
    urls = [part.strip() for part in text.split(",") if part.strip()]
    if not urls:
        raise UsageError("the page spider needs the pages to fetch: scrapy crawl page -a urls=URL[,URL…]")
    for url in urls:
        parts = urlsplit(url)
        if not parts.scheme or (parts.scheme in ("http", "https") and not parts.hostname):
            raise UsageError(f"-a urls: {url!r} is not a URL; give full URLs such as https://example.com/a.html")
    return urls


def page_draft(response: TextResponse, captured_at: datetime | None = None) -> ArticleDraft:
    """The page's draft: from the site parser of the host's owner, else the gov-portal family parser
    for a page showing a government CMS's signs, else the generic extractor."""
    moment = captured_at or capture_time(response)
    owner = spider_for_url(response.url)
    if owner is not None:
        return owner.extract(response, moment)
    return unowned_draft(response, moment)


class PageSpider(ArgumentSpider):
    """Fetches the given pages; the owning site's parser or the generic extractor makes the draft."""

    name = "page"
    # The pages were asked for by name: each comes back, unchanged or not, with the version the
    # state store knows; the store of the site crawls is read, never written (`-s` overrides both).
    custom_settings: ClassVar[dict[str, Any]] = {"STATE_READ_ONLY": True, "STATE_DROP_UNCHANGED": False}
    arguments = (Argument("urls", "URL[,URL…]", page_urls),)
    urls: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted({host for url in self.urls if (host := urlsplit(url).hostname)})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per given URL (never filtered as a duplicate, so a redirect loop shows as one)."""
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[ArticleDraft]:
        """The page's draft, from its site's parser or the generic extractor."""
        draft = page_draft(response)
        account_fallback(draft, self.crawler.stats)
        self.crawler.stats.inc_value("page/parsed")
        logger.info("Parsed %s with %s (decoded as %s)", response.url, draft.parser, draft.encoding)
        yield draft

    def failed(self, failure: Failure) -> None:
        """Account for a page that gave no response to parse."""
        account_failure(failure, self.crawler.stats)
