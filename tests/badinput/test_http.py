"""HTTP faults: each page is accounted for in the log, the stats and the WARC, with no item or the right one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from crawler.middlewares.retry import retry_after_seconds
from tests.badinput import pages
from tests.badinput.server import MAX_SIZE


def url(crawl, path):
    return crawl.server.url(path)


def assert_no_item(crawl, path):
    assert url(crawl, path) not in crawl.items()
    assert url(crawl, path) not in crawl.rejects()


def assert_failed(crawl, path, reason):
    assert crawl.lines("WARNING", f"No page from {url(crawl, path)}: {reason} ")
    assert crawl.stat(f"requests/failed/{reason}") >= 1


def test_crawl_exits_0_without_traceback(crawl):
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert crawl.lines("finished") and crawl.stat("item_scraped_count") > 0


def test_404_is_archived_without_item(crawl):
    [record] = crawl.responses(url(crawl, "/http/404"))
    assert record.status == 404
    assert_no_item(crawl, "/http/404")
    assert_failed(crawl, "/http/404", "http_404")


def test_410_is_archived_without_item(crawl):
    [record] = crawl.responses(url(crawl, "/http/410"))
    assert record.status == 410
    assert_no_item(crawl, "/http/410")
    assert_failed(crawl, "/http/410", "http_410")


def test_500_is_retried_then_given_up(crawl):
    assert [r.status for r in crawl.responses(url(crawl, "/http/500"))] == [500, 500, 500]
    assert crawl.stat("retry/reason_count/500 Internal Server Error") == 2
    assert crawl.lines("Gave up retrying", "/http/500")
    assert_no_item(crawl, "/http/500")
    assert_failed(crawl, "/http/500", "http_500")


def test_503_with_retry_after_is_retried_after_the_delay(crawl):
    assert [r.status for r in crawl.responses(url(crawl, "/http/503-retry-after"))] == [503, 503, 200]
    assert crawl.stat("retry/retry_after/waited") == 2
    assert len(crawl.lines("/http/503-retry-after answered 503 with Retry-After 1: waiting 1.0s")) == 2
    assert crawl.items()[url(crawl, "/http/503-retry-after")]["title"] == pages.TITLE


def test_server_that_never_answers_times_out(crawl):
    assert crawl.server.count("/http/hang") == 3
    assert crawl.responses(url(crawl, "/http/hang")) == []
    assert crawl.stat("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError") == 3
    assert_no_item(crawl, "/http/hang")
    assert_failed(crawl, "/http/hang", "timeout")


def test_reset_mid_body_keeps_the_partial_bodies_in_the_warc(crawl):
    records = crawl.responses(url(crawl, "/http/reset"))
    full = len(pages.article_html().encode())
    assert len(records) == 3
    assert all(record.truncated and 0 < len(record.payload) < full for record in records)
    assert crawl.stat("retry/reason_count/dataloss") >= 2
    assert_no_item(crawl, "/http/reset")
    assert_failed(crawl, "/http/reset", "truncated")


def test_content_length_longer_than_body_is_truncated_not_an_item(crawl):
    records = crawl.responses(url(crawl, "/http/short-body"))
    assert len(records) == 3 and all(record.truncated == "disconnect" for record in records)
    assert crawl.stat("responses/unusable/truncated") == 2
    assert_no_item(crawl, "/http/short-body")
    assert_failed(crawl, "/http/short-body", "truncated")


def test_redirect_chain_gives_the_item_at_the_final_url(crawl):
    statuses = [crawl.responses(url(crawl, f"/http/chain/{step}"))[0].status for step in ("1", "2", "3", "end")]
    assert statuses == [302, 302, 302, 200]
    item = crawl.items()[url(crawl, "/http/chain/end")]
    assert item["title"] == pages.TITLE


def test_redirect_loop_stops_at_the_redirect_limit(crawl):
    hops = crawl.responses(url(crawl, "/http/loop/a")) + crawl.responses(url(crawl, "/http/loop/b"))
    assert len(hops) == 21 and {record.status for record in hops} == {302}
    assert_no_item(crawl, "/http/loop/a")
    assert_failed(crawl, "/http/loop/a", "redirect_loop")


def test_redirect_offsite_is_not_followed(crawl):
    [record] = crawl.responses(url(crawl, "/http/offsite-redirect"))
    assert record.status == 302
    offsite = crawl.server.url("/offsite/article", host="localhost")
    assert crawl.lines("WARNING", "Not following the redirect", offsite)
    assert crawl.stat("offsite/redirects_filtered") == 1
    assert (f"localhost:{crawl.server.port}", "/offsite/article") not in crawl.server.requests
    assert offsite not in crawl.items()


def test_empty_200_is_archived_without_item(crawl):
    [record] = crawl.responses(url(crawl, "/http/empty"))
    assert (record.status, record.payload) == (200, b"")
    assert_no_item(crawl, "/http/empty")
    assert_failed(crawl, "/http/empty", "empty")


def test_binary_body_at_an_article_url(crawl):
    for path in ("/http/binary", "/http/binary-as-html"):
        [record] = crawl.responses(url(crawl, path))
        assert record.status == 200 and len(record.payload) > 2000
        assert_no_item(crawl, path)
        assert_failed(crawl, path, "binary")
    assert crawl.stat("responses/unusable/binary") == 2


def test_body_larger_than_download_maxsize(crawl):
    for path in ("/http/too-large", "/http/too-large-chunked"):
        assert_no_item(crawl, path)
        assert_failed(crawl, path, "too_large")
    assert crawl.lines("WARNING", "larger than download max size", "/http/too-large>")
    assert crawl.stat("downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError") == 2


def test_gzip_bomb_is_refused_once_it_inflates_past_maxsize(crawl):
    [record] = crawl.responses(url(crawl, "/http/gzip-bomb"))
    assert len(record.payload) < MAX_SIZE  # the compressed bytes as received
    assert crawl.lines("WARNING", "/http/gzip-bomb", "exceeded DOWNLOAD_MAXSIZE")
    assert_no_item(crawl, "/http/gzip-bomb")
    assert_failed(crawl, "/http/gzip-bomb", "too_large")


def test_retry_after_header_forms():
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True).encode(), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True).encode(), now) == 0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
