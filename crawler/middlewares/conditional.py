"""Conditional requests for article pages the state store knows, and what to do with the answers.

For an article page (its site's `article_url` pattern) that an earlier crawl archived, the request
carries `If-None-Match` / `If-Modified-Since` from that capture, and the request's capture names
it as `revisit_of` (see `crawler.capture`) so the WARC middleware can write a `revisit` record
instead of a second copy. Then:

- `304 Not Modified`, or a `200` whose payload digest equals the capture's: the page is unchanged,
  the state notes the visit, the request ends here (`IgnoreRequest`), and no item is made;
- any other `200`: the new capture is staged in the store until its item is exported.

In a resumed job (`JOBDIR`), article pages already done by the job are not requested again.
With `STATE_DROP_UNCHANGED=False` (the `page` spider) no request is conditional and none ends
here; with `STATE_READ_ONLY` nothing is staged or noted.
An article page another spider of the same run has already done (the original of a repost,
fetched by the reposting site's spider in `crawlall`) is not requested again (`state/done_this_run`).
The middleware sits below Scrapy's download stats (850), so the responses it ends count as
responses, and above HTTP decompression (590), so it sees the body exactly as archived.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from archive.capture import Capture
from archive.records import RecordFactory
from crawler.capture import capture_of, note_capture
from crawler.normalize.text import canonicalize_url
from crawler.state import PageState, StoredCapture
from crawler.state.extension import StateExtension
from crawler.state.skips import DoneBeforeKill, DoneThisRun, NotModified
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def article_key(url: str) -> str | None:
    """The state key (canonical URL) of a site's article page, or None for any other page."""
    owner = spider_for_url(url)
    if owner is None or not owner.site.is_article(url):
        return None
    return canonicalize_url(url, owner.site.canonical_host)


class ConditionalRequestMiddleware:
    """Makes article requests conditional on the stored capture; ends unchanged ones; stages new ones."""

    def __init__(self, state: StateExtension, stats: StatsCollector, digests: RecordFactory, conditional: bool,
                 end_unchanged: bool = True) -> None:
        self.state = state
        self.stats = stats
        self.digests = digests
        self.conditional = conditional and end_unchanged
        self.end_unchanged = end_unchanged

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        """Needs the state extension; `STATE_CONDITIONAL=False` sends no validators (same payloads still end)."""
        state = crawler.get_extension(StateExtension)
        end_unchanged = crawler.settings.getbool("STATE_DROP_UNCHANGED")
        if state is None or (state.read_only and not end_unchanged):
            raise NotConfigured
        return cls(state, crawler.stats, RecordFactory(), crawler.settings.getbool("STATE_CONDITIONAL"), end_unchanged)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        """Skip pages the resumed job has done; add validators of the stored capture."""
        key = article_key(request.url)
        page = self.state.store.page(key) if key else None
        if page is None:
            return
        if self.state.done_in_this_run(page.fetched_at):
            if self.state.resuming:
                self.stats.inc_value("state/resume_skipped")
                raise DoneBeforeKill(f"{request.url} was done before the job was killed")
            self.stats.inc_value("state/done_this_run")
            raise DoneThisRun(f"{request.url} was done earlier in this run")
        if page.capture is None:
            return
        if self.end_unchanged and page.capture.record.archived:
            note_capture(request, revisit_of=page.capture.record)
        if not self.conditional:
            return
        if page.capture.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = page.capture.etag
        if page.capture.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = page.capture.last_modified
        self.stats.inc_value("state/conditional_requests")

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        """End unchanged pages (304 or same payload); stage the capture of changed or new ones."""
        key = article_key(request.url)
        if key is None or response.status not in (200, 304):
            return response
        page = self.state.store.page(key)
        capture = capture_of(request) or Capture()
        digest = capture.payload_digest or self.digests.payload_digest(response.body)
        if self.end_unchanged and (response.status == 304 or _same_payload(page, digest)):
            if page is not None and self.state.done_in_this_run(page.fetched_at):
                self.stats.inc_value("state/done_this_run")  # another spider did it while this request was out
                raise DoneThisRun(f"{request.url} was done earlier in this run")
            self._unchanged(key, request, response)
        if self.state.read_only:
            return response
        record = Capture(target_uri=response.url, file=capture.file, offset=capture.offset,
                         record_id=capture.record_id, warc_date=capture.warc_date, payload_digest=digest)
        self.state.store.stage(key, StoredCapture(record, _header(response, b"ETag"),
                                                  _header(response, b"Last-Modified")))
        return response

    def _unchanged(self, key: str, request: Request, response: Response) -> None:
        how = "not_modified" if response.status == 304 else "identical_payload"
        self.stats.inc_value(f"state/unchanged/{how}")
        if not self.state.read_only:
            self.state.store.touch(key, _header(response, b"ETag"), _header(response, b"Last-Modified"))
        logger.debug("%s unchanged (%s): no item", request.url, how)
        raise NotModified(f"{request.url} is unchanged ({how})")


def _same_payload(page: PageState | None, digest: str) -> bool:
    return page is not None and page.capture is not None and page.capture.record.payload_digest == digest


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
