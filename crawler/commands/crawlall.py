"""`scrapy crawlall`: every site spider in one process, one JSON-lines export, one summary.

Spiders run concurrently; each writes its items to a part file beside the output, and the parts
are merged into the output in spider order when all have finished (a canonical URL that two
spiders exported, such as an original that a repost led to, is kept once). The exit code is 1
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
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler import locks
from crawler.cli import EXIT_FAILED, check_arguments, raise_first, reports_errors, run_crawls, stats_of
from crawler.health.verdict import site_failed
from crawler.runs import Run
from crawler.sitespider import SiteSpider
from spiders.registry import site_spiders

if TYPE_CHECKING:
    import argparse

    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

JSON_LINES = {"jsonlines", "jl", "jsonl"}
PART_FEED_PRIORITY = 50


def merge_parts(parts: list[Path], output: Path, append: bool) -> int:
    """Concatenate JSON-lines parts into `output`, keeping each canonical URL once; returns lines written."""
    seen: set[str] = set()
    written = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "a" if append else "w", encoding="utf-8") as out:
        for part in parts:
            if not part.exists():
                continue
            for line in part.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                key = json.loads(line).get("canonical_url") or line
                if key in seen:
                    continue
                seen.add(key)
                out.write(line + "\n")
                written += 1
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
            outputs = [(str(run.items_path), False)]
        run.outputs = [path for path, _ in outputs]
        self.settings.set("FEEDS", {}, priority="cmdline")
        parts_dir = Path(outputs[0][0]).with_suffix(".parts")
        crawlers = [Crawler(spider, self._spider_settings(spider.name, parts_dir)) for spider in site_spiders()]
        # A crawler that could not start leaves the part files as they are, to be merged by the next run.
        raise_first(run_crawls(self.crawler_process, [(crawler, opts.spargs) for crawler in crawlers]))
        parts = [parts_dir / f"{crawler.spidercls.name}.jsonl" for crawler in crawlers]
        for output, append in outputs:
            count = merge_parts(parts, Path(output), append)
            logger.info("Wrote %d items to %s", count, output)
        shutil.rmtree(parts_dir, ignore_errors=True)
        if self._report(crawlers):
            self.exitcode = EXIT_FAILED

    def _spider_settings(self, name: str, parts_dir: Path) -> Settings:
        """A spider's settings: its part feed (appended to) and its own job folder under `JOBDIR`."""
        assert self.settings is not None
        settings = self.settings.copy()
        # Above "cmdline": the process merges its own (emptied) FEEDS into each crawler.
        part = parts_dir / f"{name}.jsonl"
        settings.set("FEEDS", {str(part): {"format": "jsonlines", "overwrite": False}}, priority=PART_FEED_PRIORITY)
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

    def _outputs(self) -> list[tuple[str, bool]]:
        """The requested outputs as (path, append); only local JSON-lines files are supported."""
        assert self.settings is not None
        outputs = []
        for uri, options in self.settings.getdict("FEEDS").items():
            if options.get("format") not in JSON_LINES:
                raise UsageError(f"crawlall exports JSON lines; give the output a .jsonl name (got {uri})")
            if "://" in str(uri) and not str(uri).startswith("file://"):
                raise UsageError(f"crawlall writes local files only (got {uri})")
            outputs.append((str(uri).removeprefix("file://"), not options.get("overwrite", False)))
        return outputs

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
