"""`scrapy warc index|pack`: a CDXJ index or a WACZ package of a crawl's WARC files.

    scrapy warc index data/warc [-o data/warc/index.cdxj]
    scrapy warc pack data/warc -o data/crawl.wacz [--title TITLE]

Both take WARC files and folders (searched recursively). `pack` lists every archived article
page (`200` captures of article URLs, titled by their HTML `<title>`) as the WACZ's pages and
validates the package it wrote. Exit codes as every command's (`crawler.cli`): 1 when a file is
no WARC file or the package fails to validate, 2 for a usage error.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from archive.index import ArchiveIndex, warc_files
from archive.inputs import check_inputs
from archive.package import PackagingError, Page, validate_wacz, write_cdxj, write_wacz
from archive.reader import DamagedRecord
from crawler.cli import EXIT_FAILED, reports_errors
from crawler.replay.choice import skip_reason
from crawler.replay.response import scrapy_response

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

ACTIONS = ("index", "pack")


def article_pages(index: ArchiveIndex) -> list[Page]:
    """Every readable `200` capture of an article URL, titled by its HTML `<title>` (else its URL)."""
    pages = []
    for capture in index:
        if skip_reason(capture) is not None:
            continue
        try:
            response = scrapy_response(Request(capture.url), index.response(capture))
        except DamagedRecord:
            logger.warning("Leaving a damaged capture of %s out of the page list", capture.url)
            continue
        title = response.css("title::text").get("").strip() if hasattr(response, "css") else ""
        pages.append(Page(capture.url, capture.warc_date, title or capture.url))
    return pages


class Command(ScrapyCommand):
    """Index or package WARC files."""

    requires_project = True

    def syntax(self) -> str:
        """Usage line."""
        return "index|pack FILE_OR_DIR [FILE_OR_DIR ...] [-o OUTPUT]"

    def short_desc(self) -> str:
        """One-line description for `scrapy -h`."""
        return "Write a CDXJ index (index) or a validated WACZ package (pack) of WARC files"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """`-o` names the output; `--title` the WACZ's title."""
        super().add_options(parser)
        parser.add_argument("-o", "--output", help="index: the CDXJ file (default: index.cdxj in the first folder); "
                                                     "pack: the WACZ file (required)")
        parser.add_argument("--title", help="pack: the WACZ's title")

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Index or pack the named files and folders."""
        if len(args) < 2 or args[0] not in ACTIONS:
            raise UsageError("give `index` or `pack` and at least one WARC file or folder: "
                             "scrapy warc index DIR, scrapy warc pack DIR -o X.wacz")
        try:
            check_inputs(args[1:])  # a file that is no WARC would fail deep in the indexer
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from exc
        files = warc_files(args[1:])
        paths = [path for path, _ in files if not path.name.endswith(".open")]
        if not paths:
            raise UsageError(f"no WARC files in {', '.join(args[1:])}")
        if args[0] == "index":
            self._index(paths, Path(args[1]), opts.output)
        else:
            self._pack(files, paths, opts)

    def _index(self, paths: list[Path], first: Path, output: str | None) -> None:
        root = first if first.is_dir() else first.parent
        target = Path(output) if output else root / "index.cdxj"
        lines = write_cdxj(paths, target, root)
        print(f"Wrote {lines} index lines for {len(paths)} WARC files to {target}")

    def _pack(self, files: list[tuple[Path, str]], paths: list[Path], opts: argparse.Namespace) -> None:
        if not opts.output:
            raise UsageError("pack needs -o FILE.wacz")
        target = Path(opts.output)
        pages = article_pages(ArchiveIndex.build([(path, label) for path, label in files if path in paths]))
        try:
            write_wacz(paths, target, pages, opts.title)
            validate_wacz(target)
        except PackagingError as exc:
            logger.error("%s", exc)
            self.exitcode = EXIT_FAILED
            return
        print(f"Wrote {target}: {len(paths)} WARC files, {len(pages)} pages; wacz validate passed")
