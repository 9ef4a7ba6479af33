"""Scrapy's `RobotsTxtMiddleware`, with every waiting request checked and no traceback on a failed fetch.

Scrapy 2.19 awaits a host's pending robots.txt through `maybe_deferred_to_future`, which hands
the parser to the first waiting request only: every other request that arrived while robots.txt
was downloading gets `None` and goes out unchecked (with several start URLs on one host, all but
one ignore robots.txt). Here each waiting request gets its own Deferred. A robots.txt that
cannot be fetched (timeout, reset, refused by the network guard) is a WARNING line, not an ERROR
with a traceback; as in Scrapy the host is then crawled without rules.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Obeys robots.txt for every request, including those that waited for its download.

    Scrapy's request check (`process_request`) is kept; finding a host's parser is this class's own,
    with its own table of hosts.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.parser_class = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))
        self.hosts: dict[str, RobotParser | Deferred[RobotParser | None] | None] = {}
        """Per host: its parser, None when it has no usable robots.txt, a Deferred while it downloads."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The parser of the request's host (None when it has no usable robots.txt)."""
        netloc = urlparse_cached(request).netloc
        if netloc not in self.hosts:
            self.hosts[netloc] = Deferred()
            await self._fetch(request, netloc)
        parser = self.hosts[netloc]
        if not isinstance(parser, Deferred):
            return parser
        waiter: Deferred[RobotParser | None] = Deferred()

        def relay(result: Any) -> Any:
            waiter.callback(result)
            return result

        parser.addCallback(relay)
        return await maybe_deferred_to_future(waiter)

    async def _fetch(self, request: Request, netloc: str) -> None:
        url = urlparse_cached(request)
        robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
        stats = self.crawler.stats
        assert stats is not None
        parser: RobotParser | None = None
        try:
            response = await self.crawler.engine.download_async(robots)
            stats.inc_value("robotstxt/response_count")
            stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            parser = build_from_crawler(self.parser_class, self.crawler, response.body)
            await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=parser,
                                                            request=request)
        except Exception as exc:  # any failure of the download or the parser: the host goes without rules
            if not isinstance(exc, IgnoreRequest):
                logger.warning("Could not fetch %s (%s: %s): %s is crawled without robots.txt rules",
                               robots.url, type(exc).__name__, exc, netloc)
                stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            parser = None
        stats.inc_value("robotstxt/request_count")
        waiting = self.hosts[netloc]
        self.hosts[netloc] = parser
        assert isinstance(waiting, Deferred)
        waiting.callback(parser)
