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

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Obeys robots.txt for every request, including those that waited for its download."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The parser of the request's host (None when it has no usable robots.txt)."""
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            await self._fetch(request, netloc)
        parser = self._parsers[netloc]
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
        try:
            response = await self.crawler.engine.download_async(robots)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:
            if not isinstance(exc, IgnoreRequest):
                logger.warning("Could not fetch %s (%s: %s): %s is crawled without robots.txt rules",
                               robots.url, type(exc).__name__, exc, netloc)
            self._robots_error(exc, netloc)
        self._stats.inc_value("robotstxt/request_count")
