"""The WARC writer process: builds, digests, compresses and appends records outside the crawl's interpreter.

    python -m archive.process        (jobs on standard input, receipts on standard output)

The crawl starts one such process and sends it messages; the process owns the `WarcSeries` it is
given, so the CPU of the records (digests, gzip) and the file writes never compete with the crawl
for its GIL. Both directions carry frames: a 4-byte big-endian length, then a pickle.

- `Attach(key, series)`: take over `series` (a `WarcSeries` that has not opened a file yet).
- `Job(key, number, exchange, original)`: the records of one exchange (`RecordFactory.records`),
  appended to series `key`; answered by a `Receipt` or a `Failure` with the same `number`.
- `Detach(key)`: close series `key` (its last file gets its final name); answered by `Detached`.

Messages are handled in the order they arrive. The process takes every message already waiting
as one batch: it builds the records of the batch's jobs, appends each series' share in one write,
and only then sends the batch's receipts. A receipt therefore means that the records' bytes were
handed to the operating system (`write(2)` returned): they survive a SIGKILL of the crawl or of
this process, not a crash of the machine. When its standard input ends (the crawl closed it, or
died), the process finishes every job it has read, closes its series and exits. Log records of
the series (file opened, closed, cut back) travel to the crawl as `LogLine` messages.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from archive.capture import Capture
from archive.records import HttpExchange, RevisitProfile, SerializedExchange
from archive.writer import RecordLocation, WarcSeries

logger = logging.getLogger(__name__)

FRAME = struct.Struct(">I")
"""The length prefix of every message."""
PIPE_SIZE = 1 << 20
"""Bytes the job pipe is asked to hold (Linux `F_SETPIPE_SZ`), so the crawl's writes to it seldom wait."""
READ_SIZE = 1 << 20


@dataclass(frozen=True)
class Attach:
    """Take over `series` under `key`."""

    key: int
    series: WarcSeries


@dataclass(frozen=True)
class Job:
    """Write the records of `exchange` (a revisit of `original` when it qualifies) to series `key`."""

    key: int
    number: int
    exchange: HttpExchange
    original: Capture | None = None


@dataclass(frozen=True)
class Detach:
    """Close series `key`."""

    key: int


@dataclass(frozen=True)
class Receipt:
    """Job `number` is written: where its response record lies and what the crawl notes of it."""

    number: int
    location: RecordLocation
    warc_date: str
    payload_digest: str
    revisit: RevisitProfile | None
    records: int
    bytes: int


@dataclass(frozen=True)
class Failure:
    """Job `number` is not written, because of `error`."""

    number: int
    error: Exception


@dataclass(frozen=True)
class Detached:
    """Series `key` is closed: the files it wrote, and why it stopped early, if it did."""

    key: int
    files_written: list[str]
    failed: Exception | None


@dataclass(frozen=True)
class LogLine:
    """A log record of the writer process, for the crawl's log."""

    logger: str
    level: int
    message: str


def frame(message: object) -> bytes:
    """`message` as one frame: length, then pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return FRAME.pack(len(payload)) + payload


class FrameReader:
    """Splits a byte stream into the messages of its complete frames."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[object]:
        """The messages completed by `data`, in order."""
        self._buffer += data
        messages, start = [], 0
        while len(self._buffer) - start >= FRAME.size:
            (size,) = FRAME.unpack_from(self._buffer, start)
            end = start + FRAME.size + size
            if end > len(self._buffer):
                break
            messages.append(pickle.loads(memoryview(self._buffer)[start + FRAME.size:end]))
            start = end
        del self._buffer[:start]
        return messages


class _Forward(logging.Handler):
    """Keeps the log records of the process as `LogLine` messages to send with the next batch."""

    def __init__(self, outbox: list[object]) -> None:
        super().__init__()
        self.outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        self.outbox.append(LogLine(record.name, record.levelno, record.getMessage()))


class WriterService:
    """The series of one writer process and what it does with a batch of messages."""

    def __init__(self) -> None:
        self.series: dict[int, WarcSeries] = {}

    def handle(self, messages: list[object]) -> list[object]:
        """Handle a batch in order; the replies."""
        replies: list[object] = []
        jobs: list[Job] = []
        for message in messages:
            if isinstance(message, Job):
                jobs.append(message)
                continue
            replies += self.write(jobs)
            jobs = []
            if isinstance(message, Attach):
                self.series[message.key] = message.series
            elif isinstance(message, Detach):
                replies.append(self.detach(message.key))
            else:
                raise TypeError(f"not a writer message: {message!r}")
        return replies + self.write(jobs)

    def write(self, jobs: list[Job]) -> list[object]:
        """Build the jobs' records and append them, one write per series; a reply per job, in job order."""
        replies: dict[int, object] = {}
        built: dict[int, list[tuple[int, SerializedExchange]]] = {}
        for index, job in enumerate(jobs):
            try:
                series = self.series[job.key]
                built.setdefault(job.key, []).append((index, series.factory.records(job.exchange, job.original)))
            except Exception as exc:  # told to the crawl, which logs and counts it
                replies[index] = Failure(job.number, exc)
        for key, items in built.items():
            try:
                locations = self.series[key].append_all([serialized for _, serialized in items])
            except Exception as exc:  # a failed write: none of these exchanges is written
                replies.update((index, Failure(jobs[index].number, exc)) for index, _ in items)
                continue
            for (index, serialized), location in zip(items, locations, strict=True):
                replies[index] = Receipt(jobs[index].number, location, serialized.warc_date, serialized.payload_digest,
                                         serialized.revisit, len(serialized.members),
                                         sum(len(member) for member in serialized.members))
        return [replies[index] for index in range(len(jobs))]

    def detach(self, key: int) -> Detached:
        """Close series `key`."""
        series = self.series.pop(key)
        try:
            series.close()
        except OSError as exc:
            logger.error("Could not close WARC file %s: %s", series.current_path, exc)
            return Detached(key, list(series.files_written), series.failed or exc)
        return Detached(key, list(series.files_written), series.failed)

    def close_all(self) -> None:
        """Close every series still attached (the crawl is gone)."""
        for key in list(self.series):
            self.detach(key)


def _batches(source: BinaryIO) -> Iterator[list[object]]:
    """The messages of `source`, as many as have arrived at a time, until it ends."""
    reader = FrameReader()
    while True:
        data = os.read(source.fileno(), READ_SIZE)
        if not data:
            return
        messages = reader.feed(data)
        if messages:
            yield messages


def _send(sink: BinaryIO, replies: list[object]) -> bool:
    """Write `replies` to `sink`; False when its reader is gone."""
    view = memoryview(b"".join(frame(_picklable(reply)) for reply in replies))
    try:
        while view:
            view = view[os.write(sink.fileno(), view):]
    except BrokenPipeError:
        return False
    return True


def _picklable(reply: object) -> object:
    """`reply`, or a failure whose error is described in plain words when the error itself cannot be pickled."""
    if isinstance(reply, Failure | Detached):
        error = reply.error if isinstance(reply, Failure) else reply.failed
        try:
            pickle.dumps(error)
        except Exception:  # an exception type of a library that cannot travel: its words still do
            plain = RuntimeError(f"{type(error).__name__}: {error}")
            if isinstance(reply, Failure):
                return Failure(reply.number, plain)
            return Detached(reply.key, reply.files_written, plain)
    return reply


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """Handle the messages of `source` until it ends, replying on `sink`; then close every series.

    When nobody reads `sink` any more (the crawl died), the jobs already sent are still written."""
    outbox: list[object] = []
    root = logging.getLogger()
    root.addHandler(_Forward(outbox))
    root.setLevel(logging.INFO)
    service = WriterService()
    replying = True
    try:
        for messages in _batches(source):
            replies = service.handle(messages)
            if replying:
                replying = _send(sink, [*outbox, *replies])
            outbox.clear()
    finally:
        service.close_all()
        if replying and outbox:
            _send(sink, outbox)


def _widen(pipe: BinaryIO) -> None:
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (AttributeError, OSError):
        logger.debug("Job pipe keeps its default size", exc_info=True)


def main() -> int:
    """Serve standard input and output."""
    _widen(sys.stdin.buffer)
    serve(sys.stdin.buffer, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    # Run as the module `archive.process`, not `__main__`, so the messages unpickle to the crawl's classes.
    from archive import process

    sys.exit(process.main())
