"""Counts U+FFFD (bytes that did not decode) in the title and body of every exported item."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"


class ReplacementCharacters:
    """On `item_scraped`: counts `decode/replacement_chars` and logs the URL and charset of each affected item."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplacementCharacters:
        """Wire the extension to the `item_scraped` signal."""
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        """Count the replacement characters of one exported item."""
        fields = ItemAdapter(item)
        counts = {name: str(fields.get(name) or "").count(REPLACEMENT) for name in ("title", "body")}
        total = sum(counts.values())
        if not total:
            return
        self.stats.inc_value("decode/replacement_chars", total)
        self.stats.inc_value("decode/items_with_replacement_chars")
        logger.warning("%s has %d U+FFFD replacement characters (title %d, body %d): bytes that are not %s",
                       fields.get("url"), total, counts["title"], counts["body"], fields.get("encoding"))
