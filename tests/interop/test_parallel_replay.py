"""Parallel replay (`-j N`) gives the single-process export line for line: the fixture crawl, a synthetic archive."""

from __future__ import annotations

import io
from contextlib import ExitStack

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.bench.extraction import sample_pages
from crawler.bench.synth import generate
from tests.interop.conftest import final_stats, read_items, replay

SYNTHETIC_LISTS = 2
"""List pages per site of the synthetic archive: 20 articles each, six sites (make bench replays 10,000 and more)."""


def write_synthetic_warcs(folder, pages) -> None:  # type: ignore[no-untyped-def]
    """The pages as `response` records in two WARC files (alternating), as a crawler would have stored them."""
    folder.mkdir()
    with ExitStack() as files:
        writers = [WARCWriter(files.enter_context(open(folder / name, "wb")), gzip=True)
                   for name in ("a.warc.gz", "b.warc.gz")]
        for number, page in enumerate(pages):
            writer = writers[number % 2]
            headers = StatusAndHeaders("200 OK", [("Content-Type", page.content_type)], protocol="HTTP/1.1")
            stamp = page.captured.strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.write_record(writer.create_warc_record(page.url, "response", payload=io.BytesIO(page.body),
                                                          length=len(page.body), http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": stamp}))


@pytest.fixture(scope="module")
def synthetic_archive(tmp_path_factory):
    """A synthetic archive of the bench mirror's article pages; the number of articles in it."""
    root = tmp_path_factory.mktemp("synthetic")
    manifest = generate(root / "mirror", SYNTHETIC_LISTS)
    pages = sample_pages(manifest, per_site=10**6)
    write_synthetic_warcs(root / "warc", pages)
    return root / "warc", len(pages)


def replay_lines(inputs: list[str], out, *extra: str) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    result = replay(inputs, out, *extra)
    return (out / "items.jsonl").read_text(encoding="utf-8").splitlines(), final_stats(result.stderr)


def test_parallel_replay_of_the_fixture_crawl_is_the_single_process_export(live_crawl, tmp_path):
    single, single_stats = replay_lines([str(live_crawl / "warc")], tmp_path / "one", "-j", "1")
    parallel, parallel_stats = replay_lines([str(live_crawl / "warc")], tmp_path / "three", "-j", "3")
    assert len(single) >= 25 and parallel == single
    assert (single_stats["replay/jobs"], parallel_stats["replay/jobs"]) == (1, 3)
    for name in ("replay/responses", "replay/article_captures", "reposts/originals_fetched", "item_scraped_count"):
        assert parallel_stats.get(name) == single_stats.get(name), name
    live = {item["url"] for item in read_items(live_crawl / "items.jsonl")}
    assert {item["url"] for item in read_items(tmp_path / "three" / "items.jsonl")} == live


def test_parallel_replay_of_a_synthetic_archive_is_the_single_process_export(synthetic_archive, tmp_path):
    folder, articles = synthetic_archive
    single, stats = replay_lines([str(folder)], tmp_path / "one", "-j", "1")
    parallel, parallel_stats = replay_lines([str(folder / "a.warc.gz"), str(folder / "b.warc.gz")], tmp_path / "two",
                                            "-j", "2")
    assert len(single) == articles == stats["replay/responses"] == parallel_stats["replay/responses"]
    assert [line.replace('"file": "' + str(folder) + '/', '"file": "') for line in single] == \
        [line.replace('"file": "' + str(folder) + '/', '"file": "') for line in parallel]
