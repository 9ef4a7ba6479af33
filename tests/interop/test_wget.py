"""A WARC written by another tool: wget fetches the http fixture sites through the mirror as a proxy."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.fixture_pages import fixture_pages, without_capture
from tests.interop.conftest import final_stats, read_items, replay

WGET = shutil.which("wget")
WARCIO = str(Path(sys.executable).parent / "warcio")
START = "http://aqsczx.org.cn/list-12-1.html"
SKIP_NO_WGET = pytest.mark.skipif(WGET is None, reason="needs wget (Debian package `wget`)")


def test_the_mirror_answers_absolute_form_requests_like_a_proxy(mirror):
    host, port = mirror.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", START)
    response = connection.getresponse()
    assert response.status == 200 and "安全" in response.read().decode("utf-8")
    connection.request("GET", "http://aqsczx.org.cn/no-such-page.html")
    assert connection.getresponse().status == 404


@pytest.fixture(scope="module")
def wget_warc(tmp_path_factory, mirror) -> Path:
    """wget's own WARC of the aqsczx list pages and the pages they link to, fetched through the mirror."""
    out = tmp_path_factory.mktemp("wget")
    command = [WGET, "--quiet", "-e", "use_proxy=yes", "-e", f"http_proxy={mirror.url}", "--warc-file=aqsczx",
               "--recursive", "--level=2", "--no-directories", "--delete-after", START]
    result = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 8), result.stderr  # 8: some linked page (an image) answered 404
    return out / "aqsczx.warc.gz"


@SKIP_NO_WGET
def test_wget_records_the_real_urls_and_passes_warcio_check(wget_warc):
    with open(wget_warc, "rb") as stream:
        uris = {record.rec_headers["WARC-Target-URI"] for record in ArchiveIterator(stream)
                if record.rec_type == "response"}
    assert START in uris and "http://aqsczx.org.cn/robots.txt" in uris
    assert subprocess.run([WARCIO, "check", str(wget_warc)], capture_output=True).returncode == 0


@SKIP_NO_WGET
def test_replaying_the_wget_warc_yields_the_articles_it_holds(wget_warc, tmp_path):
    result = replay([str(wget_warc)], tmp_path)
    items = {item["url"]: item for item in read_items(tmp_path / "items.jsonl")}
    expected = {page.url: page for page in fixture_pages("article") if page.host == "aqsczx.org.cn"}
    assert set(items) == set(expected)
    for url, page in expected.items():
        item, wanted = without_capture(items[url]), without_capture(page.expected())
        if wanted["reposted_from"] and wanted["reposted_from"] not in items:
            wanted["reposted_from"] = None  # wget did not fetch the original on another host
        assert item == wanted, url
        assert items[url]["warc"]["file"] == str(wget_warc)
    stats = final_stats(result.stderr)
    assert stats["replay/files"] == 1 and "replay/damaged_records" not in stats
