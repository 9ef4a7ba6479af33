#!/usr/bin/env python3
"""Candidate extractors and our generic extractor, in process, on the real pages of `../shared/realpages/`.

Each page is decoded the crawler's way (`crawler.middlewares.charset.choose_encoding`) and given to
every candidate; the items are scored with the shared scorer's rules on all pages and on each half
(`tests.generic.scoring`). This is the quick measure for development and for choosing between
candidates; `python -m tests.generic.realpages` is the real one (a `scrapy crawl page` over HTTP).

    .venv/bin/python -m tests.generic.candidates [--only NAME,...] [--out DIR]

Candidates whose library is not installed (GNE is not a dependency) are left out with a note.
Timings per page are printed too (CPU of this process, one run, on whatever else the machine runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import html as lxml_html
from scrapy.http import HtmlResponse

from crawler.middlewares.charset import choose_encoding
from crawler.normalize import build_article
from tests.generic.realpages import SHARED, original_pages
from tests.generic.scoring import HALVES, split_figures

CAPTURED = datetime(2024, 1, 1, tzinfo=UTC)
Extractor = Callable[[HtmlResponse], dict[str, Any]]


def page_response(path: Path) -> HtmlResponse:
    """A page file as the crawler would hold it: plain `text/html`, decoded by the charset rule."""
    body = path.read_bytes()
    decision = choose_encoding(body, "text/html", ["utf-8", "gb18030"], 0.05)
    return HtmlResponse(url=f"http://127.0.0.1:8000/{path.name}", body=body, encoding=decision.encoding,
                        headers={"Content-Type": "text/html"})


def ours(response: HtmlResponse) -> dict[str, Any]:
    """The `page` spider's parse and the normalization pipeline."""
    from spiders.page import page_draft

    return asdict(build_article(page_draft(response, CAPTURED)))


def trafilatura_alone(response: HtmlResponse) -> dict[str, Any]:
    """trafilatura with its default options on the decoded text."""
    import trafilatura

    found = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
    if found is None:
        return {}
    return {"title": found.title, "body": found.text or "", "published_at": found.date,
            "authors": [found.author] if found.author else []}


def readability(response: HtmlResponse) -> dict[str, Any]:
    """readability-lxml's summary as text (it reads no date or author)."""
    from readability import Document

    document = Document(response.text)
    summary = lxml_html.fromstring(document.summary(html_partial=True))
    return {"title": document.short_title(), "body": "\n".join(summary.itertext())}


def gne(response: HtmlResponse) -> dict[str, Any]:
    """GNE's general news extractor."""
    from gne import GeneralNewsExtractor

    found = GeneralNewsExtractor().extract(response.text)
    return {"title": found.get("title"), "body": found.get("content", ""), "published_at": found.get("publish_time"),
            "authors": [found["author"]] if found.get("author") else []}


CANDIDATES: dict[str, Extractor] = {
    "ours": ours, "trafilatura": trafilatura_alone, "readability": readability, "gne": gne,
}


def run(name: str, extractor: Extractor, pages: list[Path], out: Path | None) -> tuple[dict[str, Any], float]:
    """Every page through one extractor: items by page id and the mean CPU seconds per page."""
    items: dict[str, Any] = {}
    spent = 0.0
    for path in pages:
        response = page_response(path)
        started = time.process_time()
        item = extractor(response)
        spent += time.process_time() - started
        items[path.stem] = {"url": response.url, **item}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps(item, ensure_ascii=False, default=str) for item in items.values())
        (out / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return items, spent / len(pages)


def main(argv: list[str] | None = None) -> int:
    """Command line: every (or the named) candidate, figures on all pages and on each half."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--only", default="", help="comma-separated candidate names")
    parser.add_argument("--out", type=Path, help="write each candidate's items here")
    args = parser.parse_args(argv)
    pages = original_pages(args.shared)
    if pages is None:
        return 0
    names = [name for name in args.only.split(",") if name] or list(CANDIDATES)
    print(f"{'candidate':<12} {'set':<7} {'body':>6} {'date':>6} {'author':>6}  ms/page")
    for name in names:
        try:
            items, per_page = run(name, CANDIDATES[name], pages, args.out)
        except ImportError as exc:
            print(f"{name:<12} not installed ({exc.name})")
            continue
        for label, figures in split_figures(items, args.shared).items():
            timing = f"{per_page * 1000:8.1f}" if label == "all" else ""
            print(f"{name:<12} {label:<7} {figures.body:6.3f} {figures.date:6.3f} {figures.author:6.3f}  {timing}")
    print(f"halves: {', '.join(HALVES)} half of the page ids in sorted order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
