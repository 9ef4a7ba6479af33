"""The spider behind `scrapy replay`: every archived article capture, parsed by its site's spider.

Its start requests are pinned to the archived records (answered by `ArchiveReplayMiddleware`);
each response goes to the `parse_article` of the site spider that owns the URL, whose parser
version is picked by the record's WARC-Date. Reposts fetch their original from the archives,
exactly as a live crawl fetches it from the network, so the item pipelines see the same
sequence. Only `200` responses of article URLs become items (with `REPLAY_GENERIC`, also HTML
pages on hosts no site spider owns, through the generic extractor); the rest are counted under
`replay/skipped/<reason>` (see `crawler.replay.choice`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.settings.default_settings import DOWNLOADER_MIDDLEWARES_BASE, SPIDER_MIDDLEWARES_BASE
from tqdm import tqdm

from crawler.replay import archive_for, show_progress
from crawler.replay.choice import NO_SPIDER_HOSTS, host_of, skip_reason, skipped_note
from crawler.replay.middleware import PIN_META
from crawler.report.model import NOTE_STAT
from spiders.page import page_draft
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.http import TextResponse

    from archive.index import IndexEntry
    from spiders.base import SiteSpider

logger = logging.getLogger(__name__)

RESPONSE_MIDDLEWARES = frozenset({
    "StartSpiderMiddleware", "HttpErrorMiddleware",  # spider middlewares
    "MetaRefreshMiddleware", "HttpCompressionMiddleware", "RedirectMiddleware", "DownloaderStats",
})
"""Scrapy's built-in middlewares that a replay keeps (the project's own ones are all kept)."""


class ReplaySpider(scrapy.Spider):
    """Parses every article capture of the `REPLAY_WARC` archives."""

    name = "replay"
    custom_settings: ClassVar[dict[str, Any]] = {
        # Only the components that act on archived responses and on the items; the ones that
        # only shape requests for a network (user agent, default headers, auth, proxy, timeout,
        # referer, URL length, depth) have nothing to do when every answer comes from a WARC.
        "DOWNLOADER_MIDDLEWARES_BASE": {name: order for name, order in DOWNLOADER_MIDDLEWARES_BASE.items()
                                        if name.rpartition(".")[2] in RESPONSE_MIDDLEWARES},
        "SPIDER_MIDDLEWARES_BASE": {name: order for name, order in SPIDER_MIDDLEWARES_BASE.items()
                                    if name.rpartition(".")[2] in RESPONSE_MIDDLEWARES},
        "ROBOTSTXT_OBEY": False,
        "RETRY_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "STATE_CONDITIONAL": False,  # no server to ask "changed since?": every capture is parsed
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._site_spiders: dict[type[SiteSpider], SiteSpider] = {}
        self._progress: tqdm | None = None
        self._no_spider_hosts: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One pinned request per article capture."""
        stats = self.crawler.stats
        captures = [capture for capture in archive_for(self.crawler) if self._wanted(capture)]
        stats.set_value("replay/article_captures", len(captures))
        self._progress = tqdm(total=len(captures), unit="page", desc="replaying",
                              disable=not show_progress(self.settings.getbool("REPLAY_PROGRESS")))
        self.crawler.signals.connect(self._progress.close, signal=signals.spider_closed)
        self.crawler.signals.connect(self._tell_skipped, signal=signals.spider_closed)
        for capture in captures:
            yield scrapy.Request(capture.url, callback=self.parse_capture, dont_filter=True,
                                 meta={PIN_META: [capture.file, capture.offset]})

    def _wanted(self, capture: IndexEntry) -> bool:
        reason = skip_reason(capture, self.settings.getbool("REPLAY_GENERIC"))
        if reason is not None:
            self.crawler.stats.inc_value(f"replay/skipped/{reason}")
        if reason == "no_spider":
            self._no_spider_hosts.add(host_of(capture.url))
        return reason is None

    def _tell_skipped(self) -> None:
        """Say how many captures no site spider could parse, and how to parse them."""
        self.crawler.stats.set_value(NO_SPIDER_HOSTS, len(self._no_spider_hosts))
        note = skipped_note(self.crawler.stats.get_stats())
        if note:
            self.crawler.stats.set_value(NOTE_STAT, f"skipped {note}")
            logger.warning("Skipped %s", note)

    def parse_capture(self, response: TextResponse) -> Iterator[Any]:
        """Hand the response to its site spider's `parse_article` (no owner: the page spider's draft)."""
        if self._progress is not None:
            self._progress.update(1)
        owner = spider_for_url(response.url)
        if owner is None:
            yield page_draft(response)
            return
        yield from self._site_spider(owner).parse_article(response)

    def _site_spider(self, owner: type[SiteSpider]) -> SiteSpider:
        if owner not in self._site_spiders:
            self._site_spiders[owner] = owner.from_crawler(self.crawler)
        return self._site_spiders[owner]
