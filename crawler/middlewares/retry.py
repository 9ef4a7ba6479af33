"""Scrapy's `RetryMiddleware`, also honouring `Retry-After` and retrying truncated bodies.

- A response that is retried (status in `RETRY_HTTP_CODES`) and carries `Retry-After` (seconds
  or an HTTP date) is retried after that delay, waiting at most `RETRY_AFTER_MAX` seconds. Stats
  `retry/retry_after/waited` and, when the server asked for longer, `retry/retry_after/capped`.
- A response whose body ended before its `Content-Length` (Scrapy flags it `dataloss` when
  `DOWNLOAD_FAIL_ON_DATALOSS` is off, so the bytes received still reach the WARC) is retried like
  a failed download; after the last retry it goes on, and `UnusableResponseMiddleware` keeps it
  from the spider.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware as ScrapyRetryMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """The delay a `Retry-After` header asks for (0 for a past date), or None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryMiddleware(ScrapyRetryMiddleware):
    """Retries as Scrapy does, after the delay a `Retry-After` asks for, and retries `dataloss` responses."""

    async def process_response(self, request: Request, response: Response,
                               spider: Spider | None = None) -> Request | Response:
        """A retry request (after any `Retry-After` delay) or the response."""
        if "dataloss" in response.flags and not request.meta.get("dont_retry", False):
            return self._dataloss_retry(request) or response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(response)
        return result

    def _dataloss_retry(self, request: Request) -> Request | None:
        """A retry of a request whose body came cut short, with the request's own retry limits (None once spent)."""
        assert self.crawler.spider is not None
        return get_retry_request(
            request, reason="dataloss", spider=self.crawler.spider,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    async def _wait(self, response: Response) -> None:
        from twisted.internet import reactor

        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return
        cap = self.crawler.settings.getfloat("RETRY_AFTER_MAX")
        delay = min(asked, cap)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("retry/retry_after/waited")
        if asked > cap:
            stats.inc_value("retry/retry_after/capped")
        logger.info("%s answered %d with Retry-After %s: waiting %.1fs (RETRY_AFTER_MAX %.0fs) before retrying",
                    response.url, response.status, response.headers.get("Retry-After", b"").decode("latin-1"),
                    delay, cap)
        await maybe_deferred_to_future(deferLater(reactor, delay))
