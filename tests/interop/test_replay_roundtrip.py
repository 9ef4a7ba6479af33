"""A live crawl and the replay of its WARCs give the same items; a crawl re-runs offline from its WARCs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.reader import read_record_at
from tests.conftest import run_scrapy
from tests.fixture_pages import CAPTURE_DEPENDENT
from tests.interop.conftest import final_stats, output_settings, read_items, replay


def by_url(items: list[dict]) -> dict[str, dict]:
    return {item["url"]: item for item in items}


def without(item: dict, fields=("warc",)) -> dict:  # type: ignore[no-untyped-def]
    return {key: value for key, value in item.items() if key not in fields}


def capture_counts(warc_dir: Path) -> Counter[str]:
    """How many response and revisit records each URL has in the WARCs of `warc_dir`."""
    counts: Counter[str] = Counter()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            counts.update(record.rec_headers.get_header("WARC-Target-URI") for record in ArchiveIterator(stream)
                          if record.rec_type in ("response", "revisit"))
    return counts


@pytest.fixture(scope="module")
def replayed(live_crawl, tmp_path_factory):
    """`scrapy replay` of the live crawl's WARC folder."""
    out = tmp_path_factory.mktemp("replayed")
    return out, replay([str(live_crawl / "warc")], out)


def test_scrapy_replay_reproduces_the_live_items(live_crawl, replayed):
    out, result = replayed
    live, replayed = by_url(read_items(live_crawl / "items.jsonl")), by_url(read_items(out / "items.jsonl"))
    assert len(live) >= 25 and set(replayed) == set(live)
    captures = capture_counts(live_crawl / "warc")
    for url, item in live.items():
        if captures[url] == 1:
            assert without(replayed[url]) == without(item), url  # fetched_at too: it is the same WARC-Date
        else:  # an original a repost led to, fetched by two spiders in one crawlall: either capture's date
            assert without(replayed[url], CAPTURE_DEPENDENT) == without(item, CAPTURE_DEPENDENT), url
    assert sum(1 for url in live if captures[url] == 1) >= 25
    stats = final_stats(result.stderr)
    assert stats["replay/skipped/not_article"] > 0
    assert "replay/miss" not in stats and "replay/damaged_records" not in stats
    assert "indexing WARCs" not in result.stderr and "page/s" not in result.stderr  # no bars off a terminal


def test_replayed_items_point_into_the_files_replayed(live_crawl, replayed):
    for item in read_items(replayed[0] / "items.jsonl"):
        location = item["warc"]
        assert location["file"].startswith(str(live_crawl / "warc") + "/")
        record = read_record_at(Path(location["file"]), location["offset"])
        assert record.rec_type == "response" and record.target_uri == item["url"]
        assert record.header("WARC-Record-ID") == location["record_id"]
        assert item["fetched_at"] == record.header("WARC-Date")[:19] + "Z"


def test_a_whole_crawl_reruns_offline_from_its_warcs(live_crawl, tmp_path):
    result = run_scrapy(["crawlall", "-O", str(tmp_path / "items.jsonl"), *output_settings(tmp_path),
                         "-s", f"REPLAY_WARC={live_crawl / 'warc'}"])
    assert result.returncode == 0, result.stderr[-3000:]
    live, offline = by_url(read_items(live_crawl / "items.jsonl")), by_url(read_items(tmp_path / "items.jsonl"))
    assert set(offline) == set(live)
    for url, item in live.items():  # a URL captured twice (an original a repost led to) may take either date
        assert without(offline[url], CAPTURE_DEPENDENT) == without(item, CAPTURE_DEPENDENT), url
    assert "replay/miss" not in result.stderr and "mirror/responses" not in result.stderr
    assert not (tmp_path / "warc").exists()  # answers from the archive are not archived again


def test_a_request_the_archive_cannot_answer_is_a_counted_miss(live_crawl, tmp_path):
    one_file = sorted((live_crawl / "warc").glob("nqi-aqsczx-*.warc.gz"))
    result = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "items.jsonl"), *output_settings(tmp_path),
                         "-s", f"REPLAY_WARC={one_file[0]}"])
    stats = final_stats(result.stderr)
    assert stats["replay/miss"] >= 1 and stats.get("item_scraped_count", 0) == 0
    assert "Not in the archives: https://www.dutenews.com/n/column/2059" in result.stderr
    assert "mirror/responses" not in stats

