"""Local feed files written straight to the operating system, item by item.

Scrapy's `FileFeedStorage` buffers the export in the process; a crawl killed with SIGKILL would
lose the last items while the state store already counts them as exported. This storage opens
the file unbuffered, so an item is in the file (one `write` per JSON line) before the state
store commits it on `item_scraped`.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from scrapy.extensions.feedexport import FileFeedStorage

if TYPE_CHECKING:
    from scrapy import Spider


class UnbufferedFileFeedStorage(FileFeedStorage):
    """`FileFeedStorage` without a user-space buffer."""

    def open(self, spider: Spider) -> IO[bytes]:
        """Open the feed file for appending or overwriting, unbuffered."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, self.write_mode, buffering=0)
