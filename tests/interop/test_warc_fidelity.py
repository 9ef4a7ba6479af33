"""What our WARCs hold, checked on real crawls: status lines, headers and bytes as the server sent them."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.mirror import DEFAULT_ROOT
from tests.archive.builders import chunked
from tests.conftest import ROOT, run_scrapy
from tests.interop.conftest import output_settings

WARCIO = str(Path(sys.executable).parent / "warcio")
PAGE = ("<html><head><title>Fidelity</title></head><body>" + "<p>payload</p>" * 60
        + '<a href="/moved">moved</a> <a href="/broken">broken</a> <a href="/新闻/页面">non-ascii</a>'
        "</body></html>").encode()


def records(warc_dir: Path) -> list:
    """(record, its payload as stored) of every record in a folder's WARC files."""
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                found.append((record, record.raw_stream.read()))
    return found


def responses(warc_dir: Path) -> dict:
    return {r.rec_headers["WARC-Target-URI"]: (r, payload) for r, payload in records(warc_dir)
            if r.rec_type == "response"}


def test_every_file_passes_warcio_check_and_opens_with_warcinfo(live_crawl):
    files = sorted((live_crawl / "warc").glob("*.warc.gz"))
    assert len(files) >= 6 and not list((live_crawl / "warc").glob("*.open"))
    result = subprocess.run([WARCIO, "check", "-v", *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in files:
        with open(path, "rb") as stream:
            first = next(iter(ArchiveIterator(stream)))
            fields = first.content_stream().read().decode()
        assert first.rec_type == "warcinfo" and first.rec_headers.protocol == "WARC/1.1"
        for field in ("software: nqi-crawler/", "hostname: ", "robots: obey", "http-header-user-agent: ",
                      "mirror: yes"):
            assert field in fields, (path.name, field)


def test_the_chunked_gzip_article_is_stored_as_received_with_honest_headers(live_crawl):
    record, raw = responses(live_crawl / "warc")["https://www.dutenews.com/n/article/7957291"]
    http = record.http_headers
    assert http.protocol == "HTTP/1.1" and http.statusline == "200 OK"
    assert http["Content-Encoding"] == "gzip" and http["Transfer-Encoding"] is None
    assert http["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert [name for name, _ in http.headers if name.lower() == "etag"] == ["ETag"]  # as sent, not "Etag"
    assert int(http["Content-Length"]) == len(raw) and raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw) == (DEFAULT_ROOT / "www.dutenews.com/article/7957291.html").read_bytes()
    assert record.rec_headers["WARC-IP-Address"] is None  # the mirror's address is not the site's


def test_robots_list_pages_and_articles_all_have_linked_request_records(live_crawl):
    found = records(live_crawl / "warc")
    by_id = {r.rec_headers["WARC-Record-ID"]: r for r, _ in found}
    requests = [r for r, _ in found if r.rec_type == "request"]
    # A repost's original fetched after its own site's spider exported it is a revisit (crawlall's
    # spiders share the state store and run at once, so whether one occurs depends on timing).
    assert {by_id[r.rec_headers["WARC-Concurrent-To"]].rec_type for r in requests} in ({"response"},
                                                                                       {"response", "revisit"})
    urls = {r.rec_headers["WARC-Target-URI"] for r, _ in found if r.rec_type == "response"}
    for host in ("https://www.dutenews.com", "http://aqsczx.org.cn", "https://www.hunan.gov.cn"):
        assert f"{host}/robots.txt" in urls
    assert "https://www.dutenews.com/n/column/2059?page=2" in urls
    assert not any("127.0.0.1" in url for url in urls)


class FidelityHandler(BaseHTTPRequestHandler):
    """A server with its own way of speaking: odd reason phrases, odd header case, chunked gzip."""

    protocol_version = "HTTP/1.1"
    routes: ClassVar[dict[str, tuple[int, str, list[tuple[str, str]], bytes]]] = {
        "/robots.txt": (200, "OK", [("Content-Type", "text/plain")], b"User-agent: *\nAllow: /\n"),
        "/start": (200, "Everything Fine", [("content-TYPE", "text/html; charset=utf-8"), ("X-odd-CASE", "yes"),
                                            ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")], PAGE),
        "/moved": (301, "Gone Elsewhere", [("Location", "/final")], b""),
        "/final": (200, "OK", [("Content-Type", "text/html")], b"<html><title>final</title></html>"),
        "/broken": (500, "Internal Oops", [("Content-Type", "text/plain")], b"oops"),
    }

    def do_GET(self) -> None:
        missing = (404, "Nope", [("Content-Type", "text/plain")], b"no")
        status, reason, headers, body = self.routes.get(self.path, missing)
        if ("Transfer-Encoding", "chunked") in headers:
            body = chunked(gzip.compress(body, mtime=0), 300)
        self.send_response_only(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        if ("Transfer-Encoding", "chunked") not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fidelity_crawl(tmp_path_factory) -> Iterator[Path]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FidelityHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = tmp_path_factory.mktemp("fidelity")
    start = f"http://127.0.0.1:{server.server_address[1]}/start"
    result = run_scrapy(["runspider", str(ROOT / "tests/interop/fidelity_spider.py"), "-a", f"start_url={start}",
                         *output_settings(out), "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "RETRY_ENABLED=False",
                         "-s", "WARC_MAX_SIZE=2500"])
    server.shutdown()
    server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    yield out


def test_real_reason_phrases_header_names_and_server_address_are_kept(fidelity_crawl):
    found = {uri.split("/", 3)[3]: record for uri, (record, _) in responses(fidelity_crawl / "warc").items()}
    assert found["start"].http_headers.statusline == "200 Everything Fine"
    assert ("content-TYPE", "text/html; charset=utf-8") in found["start"].http_headers.headers
    assert ("X-odd-CASE", "yes") in found["start"].http_headers.headers
    assert found["start"].http_headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert found["moved"].http_headers.statusline == "301 Gone Elsewhere"
    assert found["broken"].http_headers.statusline == "500 Internal Oops"
    assert found["final"].http_headers.statusline == "200 OK"
    assert found["robots.txt"].http_headers.statusline == "200 OK"
    assert found["%E6%96%B0%E9%97%BB/%E9%A1%B5%E9%9D%A2"].http_headers.statusline == "404 Nope"
    assert {record.rec_headers["WARC-IP-Address"] for record in found.values()} == {"127.0.0.1"}


def test_files_rotate_at_warc_max_size_each_opening_with_warcinfo(fidelity_crawl):
    files = sorted((fidelity_crawl / "warc").glob("nqi-fidelity-*.warc.gz"))
    assert len(files) >= 3 and len({path.name for path in files}) == len(files)
    for path in files:
        with open(path, "rb") as stream:
            types = [record.rec_type for record in ArchiveIterator(stream)]
        assert types[0] == "warcinfo" and "response" in types
        assert path.stat().st_size <= 2500 or types.count("response") == 1


def test_one_file_series_per_spider(live_crawl):
    from spiders.registry import site_spiders

    names = [path.name for path in (live_crawl / "warc").glob("*.warc.gz")]
    for spider in site_spiders():
        assert [name for name in names if name.startswith(f"nqi-{spider.name}-")], spider.name


def test_the_start_page_payload_decodes_to_what_the_server_sent(fidelity_crawl):
    record, raw = next(value for uri, value in responses(fidelity_crawl / "warc").items() if uri.endswith("/start"))
    assert gzip.decompress(raw) == PAGE and int(record.http_headers["Content-Length"]) == len(raw)
    assert subprocess.run([WARCIO, "check", *map(str, (fidelity_crawl / "warc").glob("*.warc.gz"))]).returncode == 0
