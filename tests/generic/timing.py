#!/usr/bin/env python3
"""What the generic extractor costs per page, beside trafilatura alone, on the real pages of `../shared/realpages/`.

    .venv/bin/python -m tests.generic.timing [--rounds N] [--shared DIR]

Each page is decoded the crawler's way and timed in CPU time of this process, best of `--rounds`
runs per page (a busy machine slows single runs): trafilatura alone (its extraction of the parsed
tree with the generic extractor's options), readability-lxml alone, the generic extractor
(`GenericParser.parse`: both, merged, with our date/byline/source rules) and the same plus the
normalization into an item. Each work starts from the page's bytes (its own parse included). A
measurement to report, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse

from crawler.normalize import build_article
from crawler.parsing.generic import GenericParser
from crawler.parsing.generic.merge import readability_paragraphs
from crawler.parsing.generic.parser import run_trafilatura
from crawler.parsing.selector import page_selector
from tests.generic.candidates import page_response
from tests.generic.realpages import SHARED, original_pages

CAPTURED = datetime(2024, 1, 1, tzinfo=UTC)


def trafilatura_alone(response: HtmlResponse) -> Any:
    """trafilatura on the parsed page, with the generic extractor's options."""
    return run_trafilatura(page_selector(response).root, response.url, GenericParser.EXTRACT_OPTIONS)


def readability_alone(response: HtmlResponse) -> Any:
    """readability-lxml on the decoded text."""
    return readability_paragraphs(response.text, response.url)


def generic(response: HtmlResponse) -> Any:
    """The generic extractor's draft."""
    return GenericParser(response, CAPTURED).parse()


def generic_item(response: HtmlResponse) -> Any:
    """The generic extractor's draft, normalized into the exported item."""
    return build_article(GenericParser(response, CAPTURED).parse())


WORKS: dict[str, Callable[[HtmlResponse], Any]] = {
    "trafilatura alone": trafilatura_alone, "readability alone": readability_alone,
    "generic extractor": generic, "generic + normalize": generic_item,
}


def best_time(path: Path, work: Callable[[HtmlResponse], Any], rounds: int) -> float:
    """The least CPU seconds of `rounds` runs of `work`, each on a new response of the page (no cached tree)."""
    best = float("inf")
    for _ in range(rounds):
        response = page_response(path)
        started = time.process_time()
        work(response)
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    """Command line: per-page CPU time of each work, median and mean over the pages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    pages = original_pages(args.shared)
    if pages is None:
        return 0
    print(f"{len(pages)} pages, best of {args.rounds} runs each, CPU ms per page")
    for name, work in WORKS.items():
        times = [best_time(path, work, args.rounds) * 1000 for path in pages]
        print(f"{name:<22} median {statistics.median(times):7.1f}   mean {statistics.mean(times):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
