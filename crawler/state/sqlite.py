"""The default state store: one SQLite file (`sqlite:///data/state.sqlite3`), for one machine.

Write-ahead logging lets several crawl processes on the machine share the file; every write is
its own committed transaction, so a killed crawl loses nothing it had acknowledged. A store opened
not `durable` (`STATE_DURABLE=False`: `scrapy replay`'s scratch store) never waits for the disk,
so a power cut, not a killed process, may lose its last writes.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.state.base import StateStore

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,"
        " PRIMARY KEY (kind, key))"
    ),
    (
        "CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, hash BLOB NOT NULL, key TEXT NOT NULL,"
        " PRIMARY KEY (band, hash, key))"
    ),
)


def band_query(count: int) -> str:
    """The keys under any of `count` (band, hash) pairs: one primary-key search per pair (SQLite's
    OR optimization; a row-value `IN (VALUES ...)` would scan the whole table)."""
    return "SELECT key FROM bands WHERE " + " OR ".join(["(band = ? AND hash = ?)"] * count)


CHECKPOINT_PAGES = 10_000
"""WAL pages (4 KiB each) after which a commit copies the log into the database file (`wal_autocheckpoint`).

A checkpoint syncs the log and the file to disk and runs in whichever commit crosses the limit, on the
reactor thread. Each article is several commits (the staged capture, nine LSH bands in nine places of
the band index, the export), so SQLite's default of 1,000 pages made a checkpoint every 30 articles or
so, and the crawl waited for the disk (docs/performance.md). With 10,000 the log grows to about 40 MiB
before a checkpoint, and a page written many times in between is copied once. Commits themselves are
not synced either way: a killed crawl loses nothing; for a durable store a power cut may roll back the
commits since the last checkpoint, and the next crawl then exports those articles again."""


class SqliteStateStore(StateStore):
    """A `StateStore` in one SQLite file."""

    def __init__(self, path: str | Path, timeout: float = 30.0, durable: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute(f"PRAGMA synchronous={'NORMAL' if durable else 'OFF'}")
        self.connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
        for statement in SCHEMA:
            self.connection.execute(statement)
        logger.debug("State store: SQLite file %s", self.path)

    def get_doc(self, kind: str, key: str) -> str | None:
        """The stored document, or None."""
        row = self.connection.execute("SELECT doc FROM docs WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return row[0] if row else None

    def put_doc(self, kind: str, key: str, doc: str) -> None:
        """Insert or replace a document (autocommit: durable on return)."""
        self.connection.execute(
            "INSERT INTO docs (kind, key, doc) VALUES (?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc",
            (kind, key, doc),
        )

    def add_bands(self, key: str, bands: list[bytes]) -> None:
        """Index `key` under its band hashes, in one transaction."""
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT OR IGNORE INTO bands (band, hash, key) VALUES (?, ?, ?)",
                [(position, value, key) for position, value in enumerate(bands)],
            )

    def band_matches(self, bands: list[bytes]) -> set[str]:
        """Keys sharing at least one band hash (one query for all bands)."""
        if not bands:
            return set()
        parameters = [part for position, value in enumerate(bands) for part in (position, value)]
        return {row[0] for row in self.connection.execute(band_query(len(bands)), parameters)}

    def clear_bands(self) -> bool:
        """Delete every band row."""
        return self.connection.execute("DELETE FROM bands").rowcount > 0

    def keys(self, kind: str) -> Iterator[str]:
        """Every key of `kind`, in key order."""
        rows = self.connection.execute("SELECT key FROM docs WHERE kind = ? ORDER BY key", (kind,)).fetchall()
        return (row[0] for row in rows)

    def delete_docs(self, kind: str, keys: list[str]) -> int:
        """Delete the documents in one transaction."""
        with self.connection:
            self.connection.execute("BEGIN")
            return sum(self.connection.execute("DELETE FROM docs WHERE kind = ? AND key = ?", (kind, key)).rowcount
                       for key in keys)

    def remove_from_bands(self, keys: list[str]) -> None:
        """Delete the keys' band rows in one transaction."""
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany("DELETE FROM bands WHERE key = ?", [(key,) for key in keys])

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
