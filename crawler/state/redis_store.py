"""The state store in Redis (`redis://host:port/db`), shared by crawl processes on several machines.

Keys: `<prefix>:page:<url>` and `<prefix>:run:<spider>` hold JSON documents; `<prefix>:band:<i>:<hex>`
are sets of canonical URLs (MinHash LSH bands). Durability is Redis's own (AOF or snapshots).
"""

from __future__ import annotations

import logging

import redis

from crawler.state.base import StateStore

logger = logging.getLogger(__name__)


class RedisStateStore(StateStore):
    """A `StateStore` in a Redis database."""

    def __init__(self, url: str, prefix: str = "nqi:state") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.client.ping()
        logger.debug("State store: Redis at %s, keys %s:*", url, prefix)

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:{kind}:{key}"

    def get_doc(self, kind: str, key: str) -> str | None:
        """The stored document, or None."""
        value = self.client.get(self._key(kind, key))
        return value.decode("utf-8") if value is not None else None

    def put_doc(self, kind: str, key: str, doc: str) -> None:
        """Set a document."""
        self.client.set(self._key(kind, key), doc.encode("utf-8"))

    def _band_key(self, position: int, value: bytes) -> str:
        return self._key("band", f"{position}:{value.hex()}")

    def add_bands(self, key: str, bands: list[bytes]) -> None:
        """Add `key` to each band's set, in one round trip."""
        pipeline = self.client.pipeline()
        for position, value in enumerate(bands):
            pipeline.sadd(self._band_key(position, value), key)
        pipeline.execute()

    def band_matches(self, bands: list[bytes]) -> set[str]:
        """Keys sharing at least one band hash."""
        if not bands:
            return set()
        members = self.client.sunion([self._band_key(position, value) for position, value in enumerate(bands)])
        return {member.decode("utf-8") for member in members}

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()
