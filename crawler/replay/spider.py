"""The spider behind `scrapy replay`: every archived article capture, parsed by its site's parser.

The spider makes no requests. Its `start` indexes the `REPLAY_WARC` archives (on disk: see
`archive.index`), walks the index in archive order, and sends the captures worth parsing, in
batches, to `REPLAY_JOBS` worker processes (`crawler.replay.workers`), which call the crawl's own
components on them (`crawler.replay.parse`). The items come back in archive order, a repost's
original just before the repost, and `start` yields them to the item pipelines, so versions,
repost detection, rejects and the export run once, in this process, in archive order: the
output is the same for any number of workers. With `REDIS_URL` set, several replay processes
share the batches of one archive (`crawler.replay.shared`), each parsing the ones it claims.

Only `200` responses of article URLs become items (with `REPLAY_GENERIC`, also HTML pages on
hosts no site spider owns, through the generic extractor); the rest are counted under
`replay/skipped/<reason>` (see `crawler.replay.choice`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy import signals
from tqdm import tqdm

from archive.index import warc_files
from crawler.arguments import ArgumentSpider
from crawler.replay import archive_for, show_progress
from crawler.replay.choice import NO_SPIDER_HOSTS, host_of, skip_reason, skipped_note
from crawler.replay.shared import BatchClaims
from crawler.replay.workers import BATCH, ReplayWorkers, replay_jobs
from crawler.report.model import NOTE_STAT

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from archive.index import ArchiveIndex, IndexEntry

logger = logging.getLogger(__name__)


class ReplaySpider(ArgumentSpider):
    """Parses every article capture of the `REPLAY_WARC` archives (it takes no `-a` arguments)."""

    name = "replay"
    custom_settings: ClassVar[dict[str, Any]] = {
        # Nothing is requested: the archives are read by the workers, not by the downloader.
        "DOWNLOADER_MIDDLEWARES": {"crawler.replay.middleware.ArchiveReplayMiddleware": None},
        "ROBOTSTXT_OBEY": False,
        "STATE_CONDITIONAL": False,  # no server to ask "changed since?": every capture is parsed
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._no_spider_hosts: set[str] = set()
        self._claims: BatchClaims | None = None

    async def start(self) -> AsyncIterator[Any]:
        """The items of the archives' captures, in archive order."""
        self.crawler.signals.connect(self._tell_skipped, signal=signals.spider_closed)
        with ReplayWorkers(replay_jobs(self.settings), self.settings) as workers:
            self.crawler.stats.set_value("replay/jobs", workers.jobs)
            index = archive_for(self.crawler, mapper=workers.mapper)
            progress = tqdm(total=len(index), unit="page", desc="replaying",
                            disable=not show_progress(self.settings.getbool("REPLAY_PROGRESS")))
            batches = self._batches(index, progress)
            self._claims = BatchClaims.from_settings(self.settings, warc_files(self.settings.getlist("REPLAY_WARC")))
            if self._claims is not None:
                batches = self._claims.mine(batches)
            with progress:
                for parsed in workers.outputs(index, batches):
                    for key, count in parsed.stats.items():
                        self.crawler.stats.inc_value(key, count)
                    for item in parsed.items:
                        yield item

    def _batches(self, index: ArchiveIndex, progress: tqdm) -> Iterator[list[IndexEntry]]:
        """The captures worth parsing, `BATCH` at a time, counting the others by reason."""
        batch: list[IndexEntry] = []
        for capture in self._wanted(index, progress):
            batch.append(capture)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _wanted(self, captures: Iterable[IndexEntry], progress: tqdm) -> Iterator[IndexEntry]:
        stats, generic = self.crawler.stats, self.settings.getbool("REPLAY_GENERIC")
        stats.set_value("replay/article_captures", 0)
        for capture in captures:
            progress.update(1)
            reason = skip_reason(capture, generic)
            if reason is None:
                stats.inc_value("replay/article_captures")
                yield capture
                continue
            stats.inc_value(f"replay/skipped/{reason}")
            if reason == "no_spider":
                self._no_spider_hosts.add(host_of(capture.url))

    def _tell_skipped(self) -> None:
        """Say how many captures no site spider could parse, and how to parse them (and, shared, how many
        batches this process parsed)."""
        if self._claims is not None:
            self.crawler.stats.set_value("replay/shared_batches", self._claims.claimed)
        self.crawler.stats.set_value(NO_SPIDER_HOSTS, len(self._no_spider_hosts))
        note = skipped_note(self.crawler.stats.get_stats())
        if note:
            self.crawler.stats.set_value(NOTE_STAT, f"skipped {note}")
            logger.warning("Skipped %s", note)
