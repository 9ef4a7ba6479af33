"""The HTTP download handler: Scrapy's HTTP/1.1 handler, routed through the fixture mirror when asked.

With `MIRROR_URL` set, a request for `https://www.dutenews.com/n/article/1` is sent to
`<MIRROR_URL>/https/www.dutenews.com/n/article/1` and the response comes back carrying the real
URL. Doing this below every downloader middleware means redirects, retries, robots.txt and the
WARC writer all see the real URLs and never the loopback address.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def mirror_url_for(url: str, mirror_url: str) -> str:
    """The mirror address of a real URL: `<mirror>/<scheme>/<host[:port]>/<path>?<query>`."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror_url.rstrip('/')}/{parts.scheme}/{parts.netloc}{path}{query}"


class ArchivingDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 download handler that can route every request to a local fixture mirror."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.mirror_url = crawler.settings.get("MIRROR_URL") or ""
        if self.mirror_url:
            logger.info("Routing every request through the fixture mirror at %s", self.mirror_url)

    async def download_request(self, request: Request) -> Response:
        """Download `request`, from the mirror when one is configured."""
        if not self.mirror_url:
            return await super().download_request(request)
        routed = request.replace(url=mirror_url_for(request.url, self.mirror_url))
        response = await super().download_request(routed)
        self._crawler.stats.inc_value("mirror/responses")
        return response.replace(url=request.url)
