"""Scrapy glue of the crawl report: each crawler adds its site's section, the last one to stop writes.

All crawlers of one process (one `scrapy crawl`, or the six of `scrapy crawlall`) share one run
(`crawler.runs.Run`): its report is `report.json` and `report.html` in the run's folder
`RUNS_DIR/<run>/`, `<run>` the UTC start time (`20240126T010500Z`). Sections are taken on
`engine_stopped`, when a crawler's stats are final (the drift monitors and the WARC writer have
run); when the last open crawler of the process stops, the files are written, the run ends and,
with `REPORT_TABLE`, the compact table is printed (to stdout, or to stderr when a feed is written
to stdout), naming the files that hold the run's items; a crawler started after that begins a new run.
`REPORT_DIR/index.html` then lists every run's report, newest first (`crawler.report.index`).

An item is counted under the site that owns its URL when that site's spider is part of the run (the
original of a repost that another site's spider fetched), else under the spider that exported it.
The report lists every exported article (title, site, publish date, URL, version), newest first.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.report.index import write_index
from crawler.report.model import ItemTally, article_row, run_report, site_section
from crawler.report.page import render
from crawler.report.table import render_table
from crawler.runs import Run
from crawler.switches import switched_off
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteCrawl:
    """What a stopped crawler hands to the run: its site, final stats, coverage floors."""

    name: str
    stats: dict[str, Any]
    floors: dict[str, float]
    min_items: int


class ReportRun:
    """The report of one process: the crawls of its crawlers, their items, and the files they go to."""

    current: ClassVar[ReportRun | None] = None

    def __init__(self, run: Run, index_dir: Path, table_stream: IO[str] | None) -> None:
        self.run = run
        self.index_dir = index_dir
        self.table_stream = table_stream
        self.started = run.started
        self.name = run.name
        self.crawls: list[SiteCrawl] = []
        self.tallies: dict[tuple[str, str], ItemTally] = {}
        """Exported items by (spider that exported them, site that owns their URL)."""
        self.articles: list[dict[str, Any]] = []
        self.feeds: list[str] = []
        """The feed files of the run's crawlers, unless the command named the run's outputs (`Run.outputs`)."""
        self.open_crawlers = 0

    @classmethod
    def for_process(cls, settings: BaseSettings, table_stream: IO[str] | None) -> ReportRun:
        """The report of the process's run, started by its first crawler."""
        if cls.current is None:
            cls.current = cls(Run.of_process(settings), Path(settings.get("REPORT_DIR")), table_stream)
        return cls.current

    def add_feeds(self, uris: list[str]) -> None:
        """A crawler's feed files (in the order first seen)."""
        self.feeds += [uri for uri in uris if uri not in self.feeds]

    def crawler_opened(self) -> None:
        """One more crawler will add a section."""
        self.open_crawlers += 1

    def item_exported(self, spider: str, fields: ItemAdapter) -> None:
        """Count one exported item under its spider and the site owning its URL; list it."""
        owner = spider_for_url(str(fields.get("url") or ""))
        key = (spider, owner.name if owner is not None else spider)
        self.tallies.setdefault(key, ItemTally()).add(fields.get("version"), fields.get("published_at"))
        self.articles.append(article_row(fields, key[1] if owner is not None else str(fields.get("site") or spider)))

    def crawler_stopped(self, crawl: SiteCrawl) -> None:
        """Add a finished crawler; when it was the last one open, write the report and end the run
        (a crawler started later in the same process begins a new one)."""
        if self.add_stopped(crawl):
            self.finish()

    def add_stopped(self, crawl: SiteCrawl) -> bool:
        """Add a finished crawler; whether it was the last one open."""
        self.crawls.append(crawl)
        self.open_crawlers -= 1
        return self.open_crawlers == 0

    def finish(self) -> None:
        """Write the report and end the run."""
        self.write()
        self.run.end()
        if ReportRun.current is self:
            ReportRun.current = None

    def tally_of(self, site: str) -> ItemTally:
        """The items counted under `site`: those it owns, and those its spider exported for a site not in the run."""
        in_run = {crawl.name for crawl in self.crawls}
        tally = ItemTally()
        for (spider, owner), part in self.tallies.items():
            if owner == site or (spider == site and owner not in in_run):
                tally.merge(part)
        return tally

    def sections(self) -> list[dict[str, Any]]:
        """Every crawler's section, with the items counted under its site."""
        return [site_section(crawl.name, crawl.stats, self.tally_of(crawl.name), crawl.floors, crawl.min_items)
                for crawl in self.crawls]

    def write(self) -> None:
        """Write the JSON and HTML files and the index of runs; print the table."""
        from crawler.report.chart import publish_chart  # matplotlib takes ~0.7 s to import: only when writing

        outputs = self.run.outputs or self.feeds
        articles = sorted(self.articles, key=lambda row: row["published_at"] or "", reverse=True)
        try:
            self.run.folder.mkdir(parents=True, exist_ok=True)
            report = run_report(self.name, self.started, datetime.now(UTC), self.sections())
            report |= {"outputs": outputs, "articles": articles}
            json_path, html_path = (self.run.folder / f"report{suffix}" for suffix in (".json", ".html"))
            json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            html_path.write_text(render(report, publish_chart(report["sites"])), encoding="utf-8")
            index = write_index(self.run.root, self.index_dir)
        except OSError:
            logger.error("Could not write the crawl report to %s", self.run.folder, exc_info=True)
            return
        logger.info("Wrote the crawl report %s (and %s); every run: %s", html_path, json_path.name, index)
        if self.table_stream is not None:
            print(render_table(report, str(html_path), outputs), file=self.table_stream, flush=True)


class CrawlReport:
    """Counts each exported item (under its site) for the run; hands the crawler's stats to the run."""

    def __init__(self, crawler: Crawler, run: ReportRun) -> None:
        self.crawler = crawler
        self.run = run

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
        self.run.item_exported(self.crawler.spidercls.name or "crawl", ItemAdapter(item))

    async def engine_stopped(self) -> None:
        """The crawler's stats are final: hand them to the run. The last crawler's report is written in a
        thread (Scrapy waits for it): rendering takes seconds on a busy machine, and a reactor blocked that
        long makes Scrapy's HTTP/1.1 handler fire its close twice (`AlreadyCalledError`)."""
        site = getattr(self.crawler.spidercls, "site", None)
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        crawl = SiteCrawl(self.crawler.spidercls.name or "crawl", dict(stats),
                          site.floors() if site is not None else {}, self.crawler.settings.getint("HEALTH_MIN_ITEMS"))
        if self.run.add_stopped(crawl):
            await maybe_deferred_to_future(deferToThread(self.run.finish))
