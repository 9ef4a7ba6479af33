"""When an exported item is on disk, so that the state store may count it as exported.

Scrapy's `FileFeedStorage` buffers the export in the process; a crawl killed with SIGKILL would
lose the last items while the state store already counts them as exported. Local feeds here are
opened unbuffered (`UnbufferedFileFeedStorage`): with a line format (JSON lines, CSV) each item is
one `write` to the operating system, in a file that is valid after any line, before the state
store commits it on `item_scraped`.

Every other feed (JSON and XML, which are valid only once closed; stdout; S3, FTP and other
remote storages, which upload when the spider closes; compressed or batched feeds) holds its
items until the feed is stored: those are committed on `feed_exporter_closed`, and only when no
feed failed to store. With no feed at all nothing is committed: the next crawl exports the
articles again.
"""

from __future__ import annotations

import enum
from pathlib import Path, PureWindowsPath
from typing import IO, TYPE_CHECKING
from urllib.parse import urlparse

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings

LINE_FORMATS = frozenset({"jsonlines", "jsonl", "jl", "csv"})
"""Formats whose exporters write one whole item per `write`, leaving a valid file after each."""


class UnbufferedFileFeedStorage(FileFeedStorage):
    """`FileFeedStorage` without a user-space buffer."""

    def open(self, spider: Spider) -> IO[bytes]:
        """Open the feed file for appending or overwriting, unbuffered."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, self.write_mode, buffering=0)


class CommitPoint(enum.Enum):
    """When the state store may count an exported item as done."""

    ON_WRITE = "on_write"
    """Every feed has written the item when `item_scraped` reaches the state store."""
    ON_STORE = "on_store"
    """Some feed holds items until it is stored, when the spider closes."""
    NEVER = "never"
    """No feed: the items are written nowhere."""


def commit_point(settings: BaseSettings) -> CommitPoint:
    """When items exported under these settings are on disk (see the module's docstring)."""
    feeds = settings.getdict("FEEDS")
    if not feeds:
        return CommitPoint.NEVER
    storages = settings.getwithbase("FEED_STORAGES")
    batched = settings.getint("FEED_EXPORT_BATCH_ITEM_COUNT")
    for uri, options in feeds.items():
        written = (
            _unbuffered_local(str(uri), storages)
            and str(options.get("format") or Path(str(uri)).suffix.removeprefix(".")) in LINE_FORMATS
            and not options.get("postprocessing")
            and not (options.get("batch_item_count", batched))
        )
        if not written:
            return CommitPoint.ON_STORE
    return CommitPoint.ON_WRITE


def _unbuffered_local(uri: str, storages: BaseSettings) -> bool:
    """Whether `uri` is a local file that this project's unbuffered storage writes."""
    scheme = "" if PureWindowsPath(uri).drive else urlparse(uri).scheme
    if scheme not in ("", "file") or not storages.get(scheme):
        return False
    storage = load_object(storages[scheme])
    return isinstance(storage, type) and issubclass(storage, UnbufferedFileFeedStorage)
