"""Downloader middleware that archives every HTTP exchange to WARC through `archive/`.

It sits next to the downloader (order 950), so it sees each response before Scrapy's other
middlewares decode or discard it: compressed bodies stay compressed, redirects, error statuses
and robots.txt fetches are archived too. The status line and header lines come from what the
download handler saw on the wire (the request's `Capture`, see `crawler.capture`), so the record keeps the real
reason phrase and the connection headers; a body that arrived chunked is stored de-chunked
with headers rewritten to say so (see `archive.http.stored_headers`).

On the reactor thread the middleware only notes the capture time and queues the exchange: reading
the request and response into records, digests, compression (gzip at `WARC_GZIP_LEVEL`) and the
append all run in the process's WARC writer thread (`archive.threaded.WriterThread`, shared by
the spiders of one process), in order. At most `WARC_QUEUE_SIZE` exchanges of a spider wait for
the writer; a further response waits for room on a Deferred, so the reactor thread never blocks and
the crawl pauses through Scrapy's own back-pressure (a response whose `process_response` has not
finished keeps its request among the downloader's active ones, and the engine sends no new request
while they fill `CONCURRENT_REQUESTS`). The request and response are left alone meanwhile (the
response goes on only once its records are written), so every item can name the exact file and
offset of its response record.
"""

from __future__ import annotations

import logging
import platform
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredSemaphore
from w3lib.url import safe_url_string

from archive.records import HttpExchange, RecordFactory, SerializedExchange
from archive.recover import recover_open_files
from archive.threaded import Outcome, WriterThread, Written
from archive.writer import WarcSeries, WarcWriteError
from crawler import __version__
from crawler.capture import capture_of, note_capture
from crawler.downloader import wire_status

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

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


def _call_on_reactor(function: Callable[..., object], *args: object) -> None:
    """Run `function(*args)` on the reactor thread (the reactor is looked up when the crawl runs)."""
    from twisted.internet import reactor

    reactor.callFromThread(function, *args)  # type: ignore[attr-defined]


class WarcMiddleware:
    """Writes a `request` and a `response` record for every exchange; notes the record in the request's capture.

    A failed write (disk full, ...) stops the crawl: the error names the file, the stat
    `warc/write_errors` counts it, the engine closes the spider with reason `warc_write_error`
    and every response that can no longer be archived is ignored (never parsed unarchived).
    """

    def __init__(self, series: WarcSeries, crawler: Crawler, record_ip: bool, queue_size: int) -> None:
        self.series = series
        self.crawler = crawler
        self.stats = crawler.stats
        self.record_ip = record_ip
        self.factory = series.factory
        self.room = DeferredSemaphore(queue_size)
        self.writer = WriterThread.shared(_call_on_reactor)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        """Wire the middleware from settings; off with `WARC_ENABLED=False` and while replaying archives."""
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        if settings.get("REPLAY_WARC"):
            raise NotConfigured("REPLAY_WARC is set: responses come from archives and are not archived again")
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
        if self.series.failed is not None:
            self.stats.inc_value("warc/unarchived_responses")
            raise IgnoreRequest(f"not archived, the WARC writer stopped: {self.series.failed}")
        capture = capture_of(request)
        if capture is None or capture.wire_status_line is None:
            self.stats.inc_value("warc/headers_from_scrapy")
        moment = datetime.now(UTC)
        await maybe_deferred_to_future(self.room.acquire())
        try:
            written = await maybe_deferred_to_future(self._write(partial(self._records, request, response, moment)))
        except WarcWriteError as exc:
            self._stop(exc)
            raise IgnoreRequest(f"not archived: {exc}") from exc
        finally:
            self.room.release()
        self._note(request, response, written)
        return response

    def _records(self, request: Request, response: Response, moment: datetime) -> SerializedExchange:
        """The exchange's records (run in the writer thread): a `revisit` when the capture's `revisit_of`
        names an earlier capture (set by crawler/middlewares/conditional.py) and the server answered
        304 or the same payload, else a `response`; then the `request`."""
        exchange = exchange_from(request, response, moment)
        if self.record_ip and response.ip_address is not None:
            exchange.ip_address = str(response.ip_address)
        capture = capture_of(request)
        return self.factory.records(exchange, capture.revisit_of if capture is not None else None)

    def _note(self, request: Request, response: Response, written: Written) -> None:
        """Note the record in the request's capture (the wire facts are done with) and count the records."""
        serialized, location = written.serialized, written.location
        note_capture(request, target_uri=response.url, file=location.file, offset=location.offset,
                     record_id=location.record_id, warc_date=serialized.warc_date,
                     payload_digest=serialized.payload_digest, wire_status_line=None, wire_headers=())
        if serialized.revisit is not None:
            self.stats.inc_value(f"warc/revisits/{serialized.revisit.name.lower()}")
        self.stats.inc_value("warc/records_written", len(serialized.members))
        self.stats.inc_value("warc/bytes", sum(len(m) for m in serialized.members))

    def _write(self, build: Callable[[], SerializedExchange]) -> Deferred[Written]:
        """Hand the job to the writer thread; the Deferred fires on the reactor once the records are written."""
        written: Deferred[Written] = Deferred()

        def done(outcome: Outcome) -> None:
            if isinstance(outcome, Exception):
                written.errback(outcome)
            else:
                written.callback(outcome)

        self.writer.submit(self.series, build, done)
        return written

    def _stop(self, error: WarcWriteError) -> None:
        logger.error("WARC write to %s failed (%s); every earlier record is intact. Closing the spider.",
                     error.path, error.cause)
        self.stats.inc_value("warc/write_errors")
        self.stats.inc_value("warc/unarchived_responses")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))

    def spider_closed(self) -> None:
        """Write what is queued and close the open file so it gets its final name."""
        self.writer.flush()
        self.series.close()
        self.writer.release()
        self.stats.set_value("warc/files", len(self.series.files_written))
        self.stats.set_value("warc/file_names", list(self.series.files_written))
