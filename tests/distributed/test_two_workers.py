"""Distributed mode: two crawlall processes sharing a real redis-server crawl the mirror together;
each spider fetches every article exactly once across both workers, and every article is exported.

The queue and duplicate filter are per spider (as in one process): the original of a cross-site
repost is also fetched by the reposting spider, so such an original may appear in two spiders'
WARC series and, when both fetch it before either has exported it, in both workers' exports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis

from tests.conftest import ROOT
from tests.distributed.redis_server import needs_redis, redis_server
from tests.fixture_pages import fixture_pages
from tests.incremental.warcs import read_items, warc_records, warcio_check

pytestmark = needs_redis
WORKERS = 2
# One request at a time, a second apart: the queue outlasts the 5 s an idle worker waits to look again.
PACE = ["-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=1", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
        "-s", "AUTOTHROTTLE_ENABLED=False"]


def worker(out, number: int, redis_url: str, mirror_url: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "scrapy", "crawlall", "-O", str(out / f"items{number}.jsonl"),
               "-s", f"REDIS_URL={redis_url}", "-s", f"WARC_DIR={out / 'warc'}",
               "-s", f"REJECTS_PATH={out / f'rejects{number}.jsonl'}", "-s", f"MIRROR_URL={mirror_url}",
               "-s", "ALLOW_PRIVATE_NETWORKS=True", *PACE]
    with open(out / f"worker{number}.log", "w") as log:  # the worker keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=log, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def shared_crawl(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp("distributed")
    with redis_server(out) as url:
        processes = [worker(out, number, url, mirror.url) for number in range(WORKERS)]
        codes = []
        for process in processes:
            try:
                codes.append(process.wait(timeout=120))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(process.wait(timeout=10))
        leftover_keys = sorted(key.decode() for key in redis.Redis.from_url(url).keys("*") if b":state:" not in key)
        state_pages = len(redis.Redis.from_url(url).keys("nqi:state:page:*"))
    logs = [(out / f"worker{number}.log").read_text() for number in range(WORKERS)]
    return out, codes, logs, leftover_keys, state_pages


def test_both_workers_finish(shared_crawl):
    _, codes, logs, _, _ = shared_crawl
    assert codes == [0] * WORKERS, "\n\n".join(log[-3000:] for log in logs)


def spider_of(record) -> str:  # type: ignore[no-untyped-def]
    return record.file.split("-")[1]  # nqi-<spider>-<stamp>-...


def cross_site_fetches(records) -> set[str]:  # type: ignore[no-untyped-def]
    """Articles fetched by more than one spider (originals of reposts)."""
    spiders: dict[str, set[str]] = {}
    for r in records:
        if r.type in ("response", "revisit"):
            spiders.setdefault(r.uri, set()).add(spider_of(r))
    return {uri for uri, names in spiders.items() if len(names) > 1}


def test_each_spider_fetches_every_article_exactly_once_across_both_workers(shared_crawl):
    out, _, _, _, _ = shared_crawl
    records = warc_records(out / "warc")
    articles = {page.url for page in fixture_pages("article")}
    fetched = [(spider_of(r), r.uri) for r in records if r.type == "response" and r.uri in articles]
    assert len(fetched) == len(set(fetched)), "a spider fetched an article twice"
    assert {uri for _, uri in fetched} == articles
    writers = {r.file.split("-")[-2] for r in records if r.type == "response" and r.uri in articles}
    assert len(writers) == WORKERS, "one worker fetched every article: the queue was not shared"
    assert warcio_check(out / "warc").returncode == 0


def test_every_item_is_exported_once(shared_crawl):
    out, _, _, _, state_pages = shared_crawl
    items = [item for number in range(WORKERS) for item in read_items(out / f"items{number}.jsonl")]
    urls = [item["url"] for item in items]
    twice = {url for url in urls if urls.count(url) > 1}
    assert twice <= cross_site_fetches(warc_records(out / "warc"))
    assert set(urls) == {page.url for page in fixture_pages("article")}
    assert state_pages == len(set(urls))  # the state store lives in the same Redis


def test_the_last_worker_clears_the_shared_queue_and_duplicate_filter(shared_crawl):
    _, _, _, leftover_keys, _ = shared_crawl
    assert leftover_keys == []
