"""In-process timings of extraction: each site parser against a bare lxml parse, and trafilatura.

Pages are taken from the synthetic mirror as the crawler receives them (the bytes the mirror
sends, read in the charset they are really in). Each page's timing is its best of `REPEATS`
runs, in CPU time of the measuring thread: on a busy machine wall time also counts the time
other processes held the core, and a single run can still be slowed by them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import lxml.html
from scrapy.http import HtmlResponse

from crawler.charsets import decoder_for
from crawler.mirror import load_routes, mirror_key
from crawler.normalize import build_article
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.bench.synth import Manifest

REPEATS = 5


@dataclass
class Page:
    """An article page as received: URL, bytes, Content-Type, the charset it is in, capture date."""

    site: str
    url: str
    body: bytes
    content_type: str
    charset: str
    captured: datetime

    def response(self) -> HtmlResponse:
        """The response the spider gets (charset set explicitly, as the crawl's charset middleware does)."""
        return HtmlResponse(self.url, body=self.body, headers={"Content-Type": self.content_type},
                            encoding=self.charset)


def sample_pages(manifest: Manifest, per_site: int, among: set[str] | None = None) -> list[Page]:
    """The first `per_site` article pages of each site of the synthetic mirror (of the URLs `among`, when given)."""
    routes = load_routes(manifest.root)
    taken: dict[str, int] = defaultdict(int)
    pages = []
    for site, url, _, _ in manifest.articles:
        if taken[site] >= per_site or (among is not None and url not in among):
            continue
        taken[site] += 1
        page = routes[mirror_key(url)]
        captured = page.last_modified or datetime.now().astimezone()
        charset = decoder_for(page.charset) or "utf-8"
        pages.append(Page(site, url, page.body(), page.header_content_type(), charset, captured))
    return pages


def best_times(pages: list[Page], works: list[Callable[[Page], Any]]) -> list[float]:
    """For each of `works`, the sum over `pages` of each page's best of `REPEATS` runs, in CPU seconds of this thread.

    The works take turns on each page, run after run, so that a slow spell of the machine
    falls on all of them rather than on whichever ran then.
    """
    totals = [0.0] * len(works)
    for page in pages:
        best = [float("inf")] * len(works)
        for _ in range(REPEATS):
            for number, work in enumerate(works):
                started = time.thread_time()
                work(page)
                best[number] = min(best[number], time.thread_time() - started)
        totals = [total + page_best for total, page_best in zip(totals, best, strict=True)]
    return totals


def lxml_parse(page: Page) -> Any:
    """The page's bytes parsed by lxml's HTML parser, nothing else."""
    return lxml.html.document_fromstring(page.body, parser=lxml.html.HTMLParser(encoding=page.charset))


def site_parse(page: Page) -> Any:
    """The site parser on the page: response, decoding, lxml parse, every field of the draft."""
    spider = spider_for_url(page.url)
    assert spider is not None
    return spider.extract(page.response(), captured_at=page.captured)


def parse_and_normalize(page: Page) -> Any:
    """The site parser, then normalization into an Article."""
    return build_article(site_parse(page))


def parser_costs(pages: list[Page]) -> dict[str, dict[str, float]]:
    """Per site: ms per page of the lxml parse alone, the site parser, parser plus normalization; ratios to lxml."""
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_site[page.site].append(page)
    costs = {}
    for site, site_pages in sorted(by_site.items()):
        count = len(site_pages)
        lxml_ms, parser_ms, normalized_ms = (1000 * total / count for total in
                                             best_times(site_pages, [lxml_parse, site_parse, parse_and_normalize]))
        costs[site] = {"pages": count, "lxml_ms": lxml_ms, "parser_ms": parser_ms, "parser_ratio": parser_ms / lxml_ms,
                       "parser_normalize_ms": normalized_ms}
    return costs


def trafilatura_speed(pages: list[Page]) -> dict[str, float]:
    """`trafilatura.extract` on the pages' bytes: pages/s (one pass, after one untimed page that loads its data)."""
    import trafilatura

    trafilatura.extract(pages[0].body, url=pages[0].url)
    started = time.perf_counter()
    extracted = sum(1 for page in pages if trafilatura.extract(page.body, url=page.url))
    elapsed = time.perf_counter() - started
    return {"pages": len(pages), "extracted": extracted, "elapsed_s": elapsed, "pages_per_s": len(pages) / elapsed}
