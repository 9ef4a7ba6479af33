"""Logs a one-screen summary of each crawl: items, drops, responses by status, WARC output."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def crawl_summary(stats: dict[str, object]) -> dict[str, object]:
    """The figures a user looks at first, from a crawl's stats."""
    return {
        "items": stats.get("item_scraped_count", 0),
        "dropped": stats.get("item_dropped_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "errors": stats.get("log_count/ERROR", 0),
        "warc_files": stats.get("warc/files", 0),
        "warc_bytes": stats.get("warc/bytes", 0),
        "finish_reason": stats.get("finish_reason", ""),
    }


class CrawlSummary:
    """At spider close, logs the crawl's summary line."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        """Wire the extension to `spider_closed` (after the WARC middleware has closed its file)."""
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Log the summary."""
        summary = crawl_summary({**self.stats.get_stats(), "finish_reason": reason})
        logger.info(
            "Summary of %s: %d items, %d dropped, %d responses, %d errors, %d WARC files (%d bytes), finished: %s",
            spider.name, summary["items"], summary["dropped"], summary["responses"], summary["errors"],
            summary["warc_files"], summary["warc_bytes"], summary["finish_reason"],
        )
