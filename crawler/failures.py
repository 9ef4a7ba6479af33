"""Why a request produced no page: one short reason per failure, for a log line and a stat.

A spider's errback calls `account_failure`: it logs one line naming the URL and the reason and
counts `requests/failed/<reason>`, so every page a crawl was asked for is accounted for without a
traceback in the log. Reasons: `http_<status>`, `timeout`, `dns`, `connection_refused`,
`connection_lost`, `dataloss`, `too_large`, `robots`, `offsite`, `redirect_loop`, the network
guard's (`scheme`, `loopback`, `private`, `metadata`, ...) and `UnusableResponse`'s (`binary`,
`empty`, `truncated`); anything else is the exception's class name.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TxTimeoutError), "timeout"),
    ((CannotResolveHostError, DNSLookupError), "dns"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ResponseDataLossError, "dataloss"),
    ((DownloadFailedError, ConnectionLost), "connection_lost"),
    (DownloadCancelledError, "too_large"),
)
"""Download errors by type (Scrapy's own and the Twisted ones it wraps)."""

IGNORED_BY_MESSAGE = (
    ("robots.txt", "robots"),
    ("offsite", "offsite"),
    ("max redirections", "redirect_loop"),
    ("DOWNLOAD_MAXSIZE", "too_large"),
)
"""`IgnoreRequest`s of Scrapy's middlewares, told apart by their message."""


def failure_reason(failure: Failure) -> str:
    """The short reason of a request's failure (see the module docstring)."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    reason = getattr(error, "reason", None)
    if isinstance(reason, str):
        return reason
    for types, name in BY_TYPE:
        if isinstance(error, types):
            return name
    if isinstance(error, IgnoreRequest):
        message = str(error)
        return next((name for marker, name in IGNORED_BY_MESSAGE if marker in message), "ignored")
    return type(error).__name__


def account_failure(failure: Failure, stats: StatsCollector) -> str:
    """Log one line for a failed request and count `requests/failed/<reason>`; returns the reason."""
    request = failure.request  # type: ignore[attr-defined]
    reason = failure_reason(failure)
    stats.inc_value(f"requests/failed/{reason}")
    logger.warning("No page from %s: %s (%s: %s)", request.url, reason, type(failure.value).__name__,
                   failure.getErrorMessage() or "no detail")
    return reason
