"""The state store in Redis (`redis://host:port/db`), shared by crawl processes on several machines.

Keys: `<prefix>:page:<url>`, `<prefix>:run:<spider>` and `<prefix>:meta:<name>` hold JSON documents;
`<prefix>:band:<i>:<hex>` are sets of canonical URLs (MinHash LSH bands). Durability is Redis's own (AOF or snapshots).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import redis

from crawler.state.base import StateStore

if TYPE_CHECKING:
    from collections.abc import Iterator

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

    def _scan(self, pattern: str) -> Iterator[bytes]:
        """Every key matching `pattern` after the prefix (which is escaped), a SCAN page at a time."""
        yield from self.client.scan_iter(match=_GLOB_SPECIAL.sub(r"\\\1", self.prefix) + pattern, count=1000)

    def keys(self, kind: str) -> Iterator[str]:
        """Every key of `kind`."""
        start = len(self._key(kind, ""))
        for key in self._scan(f":{kind}:*"):
            yield key.decode("utf-8")[start:]

    def delete_docs(self, kind: str, keys: list[str]) -> int:
        """Delete the documents in one round trip."""
        return int(self.client.delete(*[self._key(kind, key) for key in keys])) if keys else 0

    def remove_from_bands(self, keys: list[str]) -> None:
        """Remove the keys from every band set (one SCAN of the band keys, one pipeline)."""
        if not keys:
            return
        pipeline = self.client.pipeline()
        for band in self._scan(":band:*"):
            pipeline.srem(band, *keys)
        pipeline.execute()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()
