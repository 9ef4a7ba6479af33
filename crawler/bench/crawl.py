"""One benchmark crawl, run in its own process: every site spider through a mirror, the project's settings.

    python -m crawler.bench.crawl --mirror-url URL --warc on|off --max-lists N --workdir DIR [--set NAME=VALUE]

The crawl is the one users run (`crawlall`: every site spider in one process, every pipeline,
extension and middleware of `crawler/settings.py`), with three kinds of changes only: politeness
off (no delay, no AutoThrottle, `BENCH_CONCURRENCY` requests per site) so that the crawler
rather than a timer sets the pace; logging at WARNING; and every file it writes (WARC, items,
rejects, state store, locks, reports) inside `DIR`. It prints one JSON line: pages, items,
elapsed seconds from the first spider opening to the last closing, pages/s, WARC bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

BENCH_CONCURRENCY = 16


def bench_settings(mirror_url: str, warc: bool, workdir: Path, base: dict[str, Any]) -> dict[str, Any]:
    """The settings a benchmark crawl overrides; `base` is the project's settings (paths are moved into `workdir`)."""
    overrides: dict[str, Any] = {
        "MIRROR_URL": mirror_url,
        "ALLOW_PRIVATE_NETWORKS": True,
        "WARC_ENABLED": warc,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": BENCH_CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": BENCH_CONCURRENCY,
        "LOG_LEVEL": "WARNING",
        "REPORT_TABLE": False,
    }
    for name, value in base.items():
        if name.endswith(("_DIR", "_PATH")) and isinstance(value, str) and value.startswith("data/"):
            overrides[name] = str(workdir / value.removeprefix("data/"))
        elif name == "STATE_URI" and isinstance(value, str) and value.startswith("sqlite:///"):
            overrides[name] = f"sqlite:///{workdir}/state.sqlite3"
    return overrides


def run(mirror_url: str, warc: bool, max_lists: int, workdir: Path,
        extra: dict[str, str] | None = None) -> dict[str, Any]:
    """Crawl every site spider through the mirror (`extra`: further settings); the crawl's figures."""
    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.utils.project import get_project_settings

    from spiders.registry import site_spiders

    settings = get_project_settings()
    settings.setdict({**bench_settings(mirror_url, warc, workdir, dict(settings)), **(extra or {})}, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    crawlers = []
    for spidercls in site_spiders():
        crawler_settings = settings.copy()
        feed = {str(workdir / f"items-{spidercls.name}.jsonl"): {"format": "jsonlines", "overwrite": True}}
        crawler_settings.set("FEEDS", feed, priority="cmdline")
        crawler = Crawler(spidercls, crawler_settings)
        crawlers.append(crawler)
        process.crawl(crawler, max_pages=max_lists)
    process.start()
    return crawl_figures([crawler.stats.get_stats() for crawler in crawlers if crawler.stats])


def crawl_figures(all_stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Pages, items, elapsed time and throughput over the crawlers' stats."""
    start = min(stats["start_time"] for stats in all_stats)
    finish = max(stats["finish_time"] for stats in all_stats)
    elapsed = (finish - start).total_seconds()
    pages = sum(stats.get("downloader/response_count", 0) for stats in all_stats)
    return {
        "pages": pages,
        "items": sum(stats.get("item_scraped_count", 0) for stats in all_stats),
        "dropped": sum(stats.get("item_dropped_count", 0) for stats in all_stats),
        "errors": sum(stats.get("log_count/ERROR", 0) for stats in all_stats),
        "warc_bytes": sum(stats.get("warc/bytes", 0) for stats in all_stats),
        "elapsed_s": elapsed,
        "pages_per_s": pages / elapsed if elapsed else 0.0,
        "finish_reasons": sorted({stats.get("finish_reason", "") for stats in all_stats}),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line of the child process."""
    parser = argparse.ArgumentParser(prog="python -m crawler.bench.crawl")
    parser.add_argument("--mirror-url", required=True)
    parser.add_argument("--warc", choices=["on", "off"], required=True)
    parser.add_argument("--max-lists", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a further Scrapy setting")
    args = parser.parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    extra = dict(pair.split("=", 1) for pair in args.set)
    figures = run(args.mirror_url, args.warc == "on", args.max_lists, args.workdir, extra)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
