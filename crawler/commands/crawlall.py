"""`scrapy crawlall`: every site spider in one process, one export, one summary.

Spiders run concurrently; each writes its items to a JSON-lines part file beside the output, and
the parts are merged into each output in spider order when all have finished (a canonical URL
that two spiders exported, such as an original that a repost led to, is kept once), through the
exporter of the output's format (`-O items.csv`, `.json`, `.xml`, `.jsonl`: any in
`FEED_EXPORTERS`). Without `-o`/`-O` the output is the run's own `items.jsonl` (`crawler.runs`). The exit code is 1
when a site failed: it did not finish normally, raised errors in its callbacks, got no
successful response, or raised a layout-drift alarm (crawler/health).

Scheduling: crawlall takes every spider's lock first (crawler/locks.py) and refuses to start,
with exit code 75 (EX_TEMPFAIL), while another run of any of them holds one. Part files are
appended to, and removed only once merged, so the items of a killed run reach the output of the
next one. With `JOBDIR`, each spider keeps its job state in `JOBDIR/<spider>`.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.utils.conf import feed_complete_default_values_from_settings
from scrapy.utils.misc import load_object

from crawler import locks
from crawler.cli import EXIT_FAILED, check_arguments, raise_first, reports_errors, run_crawls, stats_of
from crawler.health.verdict import site_failed
from crawler.runs import Run
from crawler.sitespider import SiteSpider
from spiders.registry import site_spiders

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from scrapy.settings import BaseSettings, Settings

logger = logging.getLogger(__name__)

PART_FEED_PRIORITY = 50


@dataclass(frozen=True)
class Output:
    """A file the sites' items are merged into, in any format Scrapy's feed exporters write."""

    path: Path
    append: bool
    options: dict[str, Any]
    """The feed's options as Scrapy completes them (format, encoding, fields, indent, exporter arguments)."""


def unique_items(parts: list[Path]) -> Iterator[dict[str, Any]]:
    """The items of JSON-lines parts in order, each canonical URL once."""
    seen: set[str] = set()
    for part in parts:
        if not part.exists():
            continue
        for line in part.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            key = item.get("canonical_url") or line
            if key not in seen:
                seen.add(key)
                yield item


def merge_parts(parts: list[Path], output: Output, settings: BaseSettings) -> int:
    """Export the parts' items (each canonical URL once) into `output` with its format's exporter; returns the count."""
    exporter_class = load_object(settings.getwithbase("FEED_EXPORTERS")[output.options["format"]])
    options = output.options
    output.path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(output.path, "ab" if output.append else "wb") as file:
        exporter = exporter_class(file, fields_to_export=options["fields"], encoding=options["encoding"],
                                  indent=options["indent"], **options["item_export_kwargs"])
        exporter.start_exporting()
        for item in unique_items(parts):
            exporter.export_item(item)
            written += 1
        exporter.finish_exporting()
    return written


class Command(BaseRunSpiderCommand):
    """Run every site spider of the project in one process."""

    requires_project = True

    def syntax(self) -> str:
        """Usage line."""
        return "[options]"

    def short_desc(self) -> str:
        """One-line description for `scrapy -h`."""
        return "Run every site spider in one process, with one export and one summary"

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Crawl every site, merge the exports, print the summary, set the exit code."""
        if args:
            raise UsageError("crawlall takes no spider names; use `scrapy crawl <spider>` for one site")
        assert self.crawler_process is not None and self.settings is not None
        check_arguments(SiteSpider, opts.spargs, self.settings)
        outputs = self._outputs()
        self._lock_all()
        run = Run.of_process(self.settings)
        if not outputs:  # no -o/-O: the run's own items file
            outputs = [self._output(str(run.items_path), {"format": "jsonlines", "overwrite": True})]
        run.outputs = [str(output.path) for output in outputs]
        self.settings.set("FEEDS", {}, priority="cmdline")
        parts_dir = outputs[0].path.with_suffix(".parts")
        crawlers = [Crawler(spider, self._spider_settings(spider.name, parts_dir)) for spider in site_spiders()]
        # A crawler that could not start leaves the part files as they are, to be merged by the next run.
        raise_first(run_crawls(self.crawler_process, [(crawler, opts.spargs) for crawler in crawlers]))
        parts = [parts_dir / f"{crawler.spidercls.name}.jsonl" for crawler in crawlers]
        for output in outputs:
            count = merge_parts(parts, output, self.settings)
            logger.info("Wrote %d items to %s", count, output.path)
        shutil.rmtree(parts_dir, ignore_errors=True)
        if self._report(crawlers):
            self.exitcode = EXIT_FAILED

    def _spider_settings(self, name: str, parts_dir: Path) -> Settings:
        """A spider's settings: its part feed (appended to) and its own job folder under `JOBDIR`."""
        assert self.settings is not None
        settings = self.settings.copy()
        # Above "cmdline": the process merges its own (emptied) FEEDS into each crawler.
        part = parts_dir / f"{name}.jsonl"
        part_feed = {"format": "jsonlines", "overwrite": False, "encoding": "utf-8"}  # the outputs choose theirs
        settings.set("FEEDS", {str(part): part_feed}, priority=PART_FEED_PRIORITY)
        if settings.get("JOBDIR"):
            settings.set("JOBDIR", str(Path(settings.get("JOBDIR")) / name), priority=PART_FEED_PRIORITY)
        return settings

    def _lock_all(self) -> None:
        """Take every spider's lock (`locks.SpiderLocked` when another run holds one).

        Distributed mode (`REDIS_URL`) runs several workers of a spider on purpose: no locks.
        """
        assert self.settings is not None
        if not self.settings.getbool("LOCK_ENABLED") or self.settings.get("REDIS_URL"):
            return
        for spidercls in site_spiders():
            locks.acquire(self.settings.get("LOCK_DIR"), spidercls.name)

    def _outputs(self) -> list[Output]:
        """The requested outputs: local files, in any format Scrapy has an exporter for (`FEED_EXPORTERS`)."""
        assert self.settings is not None
        return [self._output(str(uri), dict(options)) for uri, options in self.settings.getdict("FEEDS").items()]

    def _output(self, uri: str, options: dict[str, Any]) -> Output:
        assert self.settings is not None
        if "://" in uri and not uri.startswith("file://"):
            raise UsageError(f"crawlall writes local files only (got {uri})")
        formats = sorted(self.settings.getwithbase("FEED_EXPORTERS"))
        if options.get("format") not in formats:
            raise UsageError(f"crawlall cannot write {uri}: the format {options.get('format')!r} is none of "
                             f"{', '.join(formats)}; name the output .jsonl, .csv, .json or .xml")
        path = uri.removeprefix("file://")
        return Output(Path(path), not options.get("overwrite", False),
                      feed_complete_default_values_from_settings(options, self.settings, path))

    def _report(self, crawlers: list[Crawler]) -> list[str]:
        """Print the verdict (the per-site figures are the crawl report's table); return the failed sites."""
        failures = {}
        for crawler in crawlers:
            failure = site_failed(stats_of(crawler))
            if failure:
                failures[crawler.spidercls.name] = failure
        if failures:
            print("crawlall: FAILED: " + "; ".join(f"{name}: {why}" for name, why in failures.items()))
        else:
            print(f"crawlall: all {len(crawlers)} sites finished ok")
        return list(failures)
