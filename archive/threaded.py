"""A WARC writer thread: building, compressing and appending records off the caller's thread.

`WriterThread` runs one thread that takes jobs in order from a bounded queue. A job builds an
exchange's records (`RecordFactory.exchange` or `.revisit`: digests and gzip, which release the
GIL, so the work runs on another core) and appends them to the series. The caller's `done`
callback learns the response record's location only once its bytes were handed to the
operating system: an item naming a record never outlives the record in a crash. The queue holds
at most `queue_size` jobs; `submit` waits for room beyond that, so memory stays flat however
fast responses arrive.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

from archive.records import SerializedExchange
from archive.writer import RecordLocation, WarcSeries

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    """An exchange's records as written, and where its response record lies."""

    serialized: SerializedExchange
    location: RecordLocation


Outcome = Union[Written, Exception]
"""What a job's `done` callback receives: the written records, or why they could not be written."""
Job = tuple[Callable[[], SerializedExchange], Callable[[Outcome], None]]


class WriterThread:
    """Builds and appends records of a `WarcSeries` in one background thread, in submission order."""

    def __init__(self, series: WarcSeries, queue_size: int) -> None:
        self.series = series
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=queue_size)
        self._thread = threading.Thread(target=self._run, name=f"warc-writer-{series.prefix}", daemon=True)
        self._thread.start()

    def submit(self, build: Callable[[], SerializedExchange], done: Callable[[Outcome], None]) -> None:
        """Queue a job: `build()` in the writer thread, append, then `done(outcome)` (in the writer thread)."""
        self._jobs.put((build, done))

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            build, done = job
            done(self._write(build))

    def _write(self, build: Callable[[], SerializedExchange]) -> Outcome:
        try:
            serialized = build()
            return Written(serialized, self.series.append(serialized))
        except Exception as exc:  # delivered to the submitter, which logs it and counts it
            return exc

    def close(self) -> None:
        """Write every queued job, stop the thread and close the series."""
        self._jobs.put(None)
        self._thread.join()
        self.series.close()
