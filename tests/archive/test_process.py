"""The WARC writer process, driven through real pipes: order, receipts, the golden bytes, failures, a vanished crawl."""

from __future__ import annotations

import dataclasses
import gzip
import os
import resource
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.capture import Capture
from archive.process import Attach, Detach, Detached, Failure, FrameReader, Job, LogLine, Receipt, frame
from archive.records import RevisitProfile
from archive.writer import WarcWriteError
from tests.archive.builders import MOMENT, article_exchange, pinned_series
from tests.archive.test_records import GOLDEN
from tests.conftest import ROOT


def start() -> subprocess.Popen[bytes]:
    """A writer process with the project (and its tests' pinned series) on its path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "archive.process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=env, cwd=ROOT)


def exchange_all(messages: list[object], process: subprocess.Popen[bytes] | None = None) -> list[object]:
    """Send `messages`, end the input, and read every reply until the process exits."""
    process = process or start()
    output, _ = process.communicate(b"".join(frame(message) for message in messages), timeout=60)
    assert process.returncode == 0
    return FrameReader().feed(output)


def one_by_one(process: subprocess.Popen[bytes], messages: list[object]) -> list[object]:
    """Send each message and wait for its reply (a job's receipt or failure) before the next; the replies so far."""
    replies: list[object] = []
    reader = FrameReader()
    for message in messages:
        process.stdin.write(frame(message))
        process.stdin.flush()
        while isinstance(message, Job) and not any(
                isinstance(reply, Receipt | Failure) and reply.number == message.number for reply in replies):
            replies += reader.feed(os.read(process.stdout.fileno(), 1 << 16))
    return replies


def responses_at(path: Path) -> dict[int, tuple[str, str]]:
    """Offset -> (record ID, target URI) of every response record of a file."""
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        return {iterator.get_record_offset(): (record.rec_headers["WARC-Record-ID"],
                                               record.rec_headers["WARC-Target-URI"])
                for record in iterator if record.rec_type == "response"}


def test_jobs_are_written_in_order_and_each_receipt_names_its_record(tmp_path):
    urls = [f"https://www.dutenews.com/n/article/{number}" for number in range(12)]
    jobs = [Job(0, number, article_exchange(url)) for number, url in enumerate(urls)]
    replies = exchange_all([Attach(0, pinned_series(tmp_path)), *jobs, Detach(0)])
    receipts = [reply for reply in replies if isinstance(reply, Receipt)]
    [detached] = [reply for reply in replies if isinstance(reply, Detached)]
    assert [receipt.number for receipt in receipts] == list(range(12))
    assert detached.files_written == ["test-00000.warc.gz"] and detached.failed is None
    records = responses_at(tmp_path / "test-00000.warc.gz")
    assert [records[receipt.location.offset] for receipt in receipts] == [
        (receipt.location.record_id, url) for receipt, url in zip(receipts, urls, strict=True)]
    assert all(receipt.records == 2 and receipt.bytes > 0 and receipt.revisit is None for receipt in receipts)
    assert any(isinstance(reply, LogLine) and "Closed WARC file" in reply.message for reply in replies)


def test_the_process_writes_the_golden_file_byte_for_byte(tmp_path):
    article = article_exchange()
    missing = article_exchange("https://www.dutenews.com/n/新闻/1", body=b"<h1>404</h1>", chunked=False,
                               status=404, reason="Not Found")
    missing.response_headers.append(("Content-Disposition", "inline; filename=\"\xe4\xb8\xad.html\""))
    replies = exchange_all([Attach(0, pinned_series(tmp_path / "first")), Job(0, 0, article), Detach(0)])
    [first] = [reply for reply in replies if isinstance(reply, Receipt)]
    original = Capture(target_uri=article.target_uri, warc_date="2024-01-20T03:12:45.123456Z",
                       record_id=first.location.record_id, payload_digest=first.payload_digest)
    later = dataclasses.replace(article, date=MOMENT.replace(year=2025))
    not_modified = dataclasses.replace(later, status=304, reason="Not Modified", response_body=b"",
                                       response_headers=[("ETag", '"f41644bfa4c7b5bc"')])
    # One job at a time, as the golden file was written (a batch would number its record IDs in another order).
    process = start()
    replies = one_by_one(process, [Attach(0, pinned_series(tmp_path)), Job(0, 0, article), Job(0, 1, missing),
                                   Job(0, 2, later, original), Job(0, 3, not_modified, original)])
    replies += exchange_all([Detach(0)], process)
    receipts = [reply for reply in replies if isinstance(reply, Receipt)]
    assert [receipt.revisit for receipt in receipts] == [None, None, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST,
                                                        RevisitProfile.SERVER_NOT_MODIFIED]
    assert gzip.decompress((tmp_path / "test-00000.warc.gz").read_bytes()) == GOLDEN.read_bytes()


def test_a_failing_job_is_told_and_the_next_one_is_still_written(tmp_path):
    replies = exchange_all([Attach(0, pinned_series(tmp_path)), Job(7, 0, article_exchange()),
                            Job(0, 1, article_exchange()), Detach(0)])
    failure, receipt = [reply for reply in replies if isinstance(reply, Failure | Receipt)]
    assert isinstance(failure, Failure) and failure.number == 0 and isinstance(failure.error, KeyError)
    assert isinstance(receipt, Receipt) and receipt.number == 1
    assert list(responses_at(tmp_path / "test-00000.warc.gz")) == [receipt.location.offset]


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


def test_a_full_disk_fails_the_job_with_the_file_named_and_keeps_every_written_record(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "archive.process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, preexec_fn=limit_file_size)
    jobs = [Job(0, number, article_exchange(f"https://a.example/{number}", body=os.urandom(3000)))
            for number in range(40)]
    replies = one_by_one(process, [Attach(0, pinned_series(tmp_path)), *jobs])
    replies += exchange_all([Detach(0)], process)
    outcomes = [reply for reply in replies if isinstance(reply, Receipt | Failure)]
    written = [outcome for outcome in outcomes if isinstance(outcome, Receipt)]
    failed = [outcome for outcome in outcomes if isinstance(outcome, Failure)]
    assert written and failed and outcomes == written + failed
    assert all(isinstance(outcome.error, WarcWriteError) for outcome in failed)
    assert failed[0].error.errno == 27 and failed[0].error.path == tmp_path / "test-00000.warc.gz"
    [detached] = [reply for reply in replies if isinstance(reply, Detached)]
    assert detached.files_written == ["test-00000.warc.gz"] and isinstance(detached.failed, WarcWriteError)
    records = responses_at(tmp_path / "test-00000.warc.gz")
    assert sorted(records) == [receipt.location.offset for receipt in written]


def test_jobs_already_sent_are_written_when_the_crawl_is_gone(tmp_path):
    process = start()
    jobs = [Job(0, number, article_exchange(f"https://a.example/{number}")) for number in range(30)]
    process.stdout.close()  # nobody reads the receipts: the crawl died
    process.stdin.write(b"".join(frame(message) for message in [Attach(0, pinned_series(tmp_path)), *jobs]))
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    records = responses_at(tmp_path / "test-00000.warc.gz")  # closed under its final name
    assert [uri for _, uri in records.values()] == [f"https://a.example/{number}" for number in range(30)]
