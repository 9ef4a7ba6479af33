"""Spider middleware: responses that cannot be a page never reach a parser.

A 200 whose body is binary (a non-text content type, or text that holds control bytes), empty,
cut short (`dataloss`: fewer bytes than `Content-Length`, after the retries), or nested deeper than
`RESPONSE_MAX_DEPTH` elements is archived like any response, then stopped here with `UnusableResponse`
(an `IgnoreRequest`, as Scrapy's `HttpErrorMiddleware` does for error statuses). The request's errback
gets it when it has one; otherwise this middleware logs it. Stats: `responses/unusable/<reason>`
(`binary`, `empty`, `truncated`, `too_deep`).

The depth limit protects the parsers: lxml keeps at most 2048 levels (what lies deeper is lost),
trafilatura's own parse 256, and a recursive walk in Python fails near 1000. Browsers stop
nesting at 512 (Blink); so does the default here.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, Any

from lxml import etree
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse

from crawler.compat import Element
from crawler.parsing.selector import page_selector

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
"""Bytes that never occur in text (the WHATWG MIME sniffing "binary data bytes")."""
SNIFF_LENGTH = 1024
BINARY_SIGNATURES = (
    b"\x89PNG", b"%PDF-", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x01\x00",
)
"""Starts of image, document and archive formats served under a wrong type."""
LXML_MAX_DEPTH = 2048
"""The deepest lxml (libxml2 with `huge_tree`, as parsel parses) nests elements: what lies deeper is dropped."""
HTML_BINARY_SHARE = 0.05
"""Under `text/html`, stray control bytes (old portals put some in ad markup) are tolerated up to this share
of the sniffed bytes; compressed or image data holds about 10%."""


class UnusableResponse(IgnoreRequest):
    """A response that is no page: `reason` is `binary`, `empty`, `truncated` or `too_deep`."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def looks_binary(body: bytes, encoding: str | None = None, declared_html: bool = False) -> bool:
    """Whether the start of `body` is no text: a binary format's signature, or control bytes.

    Browsers sniff for binary bytes only when the type is unknown or `text/plain` (WHATWG MIME
    sniffing); a page declared `text/html` is judged by the share of such bytes instead, since
    real pages carry a few stray ones. UTF-16/32 text is never binary.
    """
    if (encoding or "").startswith(("utf-16", "utf-32")):
        return False
    head = body[:SNIFF_LENGTH]
    if head.startswith(BINARY_SIGNATURES):
        return True
    hits = len(BINARY_BYTES.findall(head))
    return hits > len(head) * HTML_BINARY_SHARE if declared_html else hits > 0


def unusable_reason(response: Response, max_depth: int) -> tuple[str, str] | None:
    """(reason, detail) when a 2xx response cannot be parsed as a page, else None.

    Other statuses reach a callback only when its spider asked for them, and are its business.
    """
    if not 200 <= response.status < 300:
        return None
    content_type = response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"
    if "dataloss" in response.flags:
        expected = response.headers.get("Content-Length", b"?").decode("latin-1")
        return "truncated", f"the body ended after {len(response.body)} of {expected} bytes"
    if not response.body.strip():
        return "empty", "the body is empty"
    if not isinstance(response, TextResponse):
        return "binary", f"{content_type}, {len(response.body)} bytes"
    if looks_binary(response.body, response.encoding, declared_html="html" in content_type.lower()):
        return "binary", f"binary bytes under {content_type}, {len(response.body)} bytes"
    if isinstance(response, HtmlResponse) and nests_deeper(root := page_selector(response).root, max_depth):
        return "too_deep", f"elements nest {tree_depth(root)} deep, more than RESPONSE_MAX_DEPTH ({max_depth})"
    return None


def nests_deeper(root: Element, limit: int) -> bool:
    """Whether `tree_depth(root) > limit`, decided in libxml2 without visiting each element in Python.

    One compiled XPath of `limit` child steps (`*/*/…`) from `root`, each step selecting the next
    level's elements: about a quarter of the cost of walking the tree. lxml builds no tree deeper
    than `LXML_MAX_DEPTH`, so a larger limit is never exceeded (and such a path would not compile).
    """
    return limit < LXML_MAX_DEPTH and bool(_levels_below(limit)(root))


@functools.lru_cache(maxsize=4)
def _levels_below(steps: int) -> etree.XPath:
    """A compiled XPath: true when an element lies `steps` levels below the context element."""
    return etree.XPath("boolean(" + "/".join(["self::*", *["*"] * steps]) + ")")


def tree_depth(root: Element) -> int:
    """The nesting depth of the deepest element below `root` (`root` itself is 1)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


class UnusableResponseMiddleware:
    """Stops binary, empty and truncated responses before the spider's callback."""

    def __init__(self, stats: StatsCollector, max_depth: int) -> None:
        self.stats = stats
        self.max_depth = max_depth

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnusableResponseMiddleware:
        """Wire the middleware to the crawl's stats and `RESPONSE_MAX_DEPTH`."""
        return cls(crawler.stats, crawler.settings.getint("RESPONSE_MAX_DEPTH"))

    def process_spider_input(self, response: Response, spider: Spider | None = None) -> None:
        """Raise `UnusableResponse` for a response that is no page."""
        found = unusable_reason(response, self.max_depth)
        if found is not None:
            reason, detail = found
            self.stats.inc_value(f"responses/unusable/{reason}")
            raise UnusableResponse(reason, f"unusable response ({reason}): {detail}")

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider: Spider | None = None) -> Iterable[Any] | None:
        """Log an `UnusableResponse` no errback took, and end it there."""
        if isinstance(exception, UnusableResponse):
            logger.warning("Ignoring %s: %s", response, exception)
            return []
        return None
