"""Refuses to start a crawl whose file names would leave their folders (see `crawler.paths`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.paths import UnsafePath, file_component

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class OutputPaths:
    """Checks, before anything is written, the names that become parts of output file names."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputPaths:
        """Raise `UnsafePath` (the crawl does not start) for a `WARC_PREFIX` or spider name that is no plain
        file name."""
        names = {"WARC_PREFIX": crawler.settings.get("WARC_PREFIX") or "", "spider name": crawler.spidercls.name or ""}
        for what, value in names.items():
            try:
                file_component(value, what)
            except UnsafePath as exc:
                crawler.stats.inc_value("paths/refused")
                logger.critical("%s", exc)
                raise
        return cls()
