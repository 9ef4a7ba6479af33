"""The crawl's end of the WARC writer process (`archive/process.py`), driven from the reactor thread.

One writer process serves every spider of a crawl process (`WriterProcess.shared`). The reactor
thread only pickles each exchange onto the process's standard input (Twisted buffers what the pipe
cannot take yet, so the thread never waits) and reads receipts from its standard output; the
records' digests, gzip and file writes run in the other process, on another core, and never hold
this interpreter's GIL. A job's Deferred fires with the `Receipt` once the records were handed to
the operating system, or fails with the reason they were not written.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol

import archive
from archive.process import Attach, Detach, Detached, Failure, FrameReader, Job, LogLine, Receipt, frame

if TYPE_CHECKING:
    from twisted.python.failure import Failure as TwistedFailure

    from archive.capture import Capture
    from archive.records import HttpExchange
    from archive.writer import WarcSeries

logger = logging.getLogger(__name__)

ARCHIVE_ROOT = str(Path(archive.__file__).resolve().parent.parent)
"""The folder holding the `archive` package, put first on the writer process's path (same code as the crawl's)."""


class WriterGone(OSError):
    """The writer process ended while the crawl still needed it (killed, crashed)."""


class WriterProcess(ProcessProtocol):
    """Sends jobs to one writer process and fires their Deferreds with its replies, in order."""

    _shared: ClassVar[WriterProcess | None] = None
    _users: ClassVar[int] = 0

    def __init__(self) -> None:
        from twisted.internet import reactor

        self._reader = FrameReader()
        self._jobs: dict[int, Deferred[Receipt]] = {}
        self._detaching: dict[int, Deferred[Detached]] = {}
        self._numbers = itertools.count()
        self._keys = itertools.count()
        self.gone: WriterGone | None = None
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ARCHIVE_ROOT, os.environ.get("PYTHONPATH")]))}
        reactor.spawnProcess(self, sys.executable, [sys.executable, "-m", "archive.process"], env=env,  # type: ignore[attr-defined]
                             childFDs={0: "w", 1: "r", 2: 2})

    @classmethod
    def shared(cls) -> WriterProcess:
        """The crawl process's writer process (started by its first user; a new one if the last one ended)."""
        if cls._shared is None or cls._shared.gone is not None:
            cls._shared, cls._users = cls(), 0
        cls._users += 1
        return cls._shared

    def release(self) -> None:
        """A user is done with the shared process; after the last one, its input ends and it exits."""
        if self is type(self)._shared:
            type(self)._users -= 1
            if self._users > 0:
                return
            type(self)._shared = None
        if self.gone is None:
            self.transport.closeStdin()  # type: ignore[union-attr]

    def attach(self, series: WarcSeries) -> int:
        """Hand `series` (no file opened yet) to the process; the key of its jobs."""
        key = next(self._keys)
        self._send(Attach(key, series))
        return key

    def submit(self, key: int, exchange: HttpExchange, original: Capture | None) -> Deferred[Receipt]:
        """Queue the records of `exchange` for series `key`, without waiting; fires once they are written."""
        written: Deferred[Receipt] = Deferred()
        if self.gone is not None:
            written.errback(self.gone)
            return written
        number = next(self._numbers)
        self._jobs[number] = written
        self._send(Job(key, number, exchange, original))
        return written

    def detach(self, key: int) -> Deferred[Detached]:
        """Close series `key` once its queued jobs are written; fires with the files it wrote."""
        closed: Deferred[Detached] = Deferred()
        if self.gone is not None:
            closed.callback(Detached(key, [], self.gone))
            return closed
        self._detaching[key] = closed
        self._send(Detach(key))
        return closed

    def _send(self, message: Attach | Job | Detach) -> None:
        self.transport.write(frame(message))  # type: ignore[union-attr]

    def childDataReceived(self, childFD: int, data: bytes) -> None:
        """Replies: fire the Deferred of each job and detach, and log the process's log lines."""
        for reply in self._reader.feed(data):
            if isinstance(reply, Receipt):
                self._jobs.pop(reply.number).callback(reply)
            elif isinstance(reply, Failure):
                self._jobs.pop(reply.number).errback(reply.error)
            elif isinstance(reply, Detached):
                self._detaching.pop(reply.key).callback(reply)
            elif isinstance(reply, LogLine):
                logging.getLogger(reply.logger).log(reply.level, "%s", reply.message)

    def childConnectionLost(self, childFD: int) -> None:
        """The replies end: the process is gone; every job still waiting fails, every detach gets no files."""
        if childFD != 1:
            return
        self.gone = WriterGone(f"the WARC writer process ended with {len(self._jobs)} exchanges unwritten")
        if self._jobs:
            logger.error("%s", self.gone)
        jobs, self._jobs = self._jobs, {}
        for written in jobs.values():
            written.errback(self.gone)
        detaching, self._detaching = self._detaching, {}
        for key, closed in detaching.items():
            closed.callback(Detached(key, [], self.gone))

    def processEnded(self, reason: TwistedFailure) -> None:
        """The process exited (after its output ended)."""
        logger.debug("WARC writer process ended: %s", reason.value)
