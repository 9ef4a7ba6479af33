"""A crawl killed with SIGKILL loses no acknowledged WARC record.

A record is acknowledged when the WARC writer process has reported where it lies: its bytes were
handed to the operating system, and only then does the response go on to the spider. Every item
and state-store entry that names a record comes after that. The tests kill a real crawl of the
synthetic mirror in mid-flight, alone or together with its writer process, and find the record of
every exported item at the file and offset the item names (after `.open` recovery when the writer
died too).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.recover import recover_open_files
from crawler.bench.server import LeanMirror
from crawler.bench.synth import generate
from tests.conftest import ROOT, isolated_state
from tests.interop.conftest import output_settings

SPIDER = "dutenews"
KILL_AFTER_ITEMS = 5


@pytest.fixture(scope="module")
def synthetic_mirror(tmp_path_factory):
    """The synthetic mirror (3 list pages of 20 articles per site) on a lean loopback server."""
    manifest = generate(tmp_path_factory.mktemp("mirror") / "mirror", lists_per_site=3)
    server = LeanMirror(manifest.root).start()
    yield server
    server.stop()


def exported_items(path: Path) -> list[dict]:
    """The complete lines of a feed a killed crawl was writing."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if line.endswith("\n")]


def writer_pid(crawl_pid: int) -> int:
    """The WARC writer process among the crawl's children."""
    children = Path(f"/proc/{crawl_pid}/task/{crawl_pid}/children").read_text().split()
    for child in map(int, children):
        if "archive.process" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
            return child
    raise AssertionError(f"no WARC writer process among {children}")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"


def crawl_and_kill(out: Path, mirror_url: str, kill_writer: bool) -> tuple[list[dict], int]:
    """Start a slowed-down crawl, SIGKILL it (and its writer when `kill_writer`) once some items are exported;
    the exported items and the writer's pid."""
    items = out / "items.jsonl"
    args = ["crawl", SPIDER, "-a", "max_pages=3", "-o", f"{items}:jsonlines", *output_settings(out),
            "-s", f"MIRROR_URL={mirror_url}", "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "LOG_LEVEL=INFO"]
    command = [sys.executable, "-m", "scrapy", *args, *isolated_state(args)]
    with open(out / "crawl.log", "w") as log:
        crawl = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                 stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(exported_items(items)) < KILL_AFTER_ITEMS:
            assert crawl.poll() is None, (out / "crawl.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the crawl exported too few items in time"
            time.sleep(0.02)
        writer = writer_pid(crawl.pid)
        if kill_writer:
            os.killpg(crawl.pid, signal.SIGKILL)
        else:
            crawl.send_signal(signal.SIGKILL)
        assert crawl.wait(timeout=30) == -signal.SIGKILL
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while not gone(writer):
        assert time.monotonic() < deadline, "the writer process outlived its crawl"
        time.sleep(0.05)
    return exported_items(items), writer


def response_records(warc_dir: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(file, offset) -> (record ID, target URI) of every response record of the closed files."""
    records = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if record.rec_type == "response":
                    records[(path.name, iterator.get_record_offset())] = (
                        record.rec_headers["WARC-Record-ID"], record.rec_headers["WARC-Target-URI"])
    return records


def assert_every_item_has_its_record(items: list[dict], warc_dir: Path) -> None:
    records = response_records(warc_dir)
    assert len(items) >= KILL_AFTER_ITEMS
    for item in items:
        warc = item["warc"]
        assert records[(warc["file"], warc["offset"])] == (warc["record_id"], item["url"])


def test_a_killed_crawl_leaves_its_writer_to_finish_and_loses_no_acknowledged_record(tmp_path, synthetic_mirror):
    items, _ = crawl_and_kill(tmp_path, synthetic_mirror.url, kill_writer=False)
    warc_dir = tmp_path / "warc"
    assert not list(warc_dir.glob("*.open"))  # the writer wrote what it had and closed its file
    assert_every_item_has_its_record(items, warc_dir)


def test_a_crawl_killed_with_its_writer_loses_no_acknowledged_record_after_recovery(tmp_path, synthetic_mirror):
    items, _ = crawl_and_kill(tmp_path, synthetic_mirror.url, kill_writer=True)
    warc_dir = tmp_path / "warc"
    assert list(warc_dir.glob("*.open"))  # the writer died with its file open
    recovered = recover_open_files(warc_dir, f"nqi-{SPIDER}")
    assert recovered and all(each.final_path is not None for each in recovered)
    assert_every_item_has_its_record(items, warc_dir)
