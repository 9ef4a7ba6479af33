"""Security: robots.txt, offsite, the SSRF guard (before sending, after redirects, at connect time)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.addresses import address_problem
from crawler.middlewares.netguard import NetGuardMiddleware, RequestRefused
from tests.badinput import pages
from tests.badinput.conftest import crawl_page
from tests.badinput.server import ConnectionRecorder, CorpusServer, page, redirect, reset_at_once

PRIVATE = ("/private/article", "/private/second", "/private/third")


def test_robots_txt_is_obeyed_for_every_waiting_request(crawl):
    for path in PRIVATE:
        assert crawl.lines("WARNING", f"No page from {crawl.server.url(path)}: robots ")
        assert path not in {requested for _, requested in crawl.server.requests}
    assert crawl.stat("robotstxt/forbidden") == len(PRIVATE)


def test_robots_txt_is_archived(crawl):
    [record] = crawl.responses(crawl.server.url("/robots.txt"))
    assert record.status == 200 and b"Disallow: /private/" in record.payload


@pytest.fixture(scope="module")
def recorder():
    """A socket on 127.0.0.1 that records every connection made to it."""
    listener = ConnectionRecorder("127.0.0.1").start()
    yield listener
    listener.stop()


@pytest.fixture(scope="module")
def allowed_server(recorder):
    """A server on 127.0.0.2 (an allowed network in these crawls) whose pages redirect to forbidden places."""
    server = CorpusServer(host="127.0.0.2")
    server.routes.update({
        "/ok": page(pages.article_html()),
        "/to-loopback": redirect(f"http://127.0.0.1:{recorder.port}/after-redirect"),
        "/to-localhost": redirect(f"http://localhost:{recorder.port}/after-redirect-by-name"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/robots.txt": reset_at_once,
    })
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def guarded(recorder, allowed_server, tmp_path_factory):
    """A crawl without ALLOW_PRIVATE_NETWORKS of forbidden addresses, schemes and redirects."""
    port = recorder.port
    urls = [
        f"http://127.0.0.1:{port}/direct", f"http://localhost:{port}/by-name", f"http://[::1]:{port}/v6",
        "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/", "http://10.0.0.1/",
        "file:///etc/passwd", f"ftp://127.0.0.1:{port}/pub", "s3://bucket/key",
        *(allowed_server.url(path) for path in ("/ok", "/to-loopback", "/to-localhost", "/to-metadata")),
    ]
    result = crawl_page(urls, tmp_path_factory.mktemp("guarded"), "NETGUARD_ALLOWED_NETWORKS=127.0.0.2/32",
                        "LOG_LEVEL=DEBUG")
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_nothing_reaches_a_forbidden_address(guarded, recorder):
    assert recorder.connections == []
    assert "Traceback" not in guarded.log


def test_loopback_is_refused_on_the_literal_and_on_the_resolved_address(guarded, recorder):
    port = recorder.port
    assert guarded.lines("WARNING", f"Refused http://127.0.0.1:{port}/direct: 127.0.0.1 is 127.0.0.1 (loopback)")
    assert guarded.lines("WARNING", f"Refused http://localhost:{port}/by-name: localhost is 127.0.0.1 (loopback)")
    assert guarded.lines("WARNING", f"Refused http://[::1]:{port}/v6: ::1 is ::1 (loopback)")
    assert guarded.lines("WARNING", f"No page from http://localhost:{port}/by-name: loopback ")


def test_cloud_metadata_and_private_addresses_are_refused(guarded):
    assert guarded.lines("Refused http://169.254.169.254/latest/meta-data/", "(metadata)")
    assert guarded.lines("Refused http://[fd00:ec2::254]/latest/meta-data/", "(metadata)")
    assert guarded.lines("Refused http://10.0.0.1/", "(private)")
    assert guarded.stat("netguard/refused/private") == 1


def test_other_schemes_are_refused(guarded, recorder):
    for target in ("file:///etc/passwd", f"ftp://127.0.0.1:{recorder.port}/pub", "s3://bucket/key"):
        assert guarded.lines("WARNING", f"Refused {target}: the scheme")
        assert guarded.lines(f"No page from {target}: scheme ")
    assert guarded.stat("netguard/refused/scheme") == 3


def test_redirects_are_checked_again(guarded, recorder):
    assert guarded.lines(f"Refused http://127.0.0.1:{recorder.port}/after-redirect:", "(loopback)")
    assert guarded.lines(f"Refused http://localhost:{recorder.port}/after-redirect-by-name:", "is 127.0.0.1 (loopback)")
    assert guarded.stat("netguard/refused/loopback") == 5
    assert guarded.stat("netguard/refused/metadata") == 3
    for path in ("/to-loopback", "/to-localhost", "/to-metadata"):
        [record] = guarded.responses(guarded_url(guarded, path))
        assert record.status == 302


def test_robots_txt_that_cannot_be_fetched_is_a_warning_not_a_traceback(guarded, allowed_server):
    assert guarded.lines("WARNING", f"Could not fetch {allowed_server.url('/robots.txt')}", "without robots.txt rules")
    assert "Traceback" not in guarded.log


def test_allowed_networks_are_crawled(guarded, allowed_server):
    assert guarded.items()[allowed_server.url("/ok")]["title"] == pages.TITLE
    assert guarded.stat("item_scraped_count") == 1


def guarded_url(guarded, path):
    return next(uri for uri in {r.uri for r in guarded.warc()} if uri and uri.endswith(path))


def test_connect_time_check_holds_without_the_middleware(recorder, tmp_path):
    """The resolver alone refuses: with the middleware off, DNS rebinding would meet this check."""
    urls = [f"http://localhost:{recorder.port}/rebound", f"http://127.0.0.1:{recorder.port}/literal"]
    without_guard = 'DOWNLOADER_MIDDLEWARES={"crawler.middlewares.netguard.NetGuardMiddleware": null}'
    result = crawl_page(urls, tmp_path, without_guard, "ROBOTSTXT_OBEY=False", "RETRY_ENABLED=False")
    assert result.returncode == 1  # every page refused: no successful response
    assert "FAILED: page: no successful response" in result.log and "Traceback" not in result.log
    assert recorder.connections == []
    assert result.lines("WARNING", "Refused to connect to localhost at 127.0.0.1 (loopback) at connect time")
    assert result.lines("WARNING", "Refused to connect to 127.0.0.1 at 127.0.0.1 (loopback) at connect time")
    assert result.lines("WARNING", f"No page from http://localhost:{recorder.port}/rebound: dns ")


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("169.254.1.1", "link_local"), ("fe80::1", "link_local"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"), ("100.100.100.200", "metadata"),
    ("64:ff9b::a9fe:a9fe", "metadata"), ("2002:a9fe:a9fe::", "metadata"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"), ("100.64.0.1", "reserved"),
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("114.114.114.114", None),
])
def test_address_policy(address, reason):
    assert address_problem(address) == reason


def test_allowed_networks_override_the_policy():
    from crawler.addresses import parse_networks

    assert address_problem("127.0.0.2", parse_networks(["127.0.0.2/32"])) is None
    assert address_problem("127.0.0.3", parse_networks(["127.0.0.2/32"])) == "loopback"
    with pytest.raises(ValueError, match="not a network"):
        parse_networks(["localhost"])


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "scheme"), ("ftp://example.com/x", "scheme"), ("data:text/html,<p>x</p>", "scheme"),
    ("s3://bucket/key", "scheme"), ("gopher://example.com/", "scheme"),
    ("http://127.0.0.1/", "loopback"), ("https://[fd00:ec2::254]/", "metadata"),
    ("http://192.168.0.1:8080/", "private"),
])
def test_middleware_refuses_before_sending(url, reason):
    crawler = get_crawler(Spider)
    middleware = NetGuardMiddleware.from_crawler(crawler)
    with pytest.raises(RequestRefused) as refused:
        asyncio.run(middleware.process_request(Request(url)))
    assert refused.value.reason == reason
    assert crawler.stats.get_value(f"netguard/refused/{reason}") == 1


def test_private_networks_allowed_leaves_only_the_scheme_rule():
    middleware = NetGuardMiddleware.from_crawler(get_crawler(Spider, {"ALLOW_PRIVATE_NETWORKS": True}))
    assert asyncio.run(middleware.process_request(Request("http://127.0.0.1/"))) is None
    with pytest.raises(RequestRefused):
        asyncio.run(middleware.process_request(Request("file:///etc/passwd")))
