"""`scrapy replay FILE_OR_DIR... -O items.jsonl`: items from WARC archives, through the same pipelines, no network.

The archives may come from this crawler or from any other WARC writer (wget, warcprox, Heritrix,
Browsertrix). Every `200` capture of an article URL is parsed by the site spider that owns the
URL, with the parser version in force at the record's WARC-Date (with `--generic`, HTML pages on
hosts no site spider owns go to the generic extractor, as the `page` spider's would); items carry
`warc` (the file as named on the command line, offset, record ID) and `fetched_at` (the WARC-Date). Damaged records
are skipped with a log line and the stat `replay/damaged_records`. The replay keeps its own,
fresh state store (unless `-s STATE_URI=...` names one), so article versions and reposts are
derived from the replayed archives alone. Exit code 1 when the replay failed
(`crawler.health.verdict.replay_failed`: it did not finish normally, raised errors, or could read
no capture from its inputs), 2 for a usage error (`crawler.cli`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from archive.inputs import check_inputs
from crawler.cli import EXIT_FAILED, check_arguments, raise_first, reports_errors, run_crawls, stats_of
from crawler.health.verdict import replay_failed
from crawler.replay.spider import ReplaySpider

if TYPE_CHECKING:
    import argparse


class Command(BaseRunSpiderCommand):
    """Replay WARC files into items."""

    requires_project = True

    def syntax(self) -> str:
        """Usage line."""
        return "FILE_OR_DIR [FILE_OR_DIR ...] [-j N] [--generic] [-O items.jsonl]"

    def short_desc(self) -> str:
        """One-line description for `scrapy -h`."""
        return "Parse the articles held in WARC files (no network)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """`--generic`, besides the options of `scrapy crawl`."""
        super().add_options(parser)
        parser.add_argument("--generic", action="store_true",
                            help="also parse HTML pages on hosts no site spider owns, with the generic extractor")
        parser.add_argument("-j", "--jobs", type=int, metavar="N",
                            help="parse in N worker processes (default: REPLAY_JOBS, 0: the machine's cores)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """`--generic` sets `REPLAY_GENERIC`."""
        super().process_options(args, opts)
        assert self.settings is not None
        if opts.generic:
            self.settings.set("REPLAY_GENERIC", True, priority="cmdline")
        if opts.jobs is not None:
            if opts.jobs < 1:
                raise UsageError(f"-j takes a number of processes, at least 1, not {opts.jobs}")
            self.settings.set("REPLAY_JOBS", opts.jobs, priority="cmdline")

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Replay the named files and folders."""
        if not args:
            raise UsageError("name at least one WARC file or folder: scrapy replay FILE_OR_DIR... -O items.jsonl")
        missing = [arg for arg in args if not Path(arg).exists()]
        if missing:
            raise UsageError(f"no such WARC file or folder: {', '.join(missing)}")
        check_arguments(ReplaySpider, opts.spargs, self.settings)
        check_inputs(args)  # before the workers start: a file that is no WARC is one clear error
        assert self.crawler_process is not None and self.settings is not None
        self.settings.set("REPLAY_WARC", args, priority="cmdline")
        with tempfile.TemporaryDirectory(prefix="nqi-replay-") as scratch:
            # A fresh state store: versions and reposts come from the replayed archives alone
            # (above the project's default, below `-s STATE_URI=...`). It is deleted at the end, so it
            # need not wait for the disk (unless `-s STATE_URI=...` names a store to keep).
            scratch_store = f"sqlite:///{scratch}/state.sqlite3"
            self.settings.set("STATE_URI", scratch_store, priority="spider")
            if self.settings.get("STATE_URI") == scratch_store:
                self.settings.set("STATE_DURABLE", False, priority="spider")
            crawler = self.crawler_process.create_crawler(ReplaySpider)
            raise_first(run_crawls(self.crawler_process, [(crawler, opts.spargs)]))
        failure = replay_failed(stats_of(crawler))
        if failure:
            print(f"scrapy replay: FAILED: {failure}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_FAILED
