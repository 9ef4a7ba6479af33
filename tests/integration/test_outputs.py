"""Where items go: a run's own folder when no feed is named, the state store counting only what is on disk,
and `page` returning the pages asked for by name (issue 14, points 1 and 2). Real `scrapy` processes over the mirror."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from crawler.state.feeds import CommitPoint, commit_point
from tests.conftest import run_scrapy


def places(root: Path) -> list[str]:
    """`-s` options putting every output of a crawl under `root`."""
    return ["-s", f"RUNS_DIR={root / 'runs'}", "-s", f"REPORT_DIR={root / 'reports'}",
            "-s", f"WARC_DIR={root / 'warc'}", "-s", f"STATE_URI=sqlite:///{root / 'state.sqlite3'}",
            "-s", f"LOCK_DIR={root / 'locks'}"]


def lines(path: Path) -> list[dict]:
    """The JSON objects of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def store_dump(path: Path) -> list[tuple]:
    """Every row of a SQLite state store, sorted: equal dumps, an untouched store."""
    with sqlite3.connect(path) as connection:
        docs = connection.execute("SELECT kind, key, doc FROM docs ORDER BY kind, key").fetchall()
        bands = connection.execute("SELECT band, hash, key FROM bands ORDER BY band, hash, key").fetchall()
    return docs + bands


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory, mirror):
    """A dutenews crawl without -o, then the same crawl with -O."""
    root = tmp_path_factory.mktemp("outputs")
    first = run_scrapy(["crawl", "dutenews", *places(root)], mirror_url=mirror.url)
    second = run_scrapy(["crawl", "dutenews", "-O", str(root / "second.jsonl"), *places(root)], mirror_url=mirror.url)
    return root, first, second


def test_a_crawl_without_a_feed_writes_its_items_to_its_run_folder(two_crawls):
    root, first, _ = two_crawls
    assert first.returncode == 0, first.stderr[-3000:]
    (run,) = [path.parent for path in (root / "runs").glob("*/items.jsonl") if path.parent.name != "latest"]
    items = lines(run / "items.jsonl")
    assert len(items) == 5 and {item["version"] for item in items} == {1}
    assert f"Items: {run / 'items.jsonl'}" in first.stdout.splitlines()
    assert (run / "report.html").is_file() and (run / "report.json").is_file()


def test_every_item_is_on_disk_exactly_once_in_the_first_runs_file(two_crawls):
    root, _, second = two_crawls
    assert second.returncode == 0, second.stderr[-3000:]
    assert (root / "second.jsonl").read_text(encoding="utf-8") == ""
    every_file = sorted(path for path in root.rglob("*.jsonl") if "latest" not in path.parts)
    counts = Counter(item["canonical_url"] for path in every_file for item in lines(path) if "canonical_url" in item)
    assert len(counts) == 5 and set(counts.values()) == {1}
    first_run = next(path for path in every_file if path.name == "items.jsonl" and lines(path))
    assert {item["canonical_url"] for item in lines(first_run)} == set(counts)
    assert (root / "runs" / "latest").resolve() != first_run.parent


def test_latest_points_at_the_newest_run(two_crawls):
    root, _, second = two_crawls
    latest = (root / "runs" / "latest").resolve()
    assert str(latest / "report.html") in second.stdout


def test_a_feed_stored_at_close_is_committed_after_it_is_stored(tmp_path, mirror):
    """JSON (valid only once closed) is committed on feed_exporter_closed: the next crawl knows every article."""
    first = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "a.json"), *places(tmp_path)], mirror_url=mirror.url)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))) == 5
    second = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "b.json"), *places(tmp_path)], mirror_url=mirror.url)
    assert second.returncode == 0, second.stderr[-3000:]
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8")) == []


def test_a_crawl_without_any_feed_commits_nothing(tmp_path, mirror):
    """A feed Scrapy cannot write (an unknown format) turns the feed exporter off: the items go nowhere, the
    store must not count them, and says so."""
    off = ["-s", 'FEEDS={"' + str(tmp_path / "x.nosuch") + '": {"format": "nosuch"}}']
    first = run_scrapy(["crawl", "dutenews", *off, *places(tmp_path)], mirror_url=mirror.url)
    assert "No feed export" in first.stderr
    second = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "b.jsonl"), *places(tmp_path)],
                        mirror_url=mirror.url)
    assert len(lines(tmp_path / "b.jsonl")) == 5, second.stderr[-3000:]


def test_page_returns_known_pages_with_their_version_and_leaves_the_store_alone(two_crawls, mirror, tmp_path):
    root, first, _ = two_crawls
    assert first.returncode == 0
    known = next(item for path in root.rglob("items.jsonl") for item in lines(path))
    before = store_dump(root / "state.sqlite3")
    page = run_scrapy(["crawl", "page", "-a", f"urls={known['url']}", "-O", str(tmp_path / "page.jsonl"),
                       *places(root)], mirror_url=mirror.url)
    assert page.returncode == 0, page.stderr[-3000:]
    (item,) = lines(tmp_path / "page.jsonl")
    assert (item["canonical_url"], item["version"], item["body_sha1"]) == (
        known["canonical_url"], known["version"], known["body_sha1"])
    assert store_dump(root / "state.sqlite3") == before


def test_page_with_the_state_store_off_logs_no_warning(tmp_path, mirror):
    url = "https://www.dutenews.com/n/article/7961034"
    page = run_scrapy(["crawl", "page", "-a", f"urls={url}", "-s", "STATE_ENABLED=False", "-O",
                       str(tmp_path / "page.jsonl"), *places(tmp_path)], mirror_url=mirror.url)
    assert page.returncode == 0, page.stderr[-3000:]
    assert len(lines(tmp_path / "page.jsonl")) == 1
    assert " WARNING: " not in page.stderr
    assert "INFO: The state store is off: STATE_ENABLED=False" in page.stderr


@pytest.mark.parametrize(("feeds", "extra", "expected"), [
    ({}, {}, CommitPoint.NEVER),
    ({"items.jsonl": {"format": "jsonlines"}}, {}, CommitPoint.ON_WRITE),
    ({"file:///tmp/x.csv": {"format": "csv"}}, {}, CommitPoint.ON_WRITE),
    ({"items.json": {"format": "json"}}, {}, CommitPoint.ON_STORE),
    ({"items.xml": {"format": "xml"}}, {}, CommitPoint.ON_STORE),
    ({"stdout:": {"format": "jsonlines"}}, {}, CommitPoint.ON_STORE),
    ({"s3://bucket/items.jsonl": {"format": "jsonlines"}}, {}, CommitPoint.ON_STORE),
    ({"items.jsonl.gz": {"format": "jsonlines", "postprocessing": ["scrapy.extensions.postprocessing.GzipPlugin"]}},
     {}, CommitPoint.ON_STORE),
    ({"items-%(batch_id)d.jsonl": {"format": "jsonlines"}}, {"FEED_EXPORT_BATCH_ITEM_COUNT": 10}, CommitPoint.ON_STORE),
    ({"items.jsonl": {"format": "jsonlines"}}, {"FEED_STORAGES": {"": "scrapy.extensions.feedexport.FileFeedStorage"}},
     CommitPoint.ON_STORE),
    ({"a.jsonl": {"format": "jsonlines"}, "b.json": {"format": "json"}}, {}, CommitPoint.ON_STORE),
])
def test_commit_point_of_feeds(feeds, extra, expected):
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.setdict({"FEEDS": feeds, **extra}, priority="cmdline")
    assert commit_point(settings) is expected
