"""One run per spider at a time: an exclusive `flock` on `LOCK_DIR/<spider>.lock`.

The operating system releases the lock when the holder exits, however it exits (SIGKILL too), so
a stale lock file never blocks the next run. The file holds the holder's pid for the message.
Locks are re-entrant within a process: `scrapy crawlall` takes every spider's lock before it
starts, and each crawler's `SpiderLockExtension` then finds its lock already held.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.switches import switched_off

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_held: dict[Path, int] = {}
"""Lock files this process holds, with their descriptors."""


class SpiderLocked(RuntimeError):
    """Another process holds the spider's lock: a run of that spider is in progress."""

    def __init__(self, spider: str, path: Path, holder: str) -> None:
        super().__init__(f"another run of {spider!r} holds {path} (pid {holder or 'unknown'}); not starting")
        self.spider = spider


def lock_path(directory: str | os.PathLike[str], spider: str) -> Path:
    """The lock file of a spider."""
    return (Path(directory) / f"{spider}.lock").resolve()


def acquire(directory: str | os.PathLike[str], spider: str) -> Path:
    """Take the spider's lock (no wait), or raise `SpiderLocked`; returns the lock file."""
    path = lock_path(directory, spider)
    if path in _held:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        raise SpiderLocked(spider, path, holder) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    _held[path] = fd
    return path


def release(path: Path) -> None:
    """Give a lock up (the file stays; it is only ever locked, never deleted)."""
    fd = _held.pop(path, None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class SpiderLockExtension:
    """Holds the spider's lock for the crawl; a crawl whose spider is locked does not start."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpiderLockExtension:
        """Take the lock (raising `SpiderLocked` when held elsewhere); `LOCK_ENABLED=False` turns it off."""
        if not crawler.settings.getbool("LOCK_ENABLED"):
            raise switched_off("The spider lock", "LOCK_ENABLED=False")
        path = acquire(crawler.settings.get("LOCK_DIR"), crawler.spidercls.name or "crawl")
        extension = cls(path)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        """Release the lock when the crawl is over."""
        release(self.path)
