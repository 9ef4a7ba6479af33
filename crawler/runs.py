"""Runs: every crawl, replay or page run has its own folder, `RUNS_DIR/<run>/`.

The folder holds what belongs to that run alone: `items.jsonl` (when the command names no `-o`/`-O`
feed), `rejects.jsonl` (unless `REJECTS_PATH` names a file) and the report (`report.json`,
`report.html`). `<run>` is the UTC start time, `20260107T194500Z`, with `-2`, `-3`… when several runs
start within one second; the folder is reserved when the run begins, so no two runs share it.

All crawlers of one process (one `scrapy crawl`, the six of `scrapy crawlall`) share one run. The
crawl report ends it when the last crawler stops (a crawler started after that begins a new run)
and points `RUNS_DIR/latest` at it: `latest/items.jsonl` is always the newest run's export.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

ITEMS_NAME = "items.jsonl"
LATEST_NAME = "latest"


class Run:
    """One run: its name (the UTC start time) and its folder, shared by the crawlers of the process."""

    current: ClassVar[Run | None] = None

    def __init__(self, root: Path, started: datetime) -> None:
        self.root = root
        self.started = started
        self.name, self.folder = reserve(root, started.strftime("%Y%m%dT%H%M%SZ"))
        self.outputs: list[str] = []
        """Files the run's items go to, when a command knows them better than the crawlers' `FEEDS` (crawlall)."""

    @classmethod
    def of_process(cls, settings: BaseSettings) -> Run:
        """The process's current run, begun (and its folder reserved) by the first component that asks."""
        if cls.current is None:
            cls.current = cls(Path(settings.get("RUNS_DIR")), datetime.now(UTC))
        return cls.current

    @property
    def items_path(self) -> Path:
        """Where the run's items go when no feed is named."""
        return self.folder / ITEMS_NAME

    def end(self) -> None:
        """The run is over: `latest` points at it, and the next crawler of the process begins a new run."""
        point_latest(self.root, self.name)
        if Run.current is self:
            Run.current = None


def reserve(root: Path, base: str) -> tuple[str, Path]:
    """A fresh run folder `root/<base>` (or `<base>-2`, `-3`…), created so that no other run takes it."""
    root.mkdir(parents=True, exist_ok=True)
    serial = 1
    while True:
        name = base if serial == 1 else f"{base}-{serial}"
        try:
            (root / name).mkdir()
        except FileExistsError:
            serial += 1
            continue
        return name, root / name


def point_latest(root: Path, name: str) -> None:
    """Make `root/latest` a relative symbolic link to `name`, replaced in one rename (never missing)."""
    link, scratch = root / LATEST_NAME, root / f".{LATEST_NAME}-{os.getpid()}"
    try:
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()
        scratch.symlink_to(name, target_is_directory=True)
        os.replace(scratch, link)
    except OSError:
        logger.warning("Could not point %s at the run %s", link, name, exc_info=True)


class DefaultFeed:
    """Add-on: a command that names no feed (`-o`/`-O`, `FEEDS`) exports to its run's `items.jsonl`.

    Without a feed Scrapy writes the items nowhere, while the state store would count them as done."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Set `FEEDS` to the run's items file when nothing else names a feed."""
        if settings.getdict("FEEDS") or settings.get("FEED_URI"):
            return
        path = Run.of_process(settings).items_path
        settings.set("FEEDS", {str(path): {"format": "jsonlines"}}, priority="addon")
