"""Recovering `.warc.gz.open` files a killed writer left: cut back to the last complete record, renamed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.records import HttpExchange
from archive.recover import complete_prefix, recover_file, recover_open_files, writer_is_gone
from archive.writer import OPEN_SUFFIX, WarcSeries
from tests.incremental.warcs import warcio_check


def exchange(number: int) -> HttpExchange:
    body = f"<html><body>page {number}</body></html>".encode() * 50
    return HttpExchange(f"https://example.com/{number}", "GET", f"/{number}", [("Host", "example.com")], b"",
                        200, [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], body,
                        datetime(2024, 1, 1, tzinfo=UTC))


def killed_file(folder: Path, records: int) -> tuple[Path, list[int]]:
    """A series file as a killed writer leaves it: still `.open`, ends of each exchange noted."""
    series = WarcSeries(folder, "nqi-test", {"software": "test"}, max_size=1 << 30)
    ends = []
    for number in range(records):
        series.append(series.factory.exchange(exchange(number)))
        ends.append(series.current_path.stat().st_size)
    path = series.current_path
    series._file.close()  # the process dies: no rename
    return path, ends


def record_types(path: Path) -> list[str]:
    with open(path, "rb") as stream:
        return [record.rec_type for record in ArchiveIterator(stream)]


def test_a_file_cut_inside_a_record_keeps_every_complete_record(tmp_path):
    path, ends = killed_file(tmp_path, 3)
    with open(path, "r+b") as stream:
        stream.truncate(ends[1] + (ends[2] - ends[1]) // 3)  # inside the third exchange's response record
    assert complete_prefix(path) == ends[1]
    result = recover_file(path)
    assert result.final_path == path.with_name(path.name.removesuffix(OPEN_SUFFIX)) and not path.exists()
    assert result.kept == ends[1] and result.cut > 0
    assert record_types(result.final_path) == ["warcinfo", "response", "request", "response", "request"]
    assert warcio_check(tmp_path).returncode == 0


def test_a_complete_file_is_only_renamed_and_an_empty_one_removed(tmp_path):
    path, ends = killed_file(tmp_path, 2)
    assert recover_file(path).cut == 0 and (tmp_path / path.name.removesuffix(OPEN_SUFFIX)).stat().st_size == ends[-1]
    empty = tmp_path / "nqi-test-x.warc.gz.open"
    empty.write_bytes(b"\x1f\x8b\x08")
    assert recover_file(empty).final_path is None and not empty.exists()


def test_only_files_of_dead_writers_on_this_host_are_recovered(tmp_path):
    mine, _ = killed_file(tmp_path, 1)
    assert not writer_is_gone(mine)  # this process still runs
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          timeout=30)
    dead = mine.with_name(mine.name.replace(f"-{os.getpid()}-", f"-{gone.stdout.strip()}-"))
    os.rename(mine, dead)
    other_series = tmp_path / "nqi-other-20240101-00000-host-1-abcd.warc.gz.open"
    other_series.write_bytes(dead.read_bytes())
    recovered = recover_open_files(tmp_path, "nqi-test")
    assert [r.open_path for r in recovered] == [dead] and other_series.exists()
