"""One real crawl of the bad-input corpus by `scrapy crawl page`, shared by the tests of each case."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.badinput.corpus import corpus_server, start_paths
from tests.badinput.server import MAX_SIZE, CorpusServer
from tests.conftest import run_scrapy

STAT_LINE = re.compile(r"^[{ ]'([^']+)': (-?\d+(?:\.\d+)?)[,}]?$", re.MULTILINE)


@dataclass(frozen=True)
class WarcRecord:
    """One record of the crawl's WARC files (payload length without decoding it)."""

    type: str
    uri: str | None
    status: int | None
    payload: bytes
    truncated: str | None


@dataclass
class Crawl:
    """What a user gets from a crawl: exit code, log, stats, items, rejects, WARC records."""

    returncode: int
    log: str
    out: Path
    server: CorpusServer | None = None

    @property
    def stats(self) -> dict[str, float]:
        """The numeric stats of the final stats dump."""
        dump = self.log.split("Dumping Scrapy stats:", 1)[1]
        return {name: float(value) for name, value in STAT_LINE.findall(dump)}

    def stat(self, name: str) -> float:
        return self.stats.get(name, 0)

    def items(self) -> dict[str, dict[str, Any]]:
        return {item["url"]: item for item in _json_lines(self.out / "items.jsonl")}

    def rejects(self) -> dict[str, dict[str, Any]]:
        return {line["url"]: line for line in _json_lines(self.out / "rejects.jsonl")}

    def warc(self) -> list[WarcRecord]:
        records = []
        for path in sorted((self.out / "warc").glob("*.warc.gz")):
            with open(path, "rb") as stream:
                for record in ArchiveIterator(stream, no_record_parse=False):
                    status = record.http_headers.get_statuscode() if record.rec_type == "response" else None
                    records.append(WarcRecord(record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                              int(status) if status else None, _raw_payload(record),
                                              record.rec_headers.get_header("WARC-Truncated")))
        return records

    def responses(self, url: str) -> list[WarcRecord]:
        """The response records of `url`, in capture order."""
        return [record for record in self.warc() if record.type == "response" and record.uri == url]

    def lines(self, *needles: str) -> list[str]:
        """Log lines that contain every needle."""
        return [line for line in self.log.splitlines() if all(needle in line for needle in needles)]


def _json_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _raw_payload(record: Any) -> bytes:
    """The payload as stored (a gzip body stays compressed: a bomb is not inflated to read it)."""
    return record.raw_stream.read()


def crawl_page(urls: list[str], out: Path, *settings: str) -> Crawl:
    """Run `scrapy crawl page` over `urls` with every output under `out`."""
    args = ["crawl", "page", "-a", f"urls={','.join(urls)}", "-O", str(out / "items.jsonl"),
            "-s", f"WARC_DIR={out / 'warc'}", "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}",
            "-s", f"REPORT_DIR={out / 'reports'}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
    for setting in settings:
        args += ["-s", setting]
    result = run_scrapy(args, timeout=120)
    return Crawl(result.returncode, result.stderr, out)


@pytest.fixture(scope="session")
def corpus() -> Iterator[CorpusServer]:
    """The bad-input corpus server on 127.0.0.1."""
    server = corpus_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def crawl(corpus: CorpusServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """One crawl of every corpus page, as the user would run it (private networks allowed for loopback).

    DOWNLOAD_TIMEOUT is shorter than the default so that the page that never answers times out soon, and
    long enough that no other page times out on a loaded machine while the reactor parses the 2,000-link
    page (about a second of CPU, several seconds of wall time under load: 2 s and 5 s were not).
    """
    result = crawl_page([corpus.url(path) for path in start_paths(corpus)], tmp_path_factory.mktemp("badinput"),
                        "ALLOW_PRIVATE_NETWORKS=True", "DOWNLOAD_TIMEOUT=10", f"DOWNLOAD_MAXSIZE={MAX_SIZE}",
                        "RETRY_AFTER_MAX=5", "LOG_LEVEL=DEBUG")
    result.server = corpus
    return result
