"""The WARC writer thread: records written in submission order, outcomes delivered, failures contained."""

from __future__ import annotations

import gzip
import queue
import zlib

from warcio.archiveiterator import ArchiveIterator

from archive.records import RecordFactory, gzip_member
from archive.threaded import Written, WriterThread
from tests.archive.builders import PinnedFactory, article_exchange, pinned_series


def outcomes_of(writer: WriterThread, builds: list) -> list:
    """Submit every build, then wait for every outcome (in the order they arrive)."""
    arrived: queue.Queue = queue.Queue()
    for build in builds:
        writer.submit(build, arrived.put)
    return [arrived.get(timeout=30) for _ in builds]


def test_records_are_written_in_submission_order_and_read_back_at_their_offsets(tmp_path):
    series = pinned_series(tmp_path)
    writer = WriterThread(series, queue_size=2)
    urls = [f"https://www.dutenews.com/n/article/{number}" for number in range(12)]
    outcomes = outcomes_of(writer, [lambda url=url: series.factory.exchange(article_exchange(url)) for url in urls])
    writer.close()
    assert all(isinstance(outcome, Written) for outcome in outcomes)
    assert [outcome.location.offset for outcome in outcomes] == sorted(outcome.location.offset for outcome in outcomes)
    path = tmp_path / series.files_written[0]
    with open(path, "rb") as stream:
        for url, outcome in zip(urls, outcomes):
            stream.seek(outcome.location.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            assert record.rec_headers.get_header("WARC-Record-ID") == outcome.location.record_id


def test_a_failing_build_is_delivered_and_the_next_job_is_still_written(tmp_path):
    series = pinned_series(tmp_path)
    writer = WriterThread(series, queue_size=1)

    def broken():
        raise ValueError("no records")

    outcomes = outcomes_of(writer, [broken, lambda: series.factory.exchange(article_exchange())])
    writer.close()
    assert isinstance(outcomes[0], ValueError)
    assert isinstance(outcomes[1], Written)
    assert not list(tmp_path.glob("*.open")) and len(series.files_written) == 1


def test_gzip_level_changes_the_bytes_not_the_records():
    exchange = article_exchange()
    fast, small = PinnedFactory(), PinnedFactory()
    fast.gzip_level, small.gzip_level = 1, 9
    fast_members, small_members = fast.exchange(exchange).members, small.exchange(exchange).members
    assert [gzip.decompress(m) for m in fast_members] == [gzip.decompress(m) for m in small_members]
    assert sum(map(len, fast_members)) > sum(map(len, small_members))
    assert RecordFactory().gzip_level == 3
    assert zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gzip_member(b"WARC/1.1", 3)) == b"WARC/1.1"
