"""Frees a response's parsed tree as soon as its callback's output has been handled.

Scrapy caches the `Selector` of a response on the response, and that `Selector` points back at
the response (scrapy/scrapy#2977): every parsed page is a reference cycle, which only Python's
cyclic garbage collector frees. The collector runs by counts of Python objects, not by the
several hundred KiB of libxml2 tree behind each page, so dead pages pile up between its full
passes and the crawl's memory grows with its speed rather than its concurrency. Dropping the cached
`Selector` once the output is consumed breaks the cycle, and reference counting frees the tree
at once. A callback that needs the tree later (an item holding a node) keeps it alive itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.compat import drop_cached_selector

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from scrapy import Spider
    from scrapy.http import Response


def release_tree(response: Response) -> None:
    """Forget the response's cached `Selector` (Scrapy builds it again if it is asked for)."""
    drop_cached_selector(response)


class ReleaseParsedTreeMiddleware:
    """Spider middleware, outermost: releases each response's tree after its output."""

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider: Spider | None = None) -> Iterator[Any]:
        """Pass the output on; release the tree when it is exhausted or abandoned."""
        try:
            yield from result
        finally:
            release_tree(response)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider: Spider | None = None) -> AsyncIterator[Any]:
        """The same, for asynchronous output."""
        try:
            async for item in result:
                yield item
        finally:
            release_tree(response)
