"""`log_count/<LEVEL>` per spider: Scrapy's `LogCount` counts every record of the process in every crawler.

With several crawlers in one process (`scrapy crawlall`), Scrapy's handler made each site's stats
say `log_count/WARNING: 1` when the process had logged one warning in all. A record belongs to a
crawler when it names it (Scrapy's `extra={"crawler": …}` or `{"spider": …}`), or else when it is
logged in the crawler's execution context: each crawler's `from_crawler` runs inside its own crawl
task, and the context variable set there is inherited by every task and callback the crawl starts
(middlewares, callbacks, pipelines, signal handlers). A record of no crawler (the reactor, a thread)
counts under every crawler only when the process runs one.
"""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, ClassVar

from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

CURRENT_CRAWLER: contextvars.ContextVar[Crawler | None] = contextvars.ContextVar("nqi_current_crawler", default=None)
"""The crawler whose crawl task is running (set in `SiteLogCount.from_crawler`)."""


def record_crawler(record: logging.LogRecord) -> Crawler | None:
    """The crawler a log record belongs to, or None when it names none and was logged outside any crawl task."""
    crawler = getattr(record, "crawler", None)
    if crawler is not None:
        return crawler
    spider = getattr(record, "spider", None)
    if spider is not None:
        return getattr(spider, "crawler", None)
    return CURRENT_CRAWLER.get()


class CrawlerLogCounter(logging.Handler):
    """Counts the records of one crawler into its stats."""

    open_handlers: ClassVar[list[CrawlerLogCounter]] = []

    def __init__(self, crawler: Crawler, level: int | str) -> None:
        super().__init__(level)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record when it is this crawler's (or nobody's while this is the only crawler)."""
        owner = record_crawler(record)
        if owner is self.crawler or (owner is None and len(self.open_handlers) == 1):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"log_count/{record.levelname}")


class SiteLogCount:
    """Replaces Scrapy's `LogCount`: installs a `CrawlerLogCounter` while the spider is open."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.handler: CrawlerLogCounter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteLogCount:
        """Mark the crawl task's context as this crawler's; count from `spider_opened` to `spider_closed`."""
        CURRENT_CRAWLER.set(crawler)
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Start counting."""
        self.handler = CrawlerLogCounter(self.crawler, self.crawler.settings.get("LOG_LEVEL"))
        CrawlerLogCounter.open_handlers.append(self.handler)
        logging.root.addHandler(self.handler)

    def spider_closed(self) -> None:
        """Stop counting."""
        if self.handler is not None:
            logging.root.removeHandler(self.handler)
            CrawlerLogCounter.open_handlers.remove(self.handler)
            self.handler = None
