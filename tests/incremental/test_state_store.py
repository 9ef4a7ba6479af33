"""The state store contract, on SQLite and on a real Redis: captures, commits, known pages, runs, LSH bands,
meta values, and the repost index of another signature scheme being cleared."""

from __future__ import annotations

import json
import logging

import pytest
from scrapy.utils.test import get_crawler

from archive.capture import Capture
from crawler.pipelines.dedupe import SCHEME_META, Bands, DedupePipeline, body_minhash
from crawler.state import PageState, RunState, StoredCapture, open_store
from crawler.state.extension import begin_run
from crawler.state.sqlite import SqliteStateStore, band_query
from tests.distributed.redis_server import needs_redis, redis_server

URL = "https://www.dutenews.com/n/article/1"


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=needs_redis)])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'state.sqlite3'}")
        yield opened
        opened.close()
        return
    with redis_server(tmp_path) as url:
        opened = open_store(url, prefix="test:state")
        yield opened
        opened.close()


def capture(digest: str, etag: str | None = '"a"') -> StoredCapture:
    record = Capture(target_uri=URL, warc_date="2024-01-01T00:00:00.000000Z", payload_digest=digest, file="x.warc.gz",
                     offset=0, record_id="<urn:uuid:1>")
    return StoredCapture(record, etag, "Mon, 01 Jan 2024 00:00:00 GMT")


def test_a_staged_capture_becomes_current_only_when_committed(store):
    assert store.page(URL) is None
    store.stage(URL, capture("sha1:A"))
    page = store.page(URL)
    assert page.pending == capture("sha1:A") and page.capture is None and page.first_seen is None
    store.commit(URL, "b" * 40, 1)
    page = store.page(URL)
    assert page.capture == capture("sha1:A") and page.pending is None
    assert (page.body_sha1, page.version) == ("b" * 40, 1)
    assert page.first_seen == page.fetched_at


def test_touch_keeps_the_capture_and_takes_fresher_validators(store):
    store.stage(URL, capture("sha1:A"))
    first = store.commit(URL, "b" * 40, 1)
    store.touch(URL, etag='"b"')
    page = store.page(URL)
    assert page.capture.record.payload_digest == "sha1:A" and page.capture.etag == '"b"'
    assert page.fetched_at > first.fetched_at and page.first_seen == first.first_seen


def test_known_needs_a_finished_run_after_the_export(store):
    run, resumed = begin_run(store, "dutenews", None)
    assert resumed is None
    store.stage(URL, capture("sha1:A"))
    store.commit(URL, "b" * 40, 1)
    assert not store.known(URL, "dutenews")  # the run that exported it has not finished
    store.put_run(RunState("dutenews", run.started_at, "finished", None, last_finished_at="9999"))
    assert store.known(URL, "dutenews")
    assert not store.known(URL + "0", "dutenews")


def test_a_killed_job_is_resumed_only_with_the_same_jobdir(store, tmp_path):
    jobdir = tmp_path / "job"
    (jobdir / "requests.queue").mkdir(parents=True)
    (jobdir / "requests.seen").write_text("stale\n")
    first, _ = begin_run(store, "dutenews", str(jobdir))
    again, resumed = begin_run(store, "dutenews", str(jobdir))  # the first never closed: killed
    assert resumed == "running" and again.started_at == first.started_at
    assert not (jobdir / "requests.queue").exists() and not (jobdir / "requests.seen").exists()
    other, resumed = begin_run(store, "dutenews", str(tmp_path / "other"))
    assert resumed is None and other.started_at > first.started_at


def test_bands_find_near_duplicates_only(store):
    bands = Bands(0.8)
    body = "国家市场监管总局批复同意筹建粤港澳大湾区计量区域中心，这是我国首个以城市群为服务范围的计量区域中心。" * 3
    store.add_bands("https://a/1", bands.of(body_minhash(body)))
    assert store.band_matches(bands.of(body_minhash(body + "。"))) == {"https://a/1"}
    assert store.band_matches(bands.of(body_minhash("完全不同的另一篇文章，讲的是标准化工作。" * 5))) == set()


def test_meta_values_and_clearing_the_bands(store):
    assert store.get_meta("x") is None
    store.set_meta("x", "方案 1")
    store.set_meta("x", "方案 2")
    assert store.get_meta("x") == "方案 2"
    assert not store.clear_bands()
    store.add_bands("https://a/1", [b"1", b"2"])
    store.add_bands("https://a/2", [b"1", b"3"])
    assert store.clear_bands()
    assert store.band_matches([b"1", b"2"]) == set() and not store.clear_bands()
    assert store.get_meta("x") == "方案 2"


BODY = "国家市场监管总局批复同意筹建粤港澳大湾区计量区域中心，这是我国首个以城市群为服务范围的计量区域中心。" * 3


def open_pipeline(store, threshold=0.8):
    """A `DedupePipeline` opening `store`, and the crawl stats it reports to."""
    stats = get_crawler().stats
    return DedupePipeline(store, stats, threshold), stats


def index_cleared(caplog, stats):
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) <= 1 and stats.get_value("dedupe/index_cleared", 0) == len(warnings)
    return bool(warnings)


def test_a_fresh_store_records_the_scheme(store, caplog):
    pipeline, stats = open_pipeline(store)
    assert not index_cleared(caplog, stats)
    assert store.get_meta(SCHEME_META) == pipeline.bands.scheme


@pytest.mark.parametrize("recorded", [None, "another scheme"])
def test_bands_of_another_scheme_are_cleared_once_with_a_warning(store, caplog, recorded):
    if recorded:
        store.set_meta(SCHEME_META, recorded)
    store.add_bands("https://old/1", Bands(0.8).of(body_minhash(BODY)))
    pipeline, stats = open_pipeline(store)
    assert index_cleared(caplog, stats)
    assert "not recognised until those articles are crawled again" in caplog.text and "earlier crawls" in caplog.text
    assert store.band_matches(pipeline.bands.of(body_minhash(BODY))) == set()
    assert store.get_meta(SCHEME_META) == pipeline.bands.scheme
    caplog.clear()
    store.add_bands("https://new/1", pipeline.bands.of(body_minhash(BODY)))
    _, stats = open_pipeline(store)
    assert not index_cleared(caplog, stats)
    assert store.band_matches(pipeline.bands.of(body_minhash(BODY))) == {"https://new/1"}


def test_another_banding_is_another_scheme(store, caplog):
    store.add_bands("https://a/1", open_pipeline(store)[0].bands.of(body_minhash(BODY)))
    _, stats = open_pipeline(store, threshold=0.5)
    assert index_cleared(caplog, stats)


def test_another_scheme_without_bands_is_only_recorded(store, caplog):
    store.set_meta(SCHEME_META, "another scheme")
    pipeline, stats = open_pipeline(store)
    assert not index_cleared(caplog, stats)
    assert store.get_meta(SCHEME_META) == pipeline.bands.scheme


@needs_redis
def test_redis_clears_only_the_bands_of_its_prefix(tmp_path):
    with redis_server(tmp_path) as url:
        mine, other = open_store(url, prefix="t[12]*"), open_store(url, prefix="t1")  # globs unless escaped
        for opened in (mine, other):
            opened.add_bands("https://a/1", [b"1"])
            opened.put_doc("page", "https://a/1", "{}")
        assert mine.clear_bands()
        assert mine.band_matches([b"1"]) == set() and mine.get_doc("page", "https://a/1") == "{}"
        assert other.band_matches([b"1"]) == {"https://a/1"}
        mine.close()
        other.close()


def test_band_lookup_searches_the_index(tmp_path):
    store = SqliteStateStore(tmp_path / "state.sqlite3")
    plan = store.connection.execute("EXPLAIN QUERY PLAN " + band_query(9), [0, b"x"] * 9).fetchall()
    store.close()
    steps = [row[3] for row in plan]
    assert sum(step.startswith("SEARCH bands USING") for step in steps) == 9
    assert not any(step.startswith("SCAN") for step in steps), steps


def test_page_state_document_keeps_its_stored_form_and_reads_back():
    state = PageState(URL, capture("sha1:A"), capture("sha1:B", etag=None), "b" * 40, 2, "x", "y", "z")
    record = {"target_uri": URL, "warc_date": "2024-01-01T00:00:00.000000Z",
              "last_modified": "Mon, 01 Jan 2024 00:00:00 GMT",
              "warc": {"file": "x.warc.gz", "offset": 0, "record_id": "<urn:uuid:1>"}}
    assert json.loads(state.to_json()) == {
        "url": URL, "capture": {**record, "payload_digest": "sha1:A", "etag": '"a"'},
        "pending": {**record, "payload_digest": "sha1:B", "etag": None},
        "body_sha1": "b" * 40, "version": 2, "first_seen": "x", "fetched_at": "y", "exported_at": "z"}
    legacy = {key: value for key, value in json.loads(state.to_json()).items() if key != "exported_at"}
    assert PageState.from_json(json.dumps(legacy)).exported_at is None  # written before the field existed
    unarchived = PageState(URL, StoredCapture(Capture(target_uri=URL, warc_date="", payload_digest="sha1:C")))
    assert json.loads(unarchived.to_json())["capture"]["warc"] is None
    for page in (PageState(URL), state, unarchived):
        assert PageState.from_json(page.to_json()) == page


def test_sqlite_store_is_shared_by_two_connections(tmp_path):
    path = tmp_path / "state.sqlite3"
    one, two = SqliteStateStore(path), SqliteStateStore(path)
    one.stage(URL, capture("sha1:A"))
    assert two.page(URL).pending.record.payload_digest == "sha1:A"
    one.close()
    two.close()


def test_a_store_not_durable_never_waits_for_the_disk(tmp_path):
    durable = SqliteStateStore(tmp_path / "kept.sqlite3")
    scratch = SqliteStateStore(tmp_path / "scratch.sqlite3", durable=False)
    synchronous = "PRAGMA synchronous"
    assert durable.connection.execute(synchronous).fetchone()[0] == 1  # NORMAL
    assert scratch.connection.execute(synchronous).fetchone()[0] == 0  # OFF
    scratch.put_doc("page", "http://example.org/a", "{}")
    assert scratch.get_doc("page", "http://example.org/a") == "{}"


def test_unknown_uri_is_refused():
    with pytest.raises(ValueError, match="STATE_URI"):
        open_store("postgres://x")
