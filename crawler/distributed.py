"""Distributed mode: several crawl processes share one Redis request queue, duplicate filter and state.

`REDIS_URL` turns it on (the `DistributedMode` add-on, listed in `ADDONS`): scrapy-redis's
scheduler and duplicate filter take over, the state store moves into the same Redis unless
`STATE_URI` was given, and the per-spider lock is off (several workers of one spider are the
point). Each worker announces itself under `<spider>:worker:<id>` (busy or idle, refreshed every
second, expiring when a worker dies); an idle worker stays open while another is busy, since a
busy worker may still queue requests. The last worker to finish clears the shared queue and
duplicate filter, so tomorrow's run starts afresh; a worker that stops early (killed, paused)
leaves them, and the next workers resume from them.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
WORKER_TTL_SECONDS = 10


class DistributedMode:
    """Add-on: with `REDIS_URL` set, switch scheduler, duplicate filter, state store and locks to Redis."""

    def update_settings(self, settings: Settings) -> None:
        """Rewrite the settings for distributed mode (nothing changes without `REDIS_URL`)."""
        url = settings.get("REDIS_URL")
        if not url:
            return
        # At "project" priority: above the project's own defaults, below `-s` on the command line.
        settings.set("SCHEDULER", "crawler.distributed.SharedScheduler", priority="project")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="project")
        settings.set("SCHEDULER_PERSIST", True, priority="project")
        settings.set("LOCK_ENABLED", False, priority="project")
        if (settings.getpriority("STATE_URI") or 0) <= SETTINGS_PRIORITIES["project"]:
            settings.set("STATE_URI", url, priority="project")


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, closing only when every worker is idle; the last one clears the queue."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        """The scheduler, listening for `spider_idle`."""
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}:{id(scheduler):x}"
        scheduler.heartbeat = LoopingCall(scheduler.beat)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def _worker_key(self, worker: str = "*") -> str:
        return f"{self.spider.name}:worker:{worker}"

    def open(self, spider: Spider) -> Any:
        """Open the shared queue and start announcing this worker."""
        result = super().open(spider)
        self.stats.set_value("distributed/worker", self.worker)
        self.announce(busy=True)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)
        return result

    def announce(self, busy: bool) -> None:
        """Announce this worker as busy or idle for the next few seconds."""
        self.server.set(self._worker_key(self.worker), b"busy" if busy else b"idle", ex=WORKER_TTL_SECONDS)

    def beat(self) -> None:
        """Announce whether the engine has work in progress."""
        try:
            busy = not self.crawler.engine.spider_is_idle()
        except (RuntimeError, AttributeError):  # the engine's slots are not (or no longer) there
            busy = True
        self.announce(busy)

    def others(self) -> dict[str, bytes]:
        """The other live workers of this spider and their state."""
        mine = self._worker_key(self.worker)
        keys = [key for key in self.server.scan_iter(match=self._worker_key()) if key.decode() != mine]
        values = self.server.mget(keys) if keys else []
        return {key.decode(): value for key, value in zip(keys, values, strict=True) if value is not None}

    def spider_idle(self, spider: Spider) -> None:
        """Stay open while another worker is busy: it may still queue requests."""
        self.beat()
        if any(state == b"busy" for state in self.others().values()):
            self.stats.inc_value("distributed/idle_waits")
            raise DontCloseSpider("another worker is busy")

    def close(self, reason: str) -> None:
        """Stop announcing; the last worker to finish clears the shared queue and duplicate filter."""
        if self.heartbeat.running:
            self.heartbeat.stop()
        self.server.delete(self._worker_key(self.worker))
        if reason == "finished" and not self.others():
            logger.info("Last worker of %s to finish: clearing the shared queue and duplicate filter", self.spider.name)
            self.flush()
