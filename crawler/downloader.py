"""The HTTP download handler: Scrapy's HTTP/1.1 handler, routed through the fixture mirror when asked,
and noting what Scrapy's `Response` drops on the way.

With `MIRROR_URL` set, a request for `https://www.dutenews.com/n/article/1` is sent to
`<MIRROR_URL>/https/www.dutenews.com/n/article/1` and the response comes back carrying the real
URL. Doing this below every downloader middleware means redirects, retries, robots.txt and the
WARC writer all see the real URLs and never the loopback address.

Scrapy keeps neither the reason phrase of the status line nor the header lines as received
(Twisted drops the connection-control headers such as `Transfer-Encoding` and re-capitalizes
names; Scrapy re-capitalizes them again). The handler's HTTP parser keeps both, and the handler
notes them in the request's capture (`Capture.wire_status_line`, `Capture.wire_headers`, see
`crawler.capture`) for the WARC middleware, as received and undecoded (the WARC writer thread
reads them, so the reactor thread does no work for them); `wire_status` reads the code and
reason phrase of a status line.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
    _ScrapyAgent,
)
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.capture import capture_of, note_capture
from crawler.mirror import mirror_key

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress
    from twisted.web._newclient import Request as TxRequest
    from twisted.web.iweb import IResponse

logger = logging.getLogger(__name__)

def mirror_url_for(url: str, mirror_url: str) -> str:
    """The mirror address of a real URL: `<mirror>/<scheme>/<host[:port]>/<path>?<query>`."""
    return f"{mirror_url.rstrip('/')}/{mirror_key(url)}"


class _WireParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser that also keeps the status line and header lines as received."""

    def statusReceived(self, status: bytes) -> None:
        """Keep the status line (a 1xx response before the final one starts over)."""
        self.wire_status = status
        self.wire_headers: list[tuple[bytes, bytes]] = []
        super().statusReceived(status)  # type: ignore[no-untyped-call]

    def headerReceived(self, name: bytes, value: bytes) -> None:
        """Keep every header line, connection-control headers included, in order."""
        self.wire_headers.append((name, value))
        super().headerReceived(name, value)  # type: ignore[no-untyped-call]


def wire_status(status_line: bytes) -> tuple[int, str]:
    """The status code and reason phrase (latin-1 text, '' when absent) of a status line."""
    parts = status_line.split(b" ", 2)
    return int(parts[1]), parts[2].decode("latin-1") if len(parts) == 3 else ""


class _WireProtocol(_LenientHTTP11ClientProtocol):
    """Parses responses with `_WireParser` and attaches its facts to the Twisted response."""

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        """Send `request`; the response carries `_nqi_wire` once its headers are in."""
        deferred = super().request(request)
        parser = self._parser
        assert parser is not None
        parser.__class__ = _WireParser

        def attach(response: IResponse) -> IResponse:
            response._nqi_wire = (parser.wire_status, parser.wire_headers)  # type: ignore[attr-defined]
            return response

        deferred.addCallback(attach)
        return deferred


class _WireClientFactory(_LenientHTTP11ClientFactory):
    """Builds `_WireProtocol` connections for the handler's pool."""

    def buildProtocol(self, addr: IAddress | None) -> _WireProtocol:
        """A connection protocol that keeps the wire facts of each response."""
        return _WireProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]


class _WireAgent(_ScrapyAgent):
    """Scrapy's agent, noting the wire facts in the request's capture when the headers arrive."""

    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        wire = getattr(txresponse, "_nqi_wire", None)
        if wire is not None:
            note_capture(request, wire_status_line=wire[0], wire_headers=wire[1])
        return super()._cb_bodyready(txresponse, request)


class ArchivingDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 download handler that keeps the wire facts and can route every request to a mirror."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self._pool._factory = _WireClientFactory
        self.mirror_url = crawler.settings.get("MIRROR_URL") or ""
        if self.mirror_url:
            logger.info("Routing every request through the fixture mirror at %s", self.mirror_url)

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
        self._crawler.stats.inc_value("mirror/responses")
        return response.replace(url=request.url)

    async def _download(self, request: Request) -> Response:
        """Scrapy's `download_request` with `_WireAgent` in place of its agent."""
        capture = capture_of(request)
        if capture is not None and capture.wire_status_line is not None:
            note_capture(request, wire_status_line=None, wire_headers=())
        agent = _WireAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
