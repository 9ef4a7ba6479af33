"""Index and package WARC files: a CDXJ index (cdxj-indexer) and a WACZ (the `wacz` package).

Both tools are called as libraries. The CDXJ index is sorted, names files relative to a root
folder and appends request bodies as pywb expects (`post_append`). The WACZ holds the WARCs, a
compressed index, a page list and a `datapackage.json` with a digest of every file.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Pages"}


class PackagingError(RuntimeError):
    """The `wacz` tool refused to create or validate a package; the message holds its output."""


@dataclass(frozen=True)
class Page:
    """An entry of a WACZ page list: a captured page users start browsing from."""

    url: str
    warc_date: str
    title: str


def write_cdxj(files: Sequence[Path], output: Path, root: Path | None = None) -> int:
    """Write a sorted CDXJ index of `files` to `output`, file names relative to `root`; returns its line count."""
    output.parent.mkdir(parents=True, exist_ok=True)
    options = {"sort": True, "post_append": True, "dir_root": str(root) if root else None}
    from cdxj_indexer.main import write_cdx_index  # imported when used: it costs every `scrapy` command 0.2 s

    write_cdx_index(str(output), [str(path) for path in files], options)
    with open(output, "rb") as written:
        return sum(1 for _ in written)


def write_wacz(files: Sequence[Path], output: Path, pages: Sequence[Page] = (), title: str | None = None) -> None:
    """Package `files` into the WACZ `output` with `pages` as its page list (detected by wacz when empty)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nqi-wacz-") as scratch:
        args = ["create", "-o", str(output)]
        if pages:
            pages_path = Path(scratch) / "pages.jsonl"
            pages_path.write_text(_pages_jsonl(pages), encoding="utf-8")
            args += ["-p", str(pages_path)]
        else:
            args.append("--detect-pages")
        if title:
            args += ["--title", title]
        _run_wacz([*args, *map(str, files)])


def validate_wacz(path: Path) -> None:
    """Run `wacz validate` on a package; `PackagingError` with the tool's output if it fails."""
    _run_wacz(["validate", "-f", str(path)])


def _pages_jsonl(pages: Sequence[Page]) -> str:
    lines = [PAGES_HEADER] + [{"url": page.url, "ts": page.warc_date, "title": page.title} for page in pages]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _run_wacz(args: list[str]) -> None:
    """Call the wacz command line in-process, its chatter going to the debug log."""
    from wacz.main import main as wacz_main  # imported when used, as cdxj_indexer is

    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter):
        code = wacz_main(args)
    logger.debug("wacz %s: %s", args[0], chatter.getvalue())
    if code:
        raise PackagingError(f"wacz {args[0]} failed: {chatter.getvalue().strip()}")
