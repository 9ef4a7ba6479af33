"""Answering a crawl from WARC archives instead of the network (`REPLAY_WARC`, `scrapy replay`).

`archive_for(crawler)` indexes the archives named by `REPLAY_WARC` once per crawl and shares the
index between the downloader middleware that answers requests from it and the replay spider.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import signals
from tqdm import tqdm

from archive.index import ArchiveIndex, warc_files

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from scrapy.crawler import Crawler

    from archive.reader import Damage

logger = logging.getLogger(__name__)

_indexes: WeakKeyDictionary[Crawler, ArchiveIndex] = WeakKeyDictionary()


def show_progress(settings_flag: bool) -> bool:
    """Whether to draw progress bars: asked for, and stderr is a terminal."""
    return settings_flag and sys.stderr.isatty()


def archive_for(crawler: Crawler, mapper: Callable[..., Iterable[Any]] | None = None) -> ArchiveIndex:
    """The index of the crawl's `REPLAY_WARC` archives, built on first use (its files are closed with the spider).

    `mapper` (an ordered `map` over worker processes) scans the files in parallel."""
    if crawler not in _indexes:
        _indexes[crawler] = _build(crawler, mapper)
        crawler.signals.connect(_indexes[crawler].close, signal=signals.spider_closed)
    return _indexes[crawler]


def _build(crawler: Crawler, mapper: Callable[..., Iterable[Any]] | None) -> ArchiveIndex:
    stats = crawler.stats
    assert stats is not None
    files = warc_files(crawler.settings.getlist("REPLAY_WARC"))
    total = sum(path.stat().st_size for path, _ in files)
    progress = tqdm(total=total, unit="B", unit_scale=True, desc="indexing WARCs",
                    disable=not show_progress(crawler.settings.getbool("REPLAY_PROGRESS")))

    def damaged(damage: Damage) -> None:
        logger.warning("Skipping a damaged record in %s at offset %d: %s", damage.file, damage.offset, damage.reason)
        stats.inc_value("replay/damaged_records")

    with progress:
        index = ArchiveIndex.build(files, on_damage=damaged, on_file=lambda path: progress.update(path.stat().st_size),
                                   mapper=mapper)
    stats.set_value("replay/files", len(files))
    stats.set_value("replay/captures", len(index))
    logger.info("Indexed %d captures in %d WARC files (%d damaged stretches)",
                len(index), len(files), len(index.damage))
    return index
