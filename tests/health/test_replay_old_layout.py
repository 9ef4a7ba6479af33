"""Replay of WARCs captured in the old layouts: the parser version of the capture date, the right items."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from archive.records import HttpExchange
from archive.writer import WarcSeries
from tests.conftest import run_scrapy
from tests.fixture_pages import without_capture
from tests.health.crawl import isolated_settings
from tests.health.test_parser_versions import OLD_PAGES


def archive_old_captures(directory) -> None:
    """One WARC holding every old-layout fixture page as captured then (WARC-Date = its `captured`)."""
    series = WarcSeries(directory, "nqi-old-layouts", {"software": "tests"}, max_size=1 << 30)
    for page in OLD_PAGES:
        response = page.response()
        parts = urlsplit(page.url)
        exchange = HttpExchange(
            target_uri=page.url, method="GET", request_path=parts.path, request_headers=[("Host", parts.netloc)],
            request_body=b"", status=200, date=page.captured, response_body=response.body,
            response_headers=[("Content-Type", response.headers[b"Content-Type"].decode()),
                              ("Content-Length", str(len(response.body)))],
        )
        series.append(series.factory.exchange(exchange))
    series.close()


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    base = tmp_path_factory.mktemp("old-layouts")
    archive_old_captures(base / "warc")
    out = base / "out"
    command = ["replay", str(base / "warc"), "-O", str(out / "items.jsonl"), *isolated_settings(out, state=False)]
    result = run_scrapy(command)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    return {item["url"]: item for item in map(json.loads, lines)}


@pytest.mark.parametrize("page", OLD_PAGES, ids=[str(page) for page in OLD_PAGES])
def test_replay_uses_the_old_parser_and_gives_the_expected_item(replayed, page):
    item = replayed[page.url]
    assert item["parser"] == page.expected()["parser"]
    assert item["fetched_at"].startswith(page.entry["captured"].removesuffix("Z"))
    assert without_capture(item) == page.expected()


def test_every_old_capture_was_replayed(replayed):
    assert set(replayed) == {page.url for page in OLD_PAGES} and len(OLD_PAGES) == 2
