"""The WARC writer thread: building, compressing and appending records off the caller's thread.

One `WriterThread` serves any number of series; the crawl shares one per process
(`WriterThread.shared`), so the spiders of `crawlall` do not queue up several writer threads for
the GIL while the reactor thread waits for it. The thread takes jobs in submission order, a batch
at a time (whatever is queued, up to `BATCH`): it builds each exchange's records
(`RecordFactory.records`: some tens of microseconds of Python, then zlib, which releases the GIL,
so the compression runs on another core), appends each series' share of the batch in one write,
and hands the batch's outcomes to their `done` callbacks through one call of `deliver` (the crawl
passes the reactor's `callFromThread`), so the caller's thread is woken once per batch. A job's
callback learns where its response record lies only once its bytes were handed to the operating
system: an item naming a record never outlives the record in a crash. `submit` never waits: the
caller bounds how many of its jobs are queued (the WARC middleware pauses the crawl through a
Deferred), so memory stays flat however fast responses arrive.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from archive.records import SerializedExchange
from archive.writer import RecordLocation, WarcSeries

logger = logging.getLogger(__name__)

BATCH = 16
"""Most jobs the thread takes at once before it writes them and delivers their outcomes."""


@dataclass(frozen=True)
class Written:
    """An exchange's records as written, and where its response record lies."""

    serialized: SerializedExchange
    location: RecordLocation


Outcome = Written | Exception
"""What a job's `done` callback receives: the written records, or why they could not be written."""
Done = Callable[[Outcome], None]
Job = tuple[WarcSeries, Callable[[], SerializedExchange], Done]
Deliver = Callable[..., object]
"""Runs `function(*args)`, in whatever thread the callbacks belong to (`reactor.callFromThread`)."""


def _call_here(function: Callable[..., object], *args: object) -> None:
    function(*args)


def _fire(outcomes: list[tuple[Done, Outcome]]) -> None:
    for done, outcome in outcomes:
        done(outcome)


class WriterThread:
    """Builds and appends the records of any `WarcSeries` in one background thread, in submission order."""

    _shared: ClassVar[WriterThread | None] = None
    _users: ClassVar[int] = 0
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, deliver: Deliver = _call_here) -> None:
        self._deliver = deliver
        self._jobs: queue.SimpleQueue[Job | threading.Event | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
        self._thread.start()

    @classmethod
    def shared(cls, deliver: Deliver) -> WriterThread:
        """The process's shared writer thread (started by its first user with that user's `deliver`)."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(deliver)
            cls._users += 1
            return cls._shared

    def release(self) -> None:
        """A user of the shared thread is done with it; the last one stops it."""
        with self._shared_lock:
            type(self)._users -= 1
            if self._users > 0:
                return
            type(self)._shared = None
        self.stop()

    def submit(self, series: WarcSeries, build: Callable[[], SerializedExchange], done: Done) -> None:
        """Queue a job, without waiting: `build()` in the writer thread, append to `series`, then
        `done(outcome)` (delivered)."""
        self._jobs.put((series, build, done))

    def flush(self) -> None:
        """Wait until every job queued so far is written."""
        reached = threading.Event()
        self._jobs.put(reached)
        reached.wait()

    def stop(self) -> None:
        """Write every queued job and stop the thread."""
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        while True:
            jobs: list[Job] = []
            for item in self._batch():
                if isinstance(item, tuple):
                    jobs.append(item)
                    continue
                self._finish(jobs)
                jobs = []
                if item is None:
                    return
                item.set()
            self._finish(jobs)

    def _batch(self) -> list[Job | threading.Event | None]:
        """The next item (waiting for one) and up to `BATCH - 1` more that are already queued."""
        batch = [self._jobs.get()]
        while len(batch) < BATCH:
            try:
                batch.append(self._jobs.get_nowait())
            except queue.Empty:
                break
        return batch

    def _finish(self, jobs: list[Job]) -> None:
        """Build the jobs' records, append them (one write per series), deliver every outcome at once."""
        if not jobs:
            return
        outcomes: dict[int, Outcome] = {}
        built: dict[WarcSeries, list[tuple[int, SerializedExchange]]] = {}
        for index, (series, build, _) in enumerate(jobs):
            try:
                built.setdefault(series, []).append((index, build()))
            except Exception as exc:  # delivered to the submitter, which logs it and counts it
                outcomes[index] = exc
        for series, items in built.items():
            try:
                locations = series.append_all([serialized for _, serialized in items])
                outcomes.update((index, Written(serialized, location))
                                for (index, serialized), location in zip(items, locations, strict=True))
            except Exception as exc:  # a failed write: none of these exchanges is written
                outcomes.update((index, exc) for index, _ in items)
        self._deliver(_fire, [(done, outcomes[index]) for index, (_, _, done) in enumerate(jobs)])
