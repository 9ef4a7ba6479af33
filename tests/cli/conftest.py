"""A good crawl the command-line tests share, and where their runs write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_scrapy


def outputs(out: Path) -> list[str]:
    """`-s` options keeping a run's WARCs, rejects and reports in `out`."""
    return ["-s", f"WARC_DIR={out / 'warc'}", "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}",
            "-s", f"REPORT_DIR={out / 'reports'}"]


@pytest.fixture(scope="session")
def crawled(tmp_path_factory, mirror):
    """One good crawl of dutenews through the mirror, logging as a user's does (Scrapy's dumps at DEBUG):
    out/items.jsonl, out/warc, out/state.sqlite3, and the finished process."""
    out = tmp_path_factory.mktemp("crawled")
    result = run_scrapy(["crawl", "dutenews", "-O", str(out / "items.jsonl"), *outputs(out),
                         "-s", f"STATE_URI=sqlite:///{out / 'state.sqlite3'}", "-s", "LOG_DUMPS_LEVEL=DEBUG"],
                        mirror_url=mirror.url)
    return out, result
