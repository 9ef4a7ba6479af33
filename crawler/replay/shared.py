"""One archive's replay shared between processes, on one machine or several, through Redis (`REDIS_URL`).

Every process indexes the archives itself and cuts the captures worth parsing into the same
batches: the same archives, in the same order, give the same batches. A process claims the next
batch number with one Redis `INCR` on a key named after the archives (their file names and sizes,
not their paths, so that machines mounting a shared folder at different places agree); it parses
the batches it claimed and skips the others. Every batch, so every record, is parsed by exactly
one process. The key expires `REPLAY_REDIS_TTL` seconds after the last claim: the processes of
one replay run at the same time, and a later replay of the same archives starts afresh.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, TypeVar

import redis

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from scrapy.settings import BaseSettings

T = TypeVar("T")
KEY_PREFIX = "nqi:replay:claims:"


def archive_key(files: Iterable[tuple[Path, str]]) -> str:
    """The Redis key of a set of WARC files: a digest of their names and sizes, in order."""
    digest = hashlib.sha1()
    for path, _ in files:
        digest.update(f"{path.name}\0{path.stat().st_size}\n".encode())
    return KEY_PREFIX + digest.hexdigest()


class BatchClaims:
    """The batches this process claims of a replay shared through Redis."""

    def __init__(self, server: redis.Redis, key: str, ttl: int) -> None:
        self.server = server
        self.key = key
        self.ttl = ttl
        self.claimed = 0

    @classmethod
    def from_settings(cls, settings: BaseSettings, files: Iterable[tuple[Path, str]]) -> BatchClaims | None:
        """Claims in the Redis of `REDIS_URL`; None when it is not set (the replay is this process's alone)."""
        url = settings.get("REDIS_URL")
        if not url:
            return None
        return cls(redis.Redis.from_url(url), archive_key(files), settings.getint("REPLAY_REDIS_TTL"))

    def mine(self, batches: Iterable[T]) -> Iterator[T]:
        """The batches this process claims, in order; the others are left to the other processes."""
        wanted = self._claim()
        for number, batch in enumerate(batches):
            if number == wanted:
                self.claimed += 1
                yield batch
                wanted = self._claim()

    def _claim(self) -> int:
        """The next unclaimed batch number (0-based)."""
        with self.server.pipeline() as pipe:
            pipe.incr(self.key)
            pipe.expire(self.key, self.ttl)
            number, _ = pipe.execute()
        return int(number) - 1
