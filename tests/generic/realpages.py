#!/usr/bin/env python3
"""Measure the `page` spider on the hand-labelled real pages of `../shared/realpages/`.

Serves `../shared/realpages/original/` on a free 127.0.0.1 port (as plain `text/html`, no charset:
the crawler decodes the bytes itself, as it would any server's), crawls every page with
`scrapy crawl page`, scores the items with `../shared/tools/score_realpages.py` (the scorer the
product is judged by) and prints the three figures beside the anchors.

    .venv/bin/python -m tests.generic.realpages [--runs N] [--out DIR] [--json] [--shared DIR]

Beside the figures on all pages it prints them on each half of the pages (by page id, see
`tests.generic.scoring`): rules are written on one half and checked on the other, then swapped.

`--runs N` repeats the crawl N times and prints each run (trafilatura is known to flip a page
between runs); `--out` keeps the items, WARCs and logs (default: a temporary folder); `--json`
prints the figures of each run as JSON lines. Without the shared folder it says so and exits 0.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.generic.scoring import HALVES, Figures, items_by_page, split_figures

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def original_pages(shared: Path) -> list[Path] | None:
    """The real pages' HTML files under `shared`, sorted; None (with a line saying so) when there are none."""
    originals = shared / "realpages" / "original"
    if not originals.is_dir():
        print(f"skipped: no real pages under {shared}")
        return None
    return sorted(originals.glob("*.html"))
ANCHORS = {
    "body": "trafilatura alone 0.82-0.85, GNE 0.619",
    "date": "trafilatura alone 0.615, GNE 0.769",
    "author": "trafilatura alone 0.037, GNE 0.222",
}
CRAWL_TIMEOUT = 600

logger = logging.getLogger(__name__)

_FIGURES = re.compile(r"pages=(\d+) items=(\d+) body=([\d.]+) date=([\d.]+) \(n=\d+\) author=([\d.]+)")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder's files as they are (`.html` as plain `text/html`), without request logs."""

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free 127.0.0.1 port for the duration of the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def crawl(urls: list[str], out: Path, settings: dict[str, str] | None = None) -> Path:
    """Crawl `urls` with `scrapy crawl page` (run in `out`, so everything the crawl writes under
    `data/` lands there) into `out/items.jsonl`; returns the items file. `settings` are added with `-s`."""
    items = out / "items.jsonl"
    loopback = {"ALLOW_PRIVATE_NETWORKS": "True", "ROBOTSTXT_OBEY": "False", "DOWNLOAD_DELAY": "0",
                "AUTOTHROTTLE_ENABLED": "False", "LOG_FILE": str(out / "crawl.log")}
    command = [sys.executable, "-m", "scrapy", "crawl", "page", "-a", "urls=" + ",".join(urls), "-O", str(items)]
    for name, value in {**loopback, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    done = subprocess.run(command, cwd=out, env=env, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    if done.returncode != 0 or not items.exists():
        raise RuntimeError(f"the crawl failed ({done.returncode}); see {out / 'crawl.log'}\n{done.stderr[-2000:]}")
    return items


def score(items: Path, scorer: Path) -> Figures:
    """Run the shared scorer on an items file and read its figures."""
    done = subprocess.run([sys.executable, str(scorer), str(items)], capture_output=True, text=True, check=True)
    match = _FIGURES.search(done.stdout)
    if match is None:
        raise RuntimeError(f"unexpected scorer output: {done.stdout!r}")
    pages, count, body, date, author = match.groups()
    return Figures(int(pages), int(count), float(body), float(date), float(author))


def measure(shared: Path, out: Path) -> tuple[Figures, dict[str, Any]]:
    """Serve the real pages, crawl them all, score the items: the scorer's figures and each half's."""
    originals = sorted((shared / "realpages" / "original").glob("*.html"))
    out.mkdir(parents=True, exist_ok=True)
    with serve(shared / "realpages" / "original") as base:
        items = crawl([base + page.name for page in originals], out)
    halves = split_figures(items_by_page(items), shared)
    return score(items, shared / "tools" / "score_realpages.py"), {half: asdict(halves[half]) for half in HALVES}


def report(figures: Figures, halves: dict[str, Any]) -> str:
    """The figures beside the anchors and each half's figures, one line each."""
    lines = [f"pages {figures.pages}, items {figures.items}"]
    for name, anchor in ANCHORS.items():
        split = "  ".join(f"{half} {halves[half][name]:.3f}" for half in HALVES)
        lines.append(f"{name:<6} {getattr(figures, name):.3f}   halves: {split}   ({anchor})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: measure once or `--runs` times and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (default: ../shared)")
    parser.add_argument("--out", type=Path, help="keep the crawl output here (default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=1, help="how many crawls to make (to see run-to-run variance)")
    parser.add_argument("--json", action="store_true", help="print each run's figures as a JSON line")
    args = parser.parse_args(argv)
    scorer = args.shared / "tools" / "score_realpages.py"
    if not (args.shared / "realpages" / "original").is_dir() or not scorer.is_file():
        print(f"skipped: no real pages and scorer under {args.shared} (realpages/original/, tools/score_realpages.py)")
        return 0
    with tempfile.TemporaryDirectory(prefix="realpages-") as scratch:
        out = args.out or Path(scratch)
        for run in range(1, args.runs + 1):
            figures, halves = measure(args.shared, out / f"run-{run}")
            if args.json:
                print(json.dumps({**asdict(figures), "halves": halves}), flush=True)
            else:
                print(f"run {run}: {report(figures, halves)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
