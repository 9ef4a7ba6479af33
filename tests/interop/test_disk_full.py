"""The disk fills up while a crawl writes its WARC: the crawl stops cleanly and loses no written record."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT, isolated_state
from tests.interop.conftest import final_stats, output_settings

WARCIO = str(Path(sys.executable).parent / "warcio")
FILE_SIZE_LIMIT = 16_000
"""Bytes any file of the crawl may grow to: the kernel refuses a write past it (EFBIG), as a full disk would
(ENOSPC)."""


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_a_failing_warc_write_closes_the_spider_and_keeps_every_written_record(tmp_path, mirror):
    args = ["crawl", "dutenews", "-o", "-:jsonlines", *output_settings(tmp_path),
            "-s", f"MIRROR_URL={mirror.url}", "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "REPORT_ENABLED=False",
            "-s", "STATE_ENABLED=False"]  # the SQLite state store would hit the file size limit first
    command = [sys.executable, "-m", "scrapy", *args, *isolated_state(args)]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=300, preexec_fn=limit_file_size)
    stats = final_stats(result.stderr)
    assert stats["finish_reason"] == "warc_write_error" and stats["warc/write_errors"] == 1
    [warc] = list((tmp_path / "warc").iterdir())
    assert warc.name.endswith(".warc.gz")  # closed under its final name
    assert f"WARC write to {warc} failed" in result.stderr
    assert subprocess.run([WARCIO, "check", str(warc)], capture_output=True).returncode == 0
    with open(warc, "rb") as stream:
        iterator = ArchiveIterator(stream)
        responses = {iterator.get_record_offset(): record.rec_headers["WARC-Record-ID"]
                     for record in iterator if record.rec_type == "response"}
    assert warc.stat().st_size <= FILE_SIZE_LIMIT and len(responses) >= 2
    items = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert items  # some articles were archived and exported before the disk filled up
    for item in items:  # and none without its record
        assert responses[item["warc"]["offset"]] == item["warc"]["record_id"]
