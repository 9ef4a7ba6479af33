"""Downloader middleware that answers requests from WARC archives (`-s REPLAY_WARC=PATH`): no network.

Every request, list pages and robots.txt included, gets the latest archived capture of its URL
(a request may pin an exact record with `meta["replay_capture"] = [file, offset]`). A URL the
archives do not hold fails the request with `ArchiveMiss` (stat `replay/miss`); nothing falls
back to the network. The request's capture (`crawler.capture`) names the record the response came
from (file, offset, record ID, WARC-Date, payload digest), as a live crawl's does; the response's
body is the decoded payload.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from archive.index import UnresolvedRevisit
from archive.reader import DamagedRecord
from crawler.capture import CAPTURE_META
from crawler.replay import archive_for
from crawler.replay.response import scrapy_response

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

    from archive.index import ArchiveIndex, IndexEntry

logger = logging.getLogger(__name__)

PIN_META = "replay_capture"


class ArchiveMiss(IgnoreRequest):
    """The archives hold no readable capture for a request."""


class ArchiveReplayMiddleware:
    """Answers every request from the `REPLAY_WARC` archives."""

    def __init__(self, index: ArchiveIndex, stats: StatsCollector) -> None:
        self.index = index
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveReplayMiddleware:
        """Index the archives once; off unless `REPLAY_WARC` is set."""
        if not crawler.settings.get("REPLAY_WARC"):
            raise NotConfigured  # the usual case: no message, or Scrapy would log a WARNING in every crawl
        assert crawler.stats is not None
        return cls(archive_for(crawler), crawler.stats)

    def process_request(self, request: Request) -> Response:
        """The archived response to `request`, or `ArchiveMiss`."""
        entry = self._entry_for(request)
        if entry is None:
            self.stats.inc_value("replay/miss")
            logger.warning("Not in the archives: %s (no network fallback while replaying)", request.url)
            raise ArchiveMiss(f"no capture of {request.url} in the archives")
        try:
            archived = self.index.response(entry)
        except DamagedRecord as exc:
            self.stats.inc_value("replay/damaged_records")
            logger.warning("Cannot answer %s from a damaged record: %s", request.url, exc)
            raise ArchiveMiss(str(exc)) from exc
        except UnresolvedRevisit as exc:
            self.stats.inc_value("replay/unresolved_revisits")
            logger.warning("Cannot answer %s: %s", request.url, exc)
            raise ArchiveMiss(str(exc)) from exc
        self.stats.inc_value("replay/responses")
        request.meta[CAPTURE_META] = archived.capture
        return scrapy_response(request, archived)

    def _entry_for(self, request: Request) -> IndexEntry | None:
        pinned = request.meta.get(PIN_META)
        if pinned:
            return self.index.at(pinned[0], int(pinned[1]))
        return self.index.lookup(request.url)
