"""Downloader middleware that archives every HTTP exchange to WARC through `archive/`.

It sits next to the downloader (order 950), so it sees each response before Scrapy's other
middlewares decode or discard it: compressed bodies stay compressed, redirects, error statuses
and robots.txt fetches are archived too. The status line and header lines come from what the
download handler saw on the wire (the request's `Capture`, see `crawler.capture`), so the record keeps the real
reason phrase and the connection headers; a body that arrived chunked is stored de-chunked
with headers rewritten to say so (see `archive.http.stored_headers`).

On the reactor thread the middleware reads the request and response into an `HttpExchange` and
hands it to the crawl process's WARC writer process (`crawler.warcwriter.WriterProcess`, one for
all spiders): the payload digest, the revisit choice, the records, gzip (at `WARC_GZIP_LEVEL`)
and the append run there, in order, outside this interpreter. At most `WARC_QUEUE_SIZE` exchanges
of a spider wait for the writer; a further response waits for room on a Deferred, so the reactor
thread never blocks and the crawl pauses through Scrapy's own back-pressure (a response whose
`process_response` has not finished keeps its request among the downloader's active ones, and the
engine sends no new request while they fill `CONCURRENT_REQUESTS`). The response goes on only
once the writer has acknowledged its records (their bytes are in the file), so every item can
name the exact file and offset of its response record, and a SIGKILL loses no record an item or
the state store names.
"""

from __future__ import annotations

import logging
import platform
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import DeferredSemaphore
from w3lib.url import safe_url_string

from archive.records import HttpExchange, RecordFactory
from archive.recover import recover_open_files
from archive.writer import WarcSeries, WarcWriteError
from crawler import __version__
from crawler.capture import capture_of, note_capture
from crawler.downloader import wire_status
from crawler.switches import switched_off
from crawler.warcwriter import WriterGone, WriterProcess

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

    from archive.capture import Capture
    from archive.process import Receipt

logger = logging.getLogger(__name__)


def warcinfo_fields(settings: Settings, spider_name: str) -> dict[str, str]:
    """The `warcinfo` fields: software, host, the crawl settings that matter, mirror flag."""
    mirror = settings.get("MIRROR_URL") or ""
    return {
        "software": f"nqi-crawler/{__version__} (Scrapy; warcio)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "hostname": socket.gethostname(),
        "operating-system": platform.platform(),
        "isPartOf": spider_name,
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT"),
        "mirror": f"yes: captured from the local fixture mirror {mirror}" if mirror else "no",
    }


def exchange_from(request: Request, response: Response, moment: datetime) -> HttpExchange:
    """The HTTP exchange of a Scrapy request/response pair, with the wire facts the handler kept."""
    target = safe_url_string(response.url)
    path = target.split("/", 3)[3] if target.count("/") >= 3 else ""
    request_headers = [("Host", _host_of(target)), *_header_pairs(request.headers)]
    capture = capture_of(request)
    wire = capture.wire_status_line if capture is not None else None
    status, reason = wire_status(wire) if wire is not None else (None, None)
    if capture is not None and status == response.status:
        response_headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in capture.wire_headers]
    else:
        response_headers, reason = _header_pairs(response.headers), None
    return HttpExchange(
        target_uri=target,
        method=request.method,
        request_path="/" + path,
        request_headers=request_headers,
        request_body=request.body,
        status=response.status,
        reason=reason,
        response_headers=response_headers,
        response_body=response.body,
        date=moment,
        protocol=response.protocol or "HTTP/1.1",
        truncated="disconnect" if "dataloss" in response.flags else None,
    )


def _host_of(url: str) -> str:
    return url.split("/", 3)[2]


def _header_pairs(headers) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


class WarcMiddleware:
    """Writes a `request` and a `response` record for every exchange; notes the record in the request's capture.

    A failed write (disk full, ...) stops the crawl: the error names the file, the stat
    `warc/write_errors` counts it, the engine closes the spider with reason `warc_write_error`
    and every response that can no longer be archived is ignored (never parsed unarchived).
    """

    def __init__(self, series: WarcSeries, crawler: Crawler, record_ip: bool, queue_size: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.record_ip = record_ip
        self.room = DeferredSemaphore(queue_size)
        self.failed: Exception | None = None
        self.writer = WriterProcess.shared()
        self.key = self.writer.attach(series)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        """Wire the middleware from settings; off with `WARC_ENABLED=False` and while replaying archives."""
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise switched_off("WARC archiving", "WARC_ENABLED=False")
        if settings.get("REPLAY_WARC"):
            raise switched_off("WARC archiving",
                               "REPLAY_WARC is set: responses come from archives and are not archived again")
        spider_name = crawler.spidercls.name or "crawl"
        series = WarcSeries(
            directory=Path(settings.get("WARC_DIR")),
            prefix=f"{settings.get('WARC_PREFIX')}-{spider_name}",
            info=warcinfo_fields(settings, spider_name),
            max_size=settings.getint("WARC_MAX_SIZE"),
            factory=RecordFactory(gzip_level=settings.getint("WARC_GZIP_LEVEL")),
        )
        recovered = recover_open_files(series.directory, series.prefix)
        crawler.stats.set_value("warc/recovered_files", len(recovered))
        middleware = cls(series, crawler, record_ip=not settings.get("MIRROR_URL"),
                         queue_size=settings.getint("WARC_QUEUE_SIZE"))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response:
        """Archive the exchange, then pass the response on untouched."""
        if self.failed is not None:
            self.stats.inc_value("warc/unarchived_responses")
            raise IgnoreRequest(f"not archived, the WARC writer stopped: {self.failed}")
        capture = capture_of(request)
        if capture is None or capture.wire_status_line is None:
            self.stats.inc_value("warc/headers_from_scrapy")
        moment = datetime.now(UTC)
        await maybe_deferred_to_future(self.room.acquire())
        try:
            written = self.writer.submit(self.key, *self._job(request, response, moment))
            receipt = await maybe_deferred_to_future(written)
        except (WarcWriteError, WriterGone) as exc:
            self._stop(exc)
            raise IgnoreRequest(f"not archived: {exc}") from exc
        finally:
            self.room.release()
        self._note(request, response, receipt)
        return response

    def _job(self, request: Request, response: Response, moment: datetime) -> tuple[HttpExchange, Capture | None]:
        """The exchange, and the earlier capture it may be a revisit of: the writer process writes a `revisit`
        when the capture's `revisit_of` names one (set by crawler/middlewares/conditional.py) and the
        server answered 304 or the same payload, else a `response`; then the `request`."""
        exchange = exchange_from(request, response, moment)
        if self.record_ip and response.ip_address is not None:
            exchange.ip_address = str(response.ip_address)
        capture = capture_of(request)
        return exchange, capture.revisit_of if capture is not None else None

    def _note(self, request: Request, response: Response, receipt: Receipt) -> None:
        """Note the record in the request's capture (the wire facts are done with) and count the records."""
        location = receipt.location
        note_capture(request, target_uri=response.url, file=location.file, offset=location.offset,
                     record_id=location.record_id, warc_date=receipt.warc_date,
                     payload_digest=receipt.payload_digest, wire_status_line=None, wire_headers=())
        if receipt.revisit is not None:
            self.stats.inc_value(f"warc/revisits/{receipt.revisit.name.lower()}")
        self.stats.inc_value("warc/records_written", receipt.records)
        self.stats.inc_value("warc/bytes", receipt.bytes)

    def _stop(self, error: WarcWriteError | WriterGone) -> None:
        """The first failed write stops the spider; the exchanges queued behind it are counted as unarchived."""
        self.stats.inc_value("warc/unarchived_responses")
        if self.failed is not None:
            return
        self.failed = error
        if isinstance(error, WarcWriteError):
            logger.error("WARC write to %s failed (%s); every earlier record is intact. Closing the spider.",
                         error.path, error.cause)
        else:
            logger.error("%s; every acknowledged record is intact. Closing the spider.", error)
        self.stats.inc_value("warc/write_errors")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))

    async def spider_closed(self) -> None:
        """Close the series once what is queued is written, so its last file gets its final name."""
        detached = await maybe_deferred_to_future(self.writer.detach(self.key))
        self.writer.release()
        self.stats.set_value("warc/files", len(detached.files_written))
        self.stats.set_value("warc/file_names", list(detached.files_written))
