"""The fixture mirror answers like a real server: charset, validators, conditional requests, gzip, chunked."""

from __future__ import annotations

import gzip
import http.client
import json

import pytest

from crawler.downloader import mirror_url_for
from tests.fixture_pages import FIXTURES

ARTICLE = "https://www.dutenews.com/n/article/7970112"
CHUNKED = "https://www.dutenews.com/n/article/7957291"


def fetch(mirror, url, headers=None, method="GET"):
    path = mirror_url_for(url, mirror.url).removeprefix(mirror.url)
    connection = http.client.HTTPConnection("127.0.0.1", mirror.server_address[1], timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_page_has_charset_validators_and_length(mirror):
    response, body = fetch(mirror, ARTICLE)
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("ETag").startswith('"')
    assert response.getheader("Last-Modified").endswith("GMT")
    assert int(response.getheader("Content-Length")) == len(body)
    assert "春节前计量" in body.decode("utf-8")


def test_gzip_only_when_accepted(mirror):
    plain, plain_body = fetch(mirror, ARTICLE)
    zipped, zipped_body = fetch(mirror, ARTICLE, {"Accept-Encoding": "gzip, deflate"})
    assert plain.getheader("Content-Encoding") is None
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped_body) == plain_body


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_conditional_requests_get_304(mirror, validator):
    first, _ = fetch(mirror, ARTICLE)
    header = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[validator]
    again, body = fetch(mirror, ARTICLE, {header: first.getheader(validator)})
    assert again.status == 304 and body == b""
    changed, _ = fetch(mirror, ARTICLE, {"If-None-Match": '"0000"'})
    assert changed.status == 200


def test_chunked_page_is_sent_chunked(mirror):
    response, body = fetch(mirror, CHUNKED)
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("Content-Length") is None
    assert "广东省质量基础设施建设大会" in body.decode("utf-8")


def test_declared_charset_is_applied_when_serving(mirror):
    for meta_path in FIXTURES.glob("*/meta.json"):
        for entry in json.loads(meta_path.read_text(encoding="utf-8"))["pages"]:
            if entry.get("charset", "utf-8").lower() in ("utf-8", "utf8"):
                continue
            _, body = fetch(mirror, entry["url"])
            source = (meta_path.parent / entry["file"]).read_text(encoding="utf-8")
            assert body == source.encode(entry["charset"])
            return
    pytest.skip("no fixture page is served in another charset yet")


def test_robots_and_unknown_pages(mirror):
    robots, body = fetch(mirror, "https://www.dutenews.com/robots.txt")
    assert robots.status == 200 and b"User-agent" in body
    missing, _ = fetch(mirror, "https://www.dutenews.com/n/article/0")
    assert missing.status == 404
