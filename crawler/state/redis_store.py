"""The state store in Redis (`redis://host:port/db`), shared by crawl processes on several machines.

Keys: `<prefix>:page:<url>`, `<prefix>:run:<spider>` and `<prefix>:meta:<name>` hold JSON documents;
`<prefix>:band:<i>:<hex>` are sets of canonical URLs (MinHash LSH bands). Durability is Redis's own (AOF or snapshots).
"""

from __future__ import annotations

import logging
import re

import redis

from crawler.state.base import StateStore

logger = logging.getLogger(__name__)

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
"""Characters a Redis MATCH pattern would read as glob syntax in the key prefix."""


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

    def clear_bands(self) -> bool:
        """Delete every band set, a SCAN page of the prefix's band keys at a time."""
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.prefix) + ":band:*"
        cursor, cleared = None, False
        while cursor != 0:
            cursor, keys = self.client.scan(cursor or 0, match=pattern, count=1000)
            if keys:
                cleared = self.client.unlink(*keys) > 0 or cleared
        return cleared

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()
