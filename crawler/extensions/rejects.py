"""Writes every dropped item to `REJECTS_PATH` (JSON lines) with its reason, URL and WARC location.

With `REJECTS_PATH` empty (the default) the file is the run's own, `RUNS_DIR/<run>/rejects.jsonl`
(`crawler.runs`), created at the first drop: one run never writes into another's rejects."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter, is_item
from scrapy import signals

from crawler.pipelines import ItemRejected
from crawler.runs import Run

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

REJECTS_NAME = "rejects.jsonl"


class RejectsLog:
    """Nothing vanishes: each dropped item becomes a line of the rejects file and a stat."""

    def __init__(self, path: Path | None, stats: StatsCollector, settings: BaseSettings) -> None:
        self.path = path
        """The rejects file; None until the first drop when it is the run's own."""
        self.stats = stats
        self.settings = settings
        self._file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectsLog:
        """Wire the extension to the `item_dropped` signal."""
        configured = crawler.settings.get("REJECTS_PATH")
        extension = cls(Path(configured) if configured else None, crawler.stats, crawler.settings)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, response: Response | None, exception: Exception, spider: Spider) -> None:
        """Record one dropped item."""
        reason = exception.reason if isinstance(exception, ItemRejected) else type(exception).__name__
        self.stats.inc_value(f"items/dropped/{reason}")
        fields = ItemAdapter(item).asdict() if is_item(item) else {"repr": repr(item)}
        line = {
            "reason": reason,
            "message": str(exception),
            "url": fields.get("url") or (response.url if response is not None else None),
            "warc": fields.get("warc"),
            "spider": spider.name,
            "item": fields,
        }
        logger.warning("Dropped item from %s: %s", line["url"], exception)
        self._open().write(json.dumps(line, ensure_ascii=False, default=str) + "\n")

    def _open(self) -> IO[str]:
        if self._file is None:
            if self.path is None:
                self.path = Run.of_process(self.settings).folder / REJECTS_NAME
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Open for the whole crawl, appended to per reject; spider_closed closes it.
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        return self._file

    def spider_closed(self, spider: Spider) -> None:
        """Close the rejects file."""
        if self._file is not None:
            self._file.close()
            self._file = None
