"""The WARC file series: rotation, names, `.open` files, and a disk that fills up mid-record."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.writer import OPEN_SUFFIX, WarcWriteError
from tests.archive.builders import FailingFile, PinnedSeries, article_exchange, pinned_series

WARCIO = str(Path(sys.executable).parent / "warcio")


def record_types(path: Path) -> list[str]:
    with open(path, "rb") as stream:
        return [record.rec_type for record in ArchiveIterator(stream)]


def write_articles(series, count: int) -> list:  # type: ignore[no-untyped-def]
    return [series.append(series.factory.exchange(article_exchange(f"https://www.dutenews.com/n/article/{n}",
                                                                   body=f"<p>{n}</p>".encode() * (50 + n))))
            for n in range(count)]


def test_rotation_at_max_size_starts_each_file_with_warcinfo(tmp_path):
    series = pinned_series(tmp_path, max_size=3000)
    locations = write_articles(series, 12)
    series.close()
    files = [tmp_path / name for name in series.files_written]
    assert len(files) > 2 and not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    for path in files:
        types = record_types(path)
        assert types[0] == "warcinfo" and types.count("warcinfo") == 1 and len(types) >= 3
        assert path.stat().st_size <= 3000 or types.count("response") == 1
    assert {location.file for location in locations} == set(series.files_written)
    assert subprocess.run([WARCIO, "check", *map(str, files)], capture_output=True).returncode == 0


def test_record_locations_point_at_the_response_records(tmp_path):
    series = pinned_series(tmp_path, max_size=3000)
    locations = write_articles(series, 6)
    series.close()
    for location in locations:
        with open(tmp_path / location.file, "rb") as stream:
            stream.seek(location.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers["WARC-Record-ID"] == location.record_id


def test_the_file_is_open_while_written_and_renamed_on_close(tmp_path):
    series = pinned_series(tmp_path)
    write_articles(series, 1)
    assert [path.name for path in tmp_path.iterdir()] == ["test-00000.warc.gz" + OPEN_SUFFIX]
    series.close()
    assert [path.name for path in tmp_path.iterdir()] == ["test-00000.warc.gz"]


class CollidingSeries(PinnedSeries):
    """Draws the same name twice before a fresh one, as two writers started in the same microsecond might."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.draws = iter(["test-same.warc.gz", "test-same.warc.gz", "test-other.warc.gz"])

    def file_name(self) -> str:
        return next(self.draws)


def test_two_series_of_one_spider_and_run_never_share_a_file(tmp_path):
    first, second = (CollidingSeries(tmp_path, "test", {"software": "test"}, 1 << 30) for _ in range(2))
    write_articles(first, 1)
    write_articles(second, 1)  # its first draws are taken by the first series: it must draw again
    first.close()
    second.close()
    assert first.files_written == ["test-same.warc.gz"] and second.files_written == ["test-other.warc.gz"]
    assert all(record_types(tmp_path / name)[0] == "warcinfo" for name in first.files_written + second.files_written)


def test_real_names_carry_prefix_time_serial_host_process_and_differ_per_series(tmp_path):
    from archive.writer import WarcSeries

    names = {WarcSeries(tmp_path, "nqi-dutenews", {}, 1 << 20).file_name() for _ in range(20)}
    assert len(names) == 20
    assert all(name.startswith("nqi-dutenews-") and name.endswith(".warc.gz") for name in names)


class DiskFullSeries(PinnedSeries):
    """A series whose disk fills up after `budget` bytes."""

    budget = 0

    def open_file(self, path: Path) -> FailingFile:  # type: ignore[override]
        return FailingFile(path, self.budget)


@pytest.mark.parametrize("budget", [100, 300, 2500, 6000])
def test_disk_full_keeps_every_complete_record_and_stops_the_series(tmp_path, budget):
    series = DiskFullSeries(tmp_path, "test", {"software": "test"}, 1 << 30, factory=pinned_series(tmp_path).factory)
    series.budget = budget
    written = []
    with pytest.raises(WarcWriteError) as failure:
        for n in range(50):
            written.append(series.append(series.factory.exchange(article_exchange(f"https://a.example/{n}"))))
    assert failure.value.errno == 28 and failure.value.path == tmp_path / "test-00000.warc.gz"
    assert "test-00000.warc.gz" in str(failure.value)
    path = tmp_path / "test-00000.warc.gz"
    if budget < 200:
        assert not path.exists()  # not even the warcinfo fitted: no empty file is left
        return
    types = record_types(path)
    assert types == ["warcinfo"] + ["response", "request"] * len(written)
    assert subprocess.run([WARCIO, "check", str(path)], capture_output=True).returncode == 0
    with pytest.raises(WarcWriteError):
        series.append(series.factory.exchange(article_exchange()))


class CountingSeries(PinnedSeries):
    """A series that counts the writes it makes to its files."""

    writes = 0

    def open_file(self, path: Path):  # type: ignore[no-untyped-def]
        stream = super().open_file(path)
        series = self

        class Counted:
            def write(self, data):  # type: ignore[no-untyped-def]
                series.writes += 1
                return stream.write(data)

            def __getattr__(self, name):  # type: ignore[no-untyped-def]
                return getattr(stream, name)

        return Counted()


def test_append_all_writes_a_batch_once_per_file_and_rotates_inside_it(tmp_path):
    series = CountingSeries(tmp_path, "test", {"software": "test"}, 20_000, factory=pinned_series(tmp_path).factory)
    exchanges = [series.factory.exchange(article_exchange(f"https://a.example/{n}", body=random.randbytes(6000)))
                 for n in range(6)]
    locations = series.append_all(exchanges)
    series.close()
    assert len(series.files_written) > 1
    assert series.writes == 2 * len(series.files_written)  # its warcinfo, then its share of the batch
    for location, exchange in zip(locations, exchanges, strict=True):
        with open(tmp_path / location.file, "rb") as stream:
            stream.seek(location.offset)
            record = next(iter(ArchiveIterator(stream)))
        assert record.rec_type == "response" and record.rec_headers["WARC-Record-ID"] == exchange.response_record_id


def test_a_batch_whose_write_fails_is_cut_off_whole(tmp_path):
    series = DiskFullSeries(tmp_path, "test", {"software": "test"}, 1 << 30, factory=pinned_series(tmp_path).factory)
    series.budget = 4000
    kept = series.append(series.factory.exchange(article_exchange("https://a.example/kept")))
    batch = [series.factory.exchange(article_exchange(f"https://a.example/{n}")) for n in range(3)]
    with pytest.raises(WarcWriteError):
        series.append_all(batch)
    path = tmp_path / "test-00000.warc.gz"
    assert record_types(path) == ["warcinfo", "response", "request"]
    assert kept.offset < path.stat().st_size
    assert subprocess.run([WARCIO, "check", str(path)], capture_output=True).returncode == 0
