"""Replay measurements: the parse floor on N processes, and archives of 20,000 and 200,000 records for peak RSS.

The parse floor is what replay could reach if it did nothing but parse: the site parser and
normalization (`parse_and_normalize`) of the replayed article pages, with no Scrapy, no WARC
reading and no pipeline, split over the same number of processes as the replay. The pages are
loaded before the worker processes are forked, so the floor counts no pickling either.

The RSS archives repeat a crawl's WARC files: each file's bytes written `times` times over (gzip
members join into one valid file), as if the same pages had been crawled `times` times. A replay
of them parses every capture (the repeats are found unchanged), so the large archive costs ten
times the small one's work on the same pages.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import TYPE_CHECKING, Any

from archive.reader import Damage, read_records
from crawler.bench.extraction import parse_and_normalize

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.bench.extraction import Page

_floor_pages: list[Page] = []


def parse_floor(pages: list[Page], jobs: int) -> dict[str, Any]:
    """Parser and normalization of `pages` on `jobs` forked processes: articles/s, wall clock from first to last."""
    global _floor_pages  # the pages reach the workers by fork, not by pickling
    _floor_pages = pages
    shares = [(start, len(pages), jobs) for start in range(jobs)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_warm, range(jobs))
        started = time.perf_counter()
        parsed = sum(pool.map(_parse_share, shares))
        elapsed = time.perf_counter() - started
    _floor_pages = []
    return {"articles": parsed, "jobs": jobs, "elapsed_s": round(elapsed, 3), "articles_per_s": parsed / elapsed}


def _warm(_: int) -> None:
    """Import and first-call costs paid before the clock starts (the replay pays its own before its first item)."""
    parse_and_normalize(_floor_pages[0])


def _parse_share(share: tuple[int, int, int]) -> int:
    start, end, step = share
    for page in _floor_pages[start:end:step]:
        parse_and_normalize(page)
    return len(range(start, end, step))


def repeated_archive(source: Path, times: int, target: Path) -> Path:
    """The WARC files of `source`, each written `times` times over into `target` (a folder); returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.warc.gz")):
        data = path.read_bytes()
        with open(target / path.name, "wb") as out:
            for _ in range(times):
                out.write(data)
    return target


def record_count(folder: Path) -> int:
    """How many WARC records the files of `folder` hold (damaged stretches not counted)."""
    return sum(1 for path in sorted(folder.glob("*.warc.gz")) for item in read_records(path)
               if not isinstance(item, Damage))


def cores() -> int:
    """The cores this process may run on (what `scrapy replay` uses by default)."""
    return len(os.sched_getaffinity(0))
