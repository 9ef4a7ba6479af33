"""The Scrapy side of the state store: opens it, keeps each spider's run record, resumes killed jobs.

A run of a spider starts a `RunState`. When the run finishes normally its end time becomes the
spider's `last_finished_at`, and only articles exported before that count as known for list
paging: a crash never hides the pages a dead run did not reach.

With `JOBDIR`, a run in the same job folder as the spider's last run continues that job: its
start time is kept, so pages done since then are not fetched again (see
`ConditionalRequestMiddleware`). When the last run was killed (its record still says `running`),
Scrapy's own queue files, which a SIGKILL leaves inconsistent, are discarded first; a run closed
early but cleanly (`paused`) keeps Scrapy's queue. As with Scrapy, a finished job stays finished:
give each scheduled crawl its own `JOBDIR`.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.state import RunState, StateStore, open_store, utc_now
from crawler.switches import switched_off

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

SCRAPY_JOB_FILES = ("requests.queue", "requests.seen")


class StateExtension:
    """Owns the crawl's `StateStore` and the spider's `RunState`."""

    def __init__(self, store: StateStore, spider: str, jobdir: str | None, stats: StatsCollector,
                 read_only: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.read_only = read_only
        """`STATE_READ_ONLY`: the store is only read (the `page` spider); no component writes to it."""
        if read_only:
            self.run, resumed = RunState(spider=spider, started_at=utc_now()), None
        else:
            self.run, resumed = begin_run(store, spider, jobdir)
        self.resuming = resumed is not None
        if self.resuming:
            stats.set_value("state/resumed_from", self.run.started_at)
        if resumed == "finished":
            logger.info("The job in %s has finished already: nothing left to crawl", jobdir)
            stats.set_value("state/job_already_finished", True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        """Open the store named by `STATE_URI`; `STATE_ENABLED=False` turns state off."""
        settings = crawler.settings
        if not settings.getbool("STATE_ENABLED"):
            raise switched_off("The state store", "STATE_ENABLED=False (every crawl is a full crawl, without versions"
                               " or repost detection)")
        store = open_store(settings.get("STATE_URI"), prefix=settings.get("STATE_REDIS_PREFIX"),
                           durable=settings.getbool("STATE_DURABLE"))
        extension = cls(store, crawler.spidercls.name or "crawl", settings.get("JOBDIR") or None, crawler.stats,
                        read_only=settings.getbool("STATE_READ_ONLY"))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def known(self, canonical_url: str) -> bool:
        """Whether a finished earlier run of this spider exported `canonical_url`."""
        return self.store.known(canonical_url, self.run.spider)

    def done_in_this_run(self, fetched_at: str | None) -> bool:
        """Whether a page last done at `fetched_at` was done by this run (or by the job it resumes)."""
        return fetched_at is not None and fetched_at >= self.run.started_at

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Record how the run ended (unless read-only)."""
        if self.read_only:
            return
        if reason == "finished":
            self.run = replace(self.run, status="finished", last_finished_at=utc_now())
        else:
            self.run = replace(self.run, status="paused")
        self.store.put_run(self.run)

    def engine_stopped(self) -> None:
        """Close the store once every `spider_closed` handler is done (feeds commit their items then)."""
        self.store.close()


def begin_run(store: StateStore, spider: str, jobdir: str | None) -> tuple[RunState, str | None]:
    """The spider's new run, or the job it resumes with that job's last status; drops stale Scrapy queues."""
    previous = store.run(spider)
    last_finished = previous.last_finished_at if previous else None
    resuming = bool(jobdir) and previous is not None and previous.jobdir == jobdir
    if resuming:
        assert previous is not None and jobdir is not None
        if previous.status == "running":
            logger.warning("Resuming the killed job in %s (started %s)", jobdir, previous.started_at)
            discard_scrapy_queue(Path(jobdir))
        run = replace(previous, status="running")
    else:
        run = RunState(spider=spider, started_at=utc_now(), jobdir=jobdir, last_finished_at=last_finished)
    store.put_run(run)
    return run, previous.status if resuming and previous is not None else None


def discard_scrapy_queue(jobdir: Path) -> None:
    """Remove Scrapy's request queue and seen-set of a job killed mid-write: they may be partial."""
    for name in SCRAPY_JOB_FILES:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
