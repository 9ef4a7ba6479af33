"""The bare Scrapy crawl the project's crawl is measured against, run in its own process.

    python -m crawler.bench.bare --mirror-url URL --mirror-root DIR --max-lists N

A plain `scrapy.Spider` under Scrapy's default settings (none of the project's middlewares,
pipelines, extensions, download handler or WARC), with politeness off and the same number of
requests in flight as the benchmark crawl (`BENCH_CONCURRENCY` per site, every site at once).
It requests the pages the benchmark crawl fetches (for each site, the first `N` list pages and
their articles, read from the mirror's `meta.json`) straight from the mirror, and its callback
discards each response: what is left is what Scrapy itself costs for the same fetches. It prints
one JSON line with the same figures as `crawler.bench.crawl`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from crawler.bench.crawl import BENCH_CONCURRENCY, crawl_figures
from crawler.bench.synth import ENTRIES_PER_LIST
from crawler.mirror import mirror_key

_NUMBER = re.compile(r"(list|article)/(\d+)\.html$")


def page_urls(mirror_root: Path, max_lists: int) -> list[str]:
    """The real URLs of each site's first `max_lists` list pages and their articles, in the mirror's order."""
    urls = []
    for meta_path in sorted(mirror_root.glob("*/meta.json")):
        for entry in json.loads(meta_path.read_text(encoding="utf-8"))["pages"]:
            match = _NUMBER.search(entry["file"])
            if match is None:
                continue
            kind, number = match.group(1), int(match.group(2))
            if number < (max_lists if kind == "list" else max_lists * ENTRIES_PER_LIST):
                urls.append(entry["url"])
    return urls


def run(mirror_url: str, urls: list[str], sites: int) -> dict[str, Any]:
    """Fetch every URL through the mirror with a bare spider; the crawl's figures."""
    from scrapy import Request, Spider
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.settings import Settings

    class BareSpider(Spider):
        """Requests the given mirror URLs and discards the responses."""

        name = "bare"

        async def start(self) -> AsyncIterator[Request]:
            for url in urls:
                yield Request(f"{mirror_url.rstrip('/')}/{mirror_key(url)}", callback=self.discard)

        def discard(self, response: Any) -> None:
            """Nothing: the fetch is what is measured."""

    settings = Settings({
        "CONCURRENT_REQUESTS": BENCH_CONCURRENCY * sites,
        "CONCURRENT_REQUESTS_PER_DOMAIN": BENCH_CONCURRENCY * sites,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "WARNING",
    })
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    return crawl_figures([crawler.stats.get_stats()])


def main(argv: list[str] | None = None) -> int:
    """Command line of the child process."""
    parser = argparse.ArgumentParser(prog="python -m crawler.bench.bare")
    parser.add_argument("--mirror-url", required=True)
    parser.add_argument("--mirror-root", type=Path, required=True)
    parser.add_argument("--max-lists", type=int, required=True)
    args = parser.parse_args(argv)
    sites = len(list(args.mirror_root.glob("*/meta.json")))
    print(json.dumps(run(args.mirror_url, page_urls(args.mirror_root, args.max_lists), sites)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
