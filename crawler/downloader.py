"""The HTTP download handler: Scrapy's HTTP/1.1 handler, routed through the fixture mirror when asked,
and noting what Scrapy's `Response` drops on the way.

With `MIRROR_URL` set, a request for `https://www.dutenews.com/n/article/1` is sent to
`<MIRROR_URL>/https/www.dutenews.com/n/article/1` and the response comes back carrying the real
URL. Doing this below every downloader middleware means redirects, retries, robots.txt and the
WARC writer all see the real URLs and never the loopback address.

Scrapy keeps neither the reason phrase of the status line nor the header lines as received
(Twisted drops the connection-control headers such as `Transfer-Encoding` and re-capitalizes
names; Scrapy re-capitalizes them again). The handler's HTTP parser keeps both (it is built on
Scrapy's private HTTP/1.1 client classes, in `crawler.compat`), and the handler notes them in the
request's capture (`Capture.wire_status_line`, `Capture.wire_headers`, see `crawler.capture`) for
the WARC middleware, as received and undecoded (the WARC middleware decodes them only when it
archives the exchange); `wire_status` reads the code and reason phrase of a status line.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crawler.capture import capture_of, note_capture
from crawler.compat import WireKeepingHTTP11Handler
from crawler.mirror import mirror_key

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def mirror_url_for(url: str, mirror_url: str) -> str:
    """The mirror address of a real URL: `<mirror>/<scheme>/<host[:port]>/<path>?<query>`."""
    return f"{mirror_url.rstrip('/')}/{mirror_key(url)}"


def wire_status(status_line: bytes) -> tuple[int, str]:
    """The status code and reason phrase (latin-1 text, '' when absent) of a status line."""
    parts = status_line.split(b" ", 2)
    return int(parts[1]), parts[2].decode("latin-1") if len(parts) == 3 else ""


class ArchivingDownloadHandler(WireKeepingHTTP11Handler):
    """HTTP/1.1 download handler that keeps the wire facts and can route every request to a mirror."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self.mirror_url = crawler.settings.get("MIRROR_URL") or ""
        if self.mirror_url:
            logger.debug("Routing every request through the fixture mirror at %s", self.mirror_url)

    def wire_received(self, request: Request, status_line: bytes, headers: Sequence[tuple[bytes, bytes]]) -> None:
        """Note the status line and header lines as received in the request's capture."""
        note_capture(request, wire_status_line=status_line, wire_headers=headers)

    async def download_request(self, request: Request) -> Response:
        """Download `request`, from the mirror when one is configured."""
        if not self.mirror_url:
            return await self._download(request)
        routed = request.replace(url=mirror_url_for(request.url, self.mirror_url))
        try:
            response = await self._download(routed)
        finally:
            capture = capture_of(routed)
            if capture is not None:
                note_capture(request, wire_status_line=capture.wire_status_line, wire_headers=capture.wire_headers)
        self.stats.inc_value("mirror/responses")
        return response.replace(url=request.url)

    async def _download(self, request: Request) -> Response:
        """The response, with the wire facts of an earlier attempt of the request forgotten first."""
        capture = capture_of(request)
        if capture is not None and capture.wire_status_line is not None:
            note_capture(request, wire_status_line=None, wire_headers=())
        return await self.download_wire(request, logger)
