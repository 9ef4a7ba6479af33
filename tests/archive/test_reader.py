"""Reading damaged WARC files: every intact record, one `Damage` note per damaged stretch."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.reader import Damage, DamagedRecord, OpenArchives, StoredRecord, read_record_at, read_records
from tests.archive.builders import good_warc, member_spans


def split(path: Path) -> tuple[list[StoredRecord], list[Damage]]:
    items = list(read_records(path))
    return [i for i in items if isinstance(i, StoredRecord)], [i for i in items if isinstance(i, Damage)]


def with_member(data: bytes, index: int, transform) -> bytes:  # type: ignore[no-untyped-def]
    """The file's bytes with gzip member `index` decompressed, transformed and recompressed."""
    offset, length = member_spans(data)[index]
    member = transform(gzip.decompress(data[offset:offset + length]))
    return data[:offset] + gzip.compress(member, mtime=0) + data[offset + length:]


def test_a_good_file_reads_whole_with_member_offsets(tmp_path):
    path = good_warc(tmp_path)
    records, damage = split(path)
    assert damage == [] and [r.rec_type for r in records] == ["warcinfo"] + ["response", "request"] * 4
    assert [r.offset for r in records] == [offset for offset, _ in member_spans(path.read_bytes())]
    again = read_record_at(path, records[3].offset)
    assert again.target_uri == records[3].target_uri and again.offset == records[3].offset


def test_a_truncated_file_keeps_every_complete_record(tmp_path):
    path = good_warc(tmp_path)
    data = path.read_bytes()
    last_offset, last_length = member_spans(data)[-1]
    path.write_bytes(data[:last_offset + last_length // 2])
    records, damage = split(path)
    assert len(records) == 8 and [(d.offset, d.reason.split(" (")[0]) for d in damage] == [
        (last_offset, "truncated gzip member")]


def test_a_corrupt_member_in_the_middle_costs_only_that_record(tmp_path):
    path = good_warc(tmp_path)
    data = bytearray(path.read_bytes())
    offset, _ = member_spans(bytes(data))[3]
    data[offset + 20: offset + 40] = b"\x00" * 20
    path.write_bytes(bytes(data))
    records, damage = split(path)
    assert len(records) == 8 and [d.offset for d in damage] == [offset]
    assert "gzip" in damage[0].reason
    with pytest.raises(DamagedRecord):
        read_record_at(path, offset)


@pytest.mark.parametrize("delta", [+40, -40])
def test_a_record_whose_content_length_lies_is_skipped(tmp_path, delta):
    path = good_warc(tmp_path)
    data = path.read_bytes()

    def lie(member: bytes) -> bytes:
        head, _, rest = member.partition(b"Content-Length: ")
        number, _, tail = rest.partition(b"\r\n")
        return head + b"Content-Length: " + str(int(number) + delta).encode() + b"\r\n" + tail

    path.write_bytes(with_member(data, 3, lie))
    records, damage = split(path)
    assert len(records) == 8 and len(damage) == 1 and "Content-Length" in damage[0].reason
    assert damage[0].offset == member_spans(path.read_bytes())[3][0]


def test_a_changed_byte_fails_the_block_digest(tmp_path):
    path = good_warc(tmp_path)
    path.write_bytes(with_member(path.read_bytes(), 4, lambda member: member.replace(b"Accept-Encoding: gzip",
                                                                                      b"Accept-Encoding: gzap")))
    records, damage = split(path)
    assert len(records) == 8 and len(damage) == 1 and "WARC-Block-Digest" in damage[0].reason


def test_an_uncompressed_file_resyncs_at_the_next_record_after_a_lie(tmp_path):
    plain = gzip.decompress(good_warc(tmp_path).read_bytes())
    path = tmp_path / "plain.warc"
    lied = plain.replace(b"Content-Length: 85\r\n", b"Content-Length: 8\r\n", 1)
    assert lied != plain
    path.write_bytes(lied)
    records, damage = split(path)
    assert len(records) == 8 and len(damage) == 1
    assert [r.offset for r in records][:2] == [0, plain.index(b"WARC/1.1", 1)]
    assert read_record_at(path, records[-1].offset).target_uri == records[-1].target_uri


def test_an_empty_file_has_no_records(tmp_path):
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    assert list(read_records(path)) == []


def _resident_file_bytes() -> int:
    """This process's resident memory that maps files (Linux: RssFile of /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssFile:"):
            return int(line.split()[1]) * 1024
    pytest.skip("no RssFile in /proc/self/status (not Linux)")


def _incompressible_warc(path: Path, count: int = 600) -> Path:
    """A `.warc.gz` of `count` responses of 64 KiB of random bytes (about 40 MB for 600)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(count):
            body = os.urandom(64 * 1024)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"http://example.org/{number}", "response",
                                                          payload=io.BytesIO(body), length=len(body),
                                                          http_headers=headers))
    return path


def test_reading_records_here_and_there_keeps_no_part_of_the_file_resident(tmp_path):
    path = _incompressible_warc(tmp_path / "big.warc.gz")
    offsets = [record.offset for record in read_records(path) if isinstance(record, StoredRecord)]
    before = _resident_file_bytes()
    with OpenArchives() as archives:
        for offset in offsets[::8]:  # as a replay worker does at the end of each batch: a read, then a jump
            assert read_record_at(path, offset, None, archives).offset == offset
        grown = _resident_file_bytes() - before
    assert grown < 4 * 1024 * 1024, f"{grown} bytes of the file stayed resident"


def test_scanning_a_file_keeps_little_of_it_resident(tmp_path):
    path = _incompressible_warc(tmp_path / "big.warc.gz")
    before = _resident_file_bytes()
    peak = 0
    for number, record in enumerate(read_records(path)):
        assert isinstance(record, StoredRecord)
        if number % 20 == 0:
            peak = max(peak, _resident_file_bytes() - before)
    assert peak < 16 * 1024 * 1024, f"{peak} bytes of a {path.stat().st_size}-byte file were resident at once"
