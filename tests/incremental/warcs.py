"""Reading test crawls back: WARC records, items, and a crawlall run through a mirror with an overlay."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT
from tests.fixture_pages import read_items  # noqa: F401 (re-exported to the suite's modules)


@dataclass(frozen=True)
class Record:
    """The headers of one WARC record that the tests look at."""

    file: str
    type: str
    uri: str | None
    date: str
    headers: dict[str, str]


def warc_records(warc_dir: Path) -> list[Record]:
    """Every record of every closed WARC file in a folder."""
    records = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                headers = dict(record.rec_headers.headers)
                records.append(Record(path.name, record.rec_type, headers.get("WARC-Target-URI"),
                                      headers["WARC-Date"], headers))
    return records


def crawl_command(out: Path, items: str, *extra: str, overlay: Path | None = None,
                  command: str = "crawlall") -> list[str]:
    """`python -m crawler.mirror run -- scrapy crawlall` into `out`, sharing state, WARCs and locks there."""
    mirror = [sys.executable, "-m", "crawler.mirror"]
    if overlay is not None:
        mirror += ["--overlay", str(overlay)]
    return [*mirror, "run", "--", sys.executable, "-m", "scrapy", command, *extra, "-O", str(out / items),
            "-s", f"WARC_DIR={out / 'warc'}", "-s", f"STATE_URI=sqlite:///{out / 'state.sqlite3'}",
            "-s", f"LOCK_DIR={out / 'locks'}", "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}",
            "-s", "LOG_DUMPS_LEVEL=INFO"]  # the stats dump, read by the tests


def run(command: list[str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run a command from the project root, bounded in time."""
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def warcio_check(warc_dir: Path) -> subprocess.CompletedProcess[str]:
    """`warcio check` over every WARC file of a folder."""
    files = sorted(str(path) for path in warc_dir.glob("*.warc.gz"))
    assert files, f"no WARC files in {warc_dir}"
    return subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", *files],
                          capture_output=True, text=True, timeout=120)
