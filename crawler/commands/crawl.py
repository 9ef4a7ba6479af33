"""`scrapy crawl SPIDER`: Scrapy's command, with the project's exit codes and one-line errors (`crawler.cli`).

Scrapy's own `crawl` exits 0 whatever happened to the crawl. This one exits 1 when the crawl
failed (`crawler.health.verdict.site_failed`: it closed for a reason other than `finished`,
such as Ctrl-C, raised errors, got no successful response, or raised a layout-drift alarm),
2 for a usage error (an unknown spider, a bad or unknown `-a` argument, a bad setting) and 75
when another run holds the spider's lock; the spider and its arguments are checked before
anything starts.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.cli import EXIT_FAILED, check_arguments, raise_first, reports_errors, run_crawls, spider_class, stats_of
from crawler.health.verdict import site_failed

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    """Run one spider; the exit code says whether the crawl did its job."""

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Check the spider and its arguments, crawl, set the exit code from the crawl's stats."""
        if len(args) != 1:
            raise UsageError("name one spider: scrapy crawl SPIDER (`scrapy list` names them; "
                             "`scrapy crawlall` runs every site)")
        assert self.crawler_process is not None
        spidercls = spider_class(self.crawler_process, args[0])
        check_arguments(spidercls, opts.spargs, self.settings)
        crawler = self.crawler_process.create_crawler(spidercls)
        raise_first(run_crawls(self.crawler_process, [(crawler, opts.spargs)]))
        failure = site_failed(stats_of(crawler))
        if failure:
            print(f"scrapy crawl: FAILED: {spidercls.name}: {failure}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_FAILED
