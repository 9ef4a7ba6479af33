"""`scrapy diff ARCHIVE… --against old.jsonl`: re-parse archives with today's parsers and compare field by field.

The archives are replayed exactly as `scrapy replay` does (the parser version by each record's
capture date, the same pipelines, no network) into a temporary JSON-lines file, which is then
compared with the earlier export: how many articles changed in which fields, with examples
(`crawler/health/diff.py`). Given JSON-lines exports instead of archives, it compares those
directly. `-O new.jsonl` keeps the re-parsed items; `--json PATH` writes the diff as data;
`--exit-code` exits 1 when anything differs (as `git diff --exit-code`); a failed re-parse exits 1 and a
usage error 2 (`crawler.cli`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import UsageError

from crawler.cli import reports_errors
from crawler.commands.replay import Command as ReplayCommand
from crawler.health.diff import IGNORED_FIELDS, as_json, compare, read_export, render

if TYPE_CHECKING:
    import argparse

EXPORT_SUFFIXES = (".jsonl", ".jl")


class Command(ReplayCommand):
    """Compare a re-parse of archives (or a newer export) with an earlier export."""

    def syntax(self) -> str:
        """Usage line."""
        return "ARCHIVE_OR_DIR [...] --against OLD.jsonl [--examples N] [--ignore FIELD,...] [--json PATH]"

    def short_desc(self) -> str:
        """One-line description for `scrapy -h`."""
        return "Re-parse archives with the current parsers and diff the items against an earlier export"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """The diff's own options besides replay's."""
        super().add_options(parser)
        parser.add_argument("--against", metavar="OLD.jsonl", help="the earlier export to compare with (required)")
        parser.add_argument("--examples", type=int, default=3, metavar="N", help="examples per field (default 3)")
        parser.add_argument("--width", type=int, default=100, metavar="N", help="characters per example value")
        parser.add_argument("--ignore", default="", metavar="FIELD,...",
                            help=f"fields to leave out besides {', '.join(sorted(IGNORED_FIELDS))}")
        parser.add_argument("--json", metavar="PATH", help="also write the diff as JSON to PATH")
        parser.add_argument("--exit-code", action="store_true", help="exit 1 when the exports differ")

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Re-parse (or read) the new side, compare, print."""
        if not opts.against or not Path(opts.against).is_file():
            raise UsageError("give the earlier export with --against OLD.jsonl")
        exports = [arg for arg in args if arg.endswith(EXPORT_SUFFIXES)]
        if exports and len(exports) != len(args):
            raise UsageError("give either archives to re-parse or JSON-lines exports, not both")
        with tempfile.TemporaryDirectory(prefix="nqi-diff-") as scratch:
            new_paths = [Path(path) for path in exports] or self._reparse(args, opts, Path(scratch) / "reparsed.jsonl")
            if self.exitcode:
                return
            diff = compare(read_export([Path(opts.against)]), read_export(new_paths),
                           IGNORED_FIELDS | {name.strip() for name in opts.ignore.split(",") if name.strip()})
        new_name = "the re-parse" if not exports else ", ".join(exports)
        print(render(diff, opts.against, new_name, opts.examples, opts.width))
        if opts.json:
            Path(opts.json).write_text(json.dumps(as_json(diff, opts.examples), ensure_ascii=False, indent=2), "utf-8")
        if opts.exit_code and not diff.empty:
            self.exitcode = 1

    def _reparse(self, args: list[str], opts: argparse.Namespace, target: Path) -> list[Path]:
        """Replay the archives into `target` (and any `-o`/`-O` feed); no report, rejects or run folder of its own
        (unless `-s REPORT_ENABLED=True` / `-s REJECTS_PATH=…` ask for them)."""
        assert self.settings is not None
        feeds = {**self.settings.getdict("FEEDS"), str(target): {"format": "jsonlines", "overwrite": True}}
        self.settings.set("FEEDS", feeds, priority="cmdline")
        self.settings.set("REPORT_ENABLED", False, priority="spider")
        self.settings.set("REJECTS_PATH", str(target.with_name("rejects.jsonl")), priority="spider")
        super().run(args, opts)
        return [target]
