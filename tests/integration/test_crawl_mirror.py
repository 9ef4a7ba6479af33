"""A real crawl of the fixture mirror over loopback: items, WARC records, schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.schema import schema_errors
from tests.fixture_pages import fixture_pages, read_items, without_capture


def warc_records(warc_dir: Path) -> list[tuple[str, int, str, str | None]]:
    """(file, offset, type, target URI) of every record in a folder's WARC files."""
    records = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                records.append((path.name, iterator.get_record_offset(), record.rec_type,
                                record.rec_headers.get_header("WARC-Target-URI"),
                                record.rec_headers.get_header("WARC-Record-ID")))
    return records


@pytest.fixture(scope="module")
def dutenews_crawl(tmp_path_factory, mirror):
    from tests.conftest import run_scrapy

    out = tmp_path_factory.mktemp("crawl")
    # WARC_QUEUE_SIZE=1: every response but one waits for room on a Deferred before it is queued
    # for the WARC writer, so the tests below show that the wait loses and misplaces no record.
    result = run_scrapy(["crawl", "dutenews", "-O", str(out / "items.jsonl"), "-s", f"WARC_DIR={out / 'warc'}",
                         "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}", "-s", "WARC_QUEUE_SIZE=1"],
                        mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_crawl_gives_exactly_the_expected_items(dutenews_crawl):
    out, _ = dutenews_crawl
    items = {item["url"]: item for item in read_items(out / "items.jsonl")}
    expected = {page.url: page.expected() for page in fixture_pages("article") if page.host == "www.dutenews.com"}
    assert set(items) == set(expected)
    for url, item in items.items():
        assert without_capture(item) == expected[url], url


def test_items_validate_and_point_at_their_response_records(dutenews_crawl):
    out, _ = dutenews_crawl
    records = {(f, off): (rtype, uri, rid) for f, off, rtype, uri, rid in warc_records(out / "warc")}
    for item in read_items(out / "items.jsonl"):
        assert schema_errors(item) == []
        assert item["published_at"].endswith("+08:00")
        rtype, uri, rid = records[(item["warc"]["file"], item["warc"]["offset"])]
        assert (rtype, uri, rid) == ("response", item["url"], item["warc"]["record_id"])


def test_every_article_has_request_and_response_records_with_real_urls(dutenews_crawl):
    out, _ = dutenews_crawl
    records = warc_records(out / "warc")
    assert records[0][2] == "warcinfo"
    for page in fixture_pages():
        if page.host != "www.dutenews.com" or page.entry["kind"] == "other":  # "other": linked from no list
            continue
        types = {rtype for _, _, rtype, uri, _ in records if uri == page.url}
        assert types == {"request", "response"}, page.url
    assert not any("127.0.0.1" in (uri or "") for *_, uri, _ in records)


def test_warcio_check_passes_on_every_file(dutenews_crawl):
    out, _ = dutenews_crawl
    files = sorted((out / "warc").glob("*.warc.gz"))
    assert files and not list((out / "warc").glob("*.open"))
    result = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", *map(str, files)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_seed_article_is_free_of_chrome_and_staff_line(dutenews_crawl):
    out, _ = dutenews_crawl
    item = next(i for i in read_items(out / "items.jsonl") if i["url"].endswith("/7957291"))
    for chrome in ("读特热榜", "IN视频", "鹏友圈", "00:05", "粤ICP备", "Copyright", "编辑 白珊珊", "审读"):
        assert chrome not in item["body"]
    assert {"role": "编辑", "name": "白珊珊"} in item["editors"]
    assert item["published_at"] == "2024-01-19T18:32:00+08:00"
