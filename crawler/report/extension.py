"""Scrapy glue of the crawl report: each crawler adds its site's section, the last one to stop writes.

All crawlers of one process (one `scrapy crawl`, or the six of `scrapy crawlall`) share one run
(`crawler.runs.Run`): its report is `report.json` and `report.html` in the run's folder
`RUNS_DIR/<run>/`, `<run>` the UTC start time (`20240126T010500Z`). Sections are taken on
`engine_stopped`, when a crawler's stats are final (the drift monitors and the WARC writer have
run); when the last open crawler of the process stops, the files are written, the run ends and,
with `REPORT_TABLE`, the compact table is printed (to stdout, or to stderr when a feed is written
to stdout), naming the files that hold the run's items; a crawler started after that begins a new run.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, ClassVar

from itemadapter import ItemAdapter
from scrapy import signals

from crawler.report.model import ItemTally, run_report, site_section
from crawler.report.page import render
from crawler.report.table import render_table
from crawler.runs import Run
from crawler.switches import switched_off

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


class ReportRun:
    """The report of one process: the sections of its crawlers and the files they go to."""

    current: ClassVar[ReportRun | None] = None

    def __init__(self, run: Run, table_stream: IO[str] | None) -> None:
        self.run = run
        self.table_stream = table_stream
        self.started = run.started
        self.name = run.name
        self.sections: list[dict[str, Any]] = []
        self.feeds: list[str] = []
        """The feed files of the run's crawlers, unless the command named the run's outputs (`Run.outputs`)."""
        self.open_crawlers = 0

    @classmethod
    def for_process(cls, settings: BaseSettings, table_stream: IO[str] | None) -> ReportRun:
        """The report of the process's run, started by its first crawler."""
        if cls.current is None:
            cls.current = cls(Run.of_process(settings), table_stream)
        return cls.current

    def add_feeds(self, uris: list[str]) -> None:
        """A crawler's feed files (in the order first seen)."""
        self.feeds += [uri for uri in uris if uri not in self.feeds]

    def crawler_opened(self) -> None:
        """One more crawler will add a section."""
        self.open_crawlers += 1

    def crawler_stopped(self, section: dict[str, Any]) -> None:
        """Add a finished crawler's section; when it was the last one open, write the report and end the run
        (a crawler started later in the same process begins a new one)."""
        self.sections.append(section)
        self.open_crawlers -= 1
        if self.open_crawlers == 0:
            self.write()
            self.run.end()
            if ReportRun.current is self:
                ReportRun.current = None

    def write(self) -> None:
        """Write the JSON and HTML files; print the table."""
        from crawler.report.chart import publish_chart  # matplotlib takes ~0.7 s to import: only when writing

        outputs = self.run.outputs or self.feeds
        try:
            self.run.folder.mkdir(parents=True, exist_ok=True)
            report = run_report(self.name, self.started, datetime.now(UTC), self.sections) | {"outputs": outputs}
            json_path, html_path = (self.run.folder / f"report{suffix}" for suffix in (".json", ".html"))
            json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            html_path.write_text(render(report, publish_chart(report["sites"])), encoding="utf-8")
        except OSError:
            logger.error("Could not write the crawl report to %s", self.run.folder, exc_info=True)
            return
        logger.info("Wrote the crawl report %s (and %s)", html_path, json_path.name)
        if self.table_stream is not None:
            print(render_table(report, str(html_path), outputs), file=self.table_stream, flush=True)


class CrawlReport:
    """Counts each exported item's version and publish day; hands the site's section to the run."""

    def __init__(self, crawler: Crawler, run: ReportRun) -> None:
        self.crawler = crawler
        self.run = run
        self.tally = ItemTally()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        """Join the process's run; `REPORT_ENABLED=False` turns the report off."""
        settings = crawler.settings
        if not settings.getbool("REPORT_ENABLED"):
            raise switched_off("The crawl report", "REPORT_ENABLED=False")
        to_stdout = any(str(uri).startswith("stdout:") for uri in settings.getdict("FEEDS"))
        stream = (sys.stderr if to_stdout else sys.stdout) if settings.getbool("REPORT_TABLE") else None
        extension = cls(crawler, ReportRun.for_process(settings, stream))
        extension.run.crawler_opened()
        extension.run.add_feeds([str(uri) for uri in settings.getdict("FEEDS")])
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def item_scraped(self, item: Any) -> None:
        """Count one exported item."""
        fields = ItemAdapter(item)
        self.tally.add(fields.get("version"), fields.get("published_at"))

    def engine_stopped(self) -> None:
        """The crawler's stats are final: build its section."""
        site = getattr(self.crawler.spidercls, "site", None)
        floors = site.floors() if site is not None else {}
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        name = self.crawler.spidercls.name or "crawl"
        min_items = self.crawler.settings.getint("HEALTH_MIN_ITEMS")
        self.run.crawler_stopped(site_section(name, stats, self.tally, floors, min_items))
