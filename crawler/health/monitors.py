"""Spidermon monitors run at the end of every site crawl: layout-drift alarms.

A field whose coverage falls below the site's floor (`Site.floors()`), or too large a share of
parsed pages dropped as unusable, logs an ERROR naming the site and the field, counts
`health/alarms` (which makes `scrapy crawlall` exit non-zero) and records the coverage as
`health/below_floor/<field>` (or `health/invalid_share`). Spiders without a `site` (the `page`
spider, replay) are skipped.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import MonitorSuite
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action
from spidermon.settings import MONITOR

from crawler.health.coverage import invalid_share, judge
from crawler.logs import demote_spidermon_lines

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.parsing.site import Site

logger = logging.getLogger(__name__)

# Spidermon 1.27 logs its monitor results through Spider.log(), which Scrapy 2.19 deprecates:
# one warning per result line otherwise.
warnings.filterwarnings("ignore", r"Spider\.log\(\) is deprecated", ScrapyDeprecationWarning, r"spidermon\.")


class LayoutDriftMonitor(BaseScrapyMonitor):
    """Field coverage and unusable pages against the site's norms."""

    def _site(self) -> Site:
        site = getattr(self.spider, "site", None)
        if site is None:
            self.skipTest(f"{self.spider.name} is not a site spider: no coverage floors")
        return site

    def _alarm(self, stat: str, value: float) -> None:
        self.crawler.stats.inc_value("health/alarms")
        self.crawler.stats.set_value(stat, round(value, 3))

    def test_field_coverage_meets_floors(self) -> None:
        """Every floored field reaches its floor."""
        site = self._site()
        settings = self.crawler.settings
        fields = judge(self.stats, site.floors(), settings.getint("HEALTH_MIN_ITEMS"))
        below = [entry for entry in fields if entry.below_floor]
        for entry in below:
            logger.error(
                "Layout drift on %s: field %s on %.0f%% of items, floor %.0f%%",
                site.name, entry.field, entry.coverage * 100, (entry.floor or 0) * 100,
            )
            self._alarm(f"health/below_floor/{entry.field}", entry.coverage)
        self.assertFalse(below, f"{site.name}: below floor: " + ", ".join(entry.field for entry in below))

    def test_unusable_pages_stay_rare(self) -> None:
        """Pages dropped as unusable (no title, no body, ...) or read by a fallback parser stay under
        `HEALTH_MAX_INVALID_SHARE`."""
        site = self._site()
        invalid, parsed = invalid_share(self.stats)
        limit = self.crawler.settings.getfloat("HEALTH_MAX_INVALID_SHARE")
        share = invalid / parsed if parsed else 0.0
        if share > limit:
            logger.error(
                "Layout drift on %s: %d of %d parsed pages dropped as unusable or read by a fallback parser"
                " (%.0f%%, limit %.0f%%)",
                site.name, invalid, parsed, share * 100, limit * 100,
            )
            self._alarm("health/invalid_share", share)
        self.assertLessEqual(share, limit, f"{site.name}: {invalid} of {parsed} pages unusable")


class HealthSummary(Action):
    """One log line for the monitors' results: INFO when they passed, ERROR naming the failed ones."""

    def run_action(self) -> None:
        """Log the summary; nothing when every monitor skipped the spider (`page`, replay)."""
        results = self.result.monitor_results
        judged = [entry for entry in results if entry.status != MONITOR.STATUS.SKIPPED]
        if not judged:
            return
        failed = self.result.monitors_failed_results
        name = self.data.spider.name
        if failed:
            names = ", ".join(entry.item.name for entry in failed)
            logger.error("Layout-drift monitors on %s: %d of %d failed: %s", name, len(failed), len(judged), names)
        else:
            logger.info("Layout-drift monitors on %s: all %d passed", name, len(judged))


class HealthSuite(MonitorSuite):
    """The monitors run when a spider closes (`SPIDERMON_SPIDER_CLOSE_MONITORS`), with a one-line summary.

    Spidermon writes its results line by line at INFO through the spider's logger; those lines
    go to `LOG_DUMPS_LEVEL` (DEBUG) and `HealthSummary` says the same in one line (its errors
    stay at ERROR).
    """

    monitors: ClassVar[list[type[BaseScrapyMonitor]]] = [LayoutDriftMonitor]
    monitors_finished_actions: ClassVar[list[type[Action]]] = [HealthSummary]

    def __init__(self, *args: Any, crawler: Crawler | None = None, **kwargs: Any) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None and crawler.spidercls.name:
            demote_spidermon_lines(crawler.spidercls.name, crawler.settings.get("LOG_DUMPS_LEVEL"))
