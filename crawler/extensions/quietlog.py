"""Scrapy's dumps of settings, components and stats at `LOG_DUMPS_LEVEL` (DEBUG), not INFO (see `crawler.logs`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.logs import demote_scrapy_dumps

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class QuietLog:
    """Relabels Scrapy's dumps for the crawl; built among the first extensions, before Scrapy logs them."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLog:
        """Set the dumps' level from `LOG_DUMPS_LEVEL`."""
        demote_scrapy_dumps(crawler.settings.get("LOG_DUMPS_LEVEL"))
        return cls()
