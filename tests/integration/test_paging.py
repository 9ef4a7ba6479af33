"""List paging arguments: `since` skips older entries and stops paging; `max_pages` bounds paging."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import run_scrapy


def crawl(mirror, tmp_path, *args):
    out = tmp_path / "items.jsonl"
    result = run_scrapy(["crawl", "dutenews", "-O", str(out), "-s", f"WARC_DIR={tmp_path / 'warc'}", *args],
                        mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-2000:]
    urls = sorted(json.loads(line)["url"].rsplit("/", 1)[1] for line in out.read_text(encoding="utf-8").splitlines())
    pages = int(re.search(r"'list/pages': (\d+)", result.stderr).group(1))
    return urls, pages, result.stderr


def test_since_skips_older_entries(mirror, tmp_path):
    urls, pages, _ = crawl(mirror, tmp_path, "-a", "since=2024-01-20")
    assert urls == ["7961034", "7970112"]
    assert pages == 2  # page 1 still held newer articles, so page 2 was read


def test_since_stops_paging_when_a_page_holds_only_older_articles(mirror, tmp_path):
    urls, pages, log = crawl(mirror, tmp_path, "-a", "since=2024-02-01")
    assert urls == [] and pages == 1
    assert "every entry is older than since=2024-02-01" in log


def test_max_pages_bounds_paging(mirror, tmp_path):
    urls, pages, _ = crawl(mirror, tmp_path, "-a", "max_pages=1")
    assert urls == ["7957291", "7961034", "7970112"] and pages == 1


@pytest.mark.parametrize("argument", ["since=yesterday", "max_pages=0", "max_pages=x"])
def test_bad_arguments_are_refused_with_a_clear_error(mirror, tmp_path, argument):
    result = run_scrapy(["crawl", "dutenews", "-a", argument, "-s", f"WARC_DIR={tmp_path}"], mirror_url=mirror.url)
    assert result.returncode != 0
    assert "must be" in result.stderr
