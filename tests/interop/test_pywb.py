"""pywb, the reference replay tool, serves the articles of our WARCs; the WACZ of a crawl validates."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from archive.index import ArchiveIndex, warc_files
from tests.conftest import run_scrapy
from tests.fixture_pages import fixture_pages
from tests.interop.pywb_env import PYWB_VERSION, PywbUnavailable, pywb_bin, wayback

WACZ = str(Path(sys.executable).parent / "wacz")
ARTICLES = ["https://www.dutenews.com/n/article/7957291",  # sent gzip-encoded and chunked by the mirror
            "https://www.dutenews.com/n/article/7961034", "http://aqsczx.org.cn/show-63836.html"]


@pytest.fixture(scope="module")
def pywb(live_crawl, tmp_path_factory):
    """A pywb collection `crawl` of the live crawl's WARCs, served by `wayback`."""
    try:
        bin_dir = pywb_bin()
    except PywbUnavailable as exc:
        pytest.skip(f"needs pywb=={PYWB_VERSION} (PyPI) in .venv-pywb: {exc}")
    root = tmp_path_factory.mktemp("pywb")
    subprocess.run([str(bin_dir / "wb-manager"), "init", "crawl"], cwd=root, check=True, capture_output=True)
    warcs = sorted(map(str, (live_crawl / "warc").glob("*.warc.gz")))
    subprocess.run([str(bin_dir / "wb-manager"), "add", "crawl", *warcs], cwd=root, check=True, capture_output=True)
    with wayback(root, bin_dir) as base:
        yield base, ArchiveIndex.build(warc_files([live_crawl / "warc"]))


@pytest.mark.parametrize("url", ARTICLES)
def test_pywb_replays_the_article_with_its_title(pywb, url):
    base, index = pywb
    capture = index.lookup(url)
    stamp = "".join(ch for ch in capture.warc_date if ch.isdigit())[:14]
    # `mp_`: the page itself as pywb rewrites it for its replay frame (the bare URL answers with the frame)
    with urllib.request.urlopen(f"{base}/crawl/{stamp}mp_/{url}", timeout=30) as response:
        assert response.status == 200
        body = response.read()
    page = next(page for page in fixture_pages("article") if page.url == url)
    assert page.expected()["title"] in body.decode(page.entry.get("charset", "utf-8"))  # as served (gbk, utf-8)


def test_warc_pack_writes_a_wacz_that_validates(live_crawl, tmp_path):
    result = run_scrapy(["warc", "pack", str(live_crawl / "warc"), "-o", str(tmp_path / "crawl.wacz")])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "wacz validate passed" in result.stdout
    check = subprocess.run([WACZ, "validate", "-f", str(tmp_path / "crawl.wacz")], capture_output=True, text=True)
    assert check.returncode == 0 and "valid" in check.stdout


def test_warc_index_writes_a_sorted_cdxj_of_every_capture(live_crawl, tmp_path):
    result = run_scrapy(["warc", "index", str(live_crawl / "warc"), "-o", str(tmp_path / "index.cdxj")])
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (tmp_path / "index.cdxj").read_text().splitlines()
    assert lines == sorted(lines)
    urls = {json.loads(line.split(" ", 2)[2]).get("url") for line in lines}
    assert set(ARTICLES) <= urls
