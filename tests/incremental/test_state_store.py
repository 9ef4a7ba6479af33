"""The state store contract, on SQLite and on a real Redis: captures, commits, known pages, runs, LSH bands."""

from __future__ import annotations

import dataclasses
import json

import pytest

from crawler.pipelines.dedupe import Bands, body_minhash
from crawler.state import Capture, PageState, RunState, open_store
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


def capture(digest: str, etag: str = '"a"') -> Capture:
    return Capture(URL, "2024-01-01T00:00:00.000000Z", digest, etag, "Mon, 01 Jan 2024 00:00:00 GMT",
                   {"file": "x.warc.gz", "offset": 0, "record_id": "<urn:uuid:1>"})


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
    assert page.capture.payload_digest == "sha1:A" and page.capture.etag == '"b"'
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


def test_band_lookup_searches_the_index(tmp_path):
    store = SqliteStateStore(tmp_path / "state.sqlite3")
    plan = store.connection.execute("EXPLAIN QUERY PLAN " + band_query(9), [0, b"x"] * 9).fetchall()
    store.close()
    steps = [row[3] for row in plan]
    assert sum(step.startswith("SEARCH bands USING") for step in steps) == 9
    assert not any(step.startswith("SCAN") for step in steps), steps


def test_page_state_document_is_that_of_asdict():
    for state in (PageState(URL), PageState(URL, capture("sha1:A"), capture("sha1:B", etag=None), "b" * 40, 2, "x", "y")):
        assert state.to_json() == json.dumps(dataclasses.asdict(state), ensure_ascii=False, sort_keys=True)
        assert PageState.from_json(state.to_json()) == state


def test_sqlite_store_is_shared_by_two_connections(tmp_path):
    path = tmp_path / "state.sqlite3"
    one, two = SqliteStateStore(path), SqliteStateStore(path)
    one.stage(URL, capture("sha1:A"))
    assert two.page(URL).pending.payload_digest == "sha1:A"
    one.close()
    two.close()


def test_unknown_uri_is_refused():
    with pytest.raises(ValueError, match="STATE_URI"):
        open_store("postgres://x")
