"""The WARC writer thread: records written in submission order, outcomes delivered, failures contained,
one thread shared by several series."""

from __future__ import annotations

import gzip
import queue
import threading
import zlib

from warcio.archiveiterator import ArchiveIterator

from archive.records import RecordFactory, gzip_member
from archive.threaded import WriterThread, Written
from tests.archive.builders import PinnedFactory, article_exchange, pinned_series


def outcomes_of(writer: WriterThread, series, builds: list) -> list:  # type: ignore[no-untyped-def]
    """Submit every build, then wait for every outcome (in the order they arrive)."""
    arrived: queue.Queue = queue.Queue()
    for build in builds:
        writer.submit(series, build, arrived.put)
    return [arrived.get(timeout=30) for _ in builds]


def finish(writer: WriterThread, series) -> None:  # type: ignore[no-untyped-def]
    """Wait for the series' jobs, close it, stop the thread."""
    writer.flush()
    series.close()
    writer.stop()


def test_records_are_written_in_submission_order_and_read_back_at_their_offsets(tmp_path):
    series = pinned_series(tmp_path)
    writer = WriterThread()
    urls = [f"https://www.dutenews.com/n/article/{number}" for number in range(12)]
    outcomes = outcomes_of(writer, series,
                           [lambda url=url: series.factory.exchange(article_exchange(url)) for url in urls])
    finish(writer, series)
    assert all(isinstance(outcome, Written) for outcome in outcomes)
    assert [outcome.location.offset for outcome in outcomes] == sorted(outcome.location.offset for outcome in outcomes)
    path = tmp_path / series.files_written[0]
    with open(path, "rb") as stream:
        for url, outcome in zip(urls, outcomes, strict=True):
            stream.seek(outcome.location.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            assert record.rec_headers.get_header("WARC-Record-ID") == outcome.location.record_id


def test_a_failing_build_is_delivered_and_the_next_job_is_still_written(tmp_path):
    series = pinned_series(tmp_path)
    writer = WriterThread()

    def broken():
        raise ValueError("no records")

    outcomes = outcomes_of(writer, series, [broken, lambda: series.factory.exchange(article_exchange())])
    finish(writer, series)
    assert isinstance(outcomes[0], ValueError)
    assert isinstance(outcomes[1], Written)
    assert not list(tmp_path.glob("*.open")) and len(series.files_written) == 1


def test_one_thread_writes_several_series_in_order_and_delivers_each_batch_through_deliver(tmp_path):
    delivered: list[str] = []

    def deliver(function, *args):  # type: ignore[no-untyped-def]
        delivered.append(threading.current_thread().name)
        function(*args)

    writer = WriterThread(deliver)
    series = [pinned_series(tmp_path, prefix=name) for name in ("one", "two")]
    arrived: queue.Queue = queue.Queue()
    for number in range(10):
        each = series[number % 2]
        url = f"https://www.dutenews.com/n/article/{number}"
        writer.submit(each, lambda each=each, url=url: each.factory.exchange(article_exchange(url)), arrived.put)
    outcomes = [arrived.get(timeout=30) for _ in range(10)]
    writer.flush()
    for each in series:
        each.close()
    writer.stop()
    assert all(isinstance(outcome, Written) for outcome in outcomes)
    assert set(delivered) == {"warc-writer"} and 1 <= len(delivered) <= 10
    for each, first in zip(series, (0, 1), strict=True):
        with open(tmp_path / each.files_written[0], "rb") as stream:
            uris = [record.rec_headers["WARC-Target-URI"] for record in ArchiveIterator(stream)
                    if record.rec_type == "response"]
        assert uris == [f"https://www.dutenews.com/n/article/{number}" for number in range(first, 10, 2)]


def test_the_shared_thread_lives_while_it_has_users():
    first = WriterThread.shared(lambda function, *args: function(*args))
    second = WriterThread.shared(lambda function, *args: function(*args))
    assert first is second
    first.release()
    assert WriterThread.shared(lambda function, *args: function(*args)) is second
    second.release()
    second.release()
    assert not second._thread.is_alive()
    third = WriterThread.shared(lambda function, *args: function(*args))
    assert third is not second and third._thread.is_alive()
    third.release()


def test_gzip_level_changes_the_bytes_not_the_records():
    exchange = article_exchange()
    fast, small = PinnedFactory(), PinnedFactory()
    fast.gzip_level, small.gzip_level = 1, 9
    fast_members, small_members = fast.exchange(exchange).members, small.exchange(exchange).members
    assert [gzip.decompress(m) for m in fast_members] == [gzip.decompress(m) for m in small_members]
    assert sum(map(len, fast_members)) > sum(map(len, small_members))
    assert RecordFactory().gzip_level == 3
    assert zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gzip_member(b"WARC/1.1", 3)) == b"WARC/1.1"
