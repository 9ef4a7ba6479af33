"""The processes a replay parses in: `REPLAY_JOBS` workers, or the replay's own process when it is 1.

Workers are forked before the replay reads anything, so they share the project's code and
settings. They scan the WARC files for the index (a whole file each) and then parse batches of
captures (`CaptureParser`), each batch taken by one worker, never two; the results come back in
archive order, with at most `2 * jobs` batches in flight, so memory does not grow with the
archive. Each worker opens the index read-only to find reposts' originals.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from typing import TYPE_CHECKING, Any

from archive.index import ArchiveIndex
from crawler.replay.parse import CaptureParser, Parsed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from multiprocessing.pool import AsyncResult, Pool
    from pathlib import Path

    from scrapy.settings import BaseSettings

    from archive.index import IndexEntry

BATCH = 32
"""Captures per task: large enough that a task's overhead is small, small enough to spread the work."""

_worker_settings: BaseSettings | None = None
_worker_parsers: dict[Path, CaptureParser] = {}


def replay_jobs(settings: BaseSettings) -> int:
    """`REPLAY_JOBS`, or the cores this process may run on when it is 0."""
    jobs = settings.getint("REPLAY_JOBS")
    return jobs if jobs > 0 else len(os.sched_getaffinity(0))


def _start_worker(settings: BaseSettings) -> None:
    global _worker_settings  # one replay per worker process
    _worker_settings = settings
    # The fork copied Scrapy's shutdown handlers, which would keep a worker alive on the pool's SIGTERM;
    # Ctrl-C reaches the whole process group, and the replay's own process handles it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parse_in_worker(db_path: Path, captures: list[IndexEntry]) -> Parsed:
    parser = _worker_parsers.get(db_path)
    if parser is None:
        assert _worker_settings is not None
        parser = _worker_parsers[db_path] = CaptureParser(ArchiveIndex.open(db_path), _worker_settings)
    return parser.parse_batch(captures)


class ReplayWorkers:
    """Parses batches of captures in `jobs` forked processes (in this one when `jobs` is 1)."""

    def __init__(self, jobs: int, settings: BaseSettings) -> None:
        self.jobs = jobs
        self.settings = settings
        self.pool: Pool | None = None
        if jobs > 1:
            self.pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(settings,))

    @property
    def mapper(self) -> Callable[..., Iterable[Any]] | None:
        """An ordered `map` over the workers, for `ArchiveIndex.build` (None: scan in this process)."""
        return self.pool.imap if self.pool is not None else None

    def outputs(self, index: ArchiveIndex, batches: Iterable[list[IndexEntry]]) -> Iterator[Parsed]:
        """The parsed output of each batch, in the order of `batches`."""
        if self.pool is None:
            parser = CaptureParser(index, self.settings)
            yield from (parser.parse_batch(batch) for batch in batches)
            return
        pending: deque[AsyncResult[Parsed]] = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(_parse_in_worker, (index.db_path, batch)))
            if len(pending) >= 2 * self.jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        """Stop the worker processes (their work is done, or no longer wanted)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> ReplayWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
