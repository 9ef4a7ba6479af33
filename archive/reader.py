"""Reading WARC files that may be damaged: every intact record, and a `Damage` note for the rest.

Works on gzip-per-record files (`.warc.gz`, what this crawler, wget, Heritrix and warcprox write)
and on uncompressed `.warc` files, told apart by their first bytes. A gzip member that does not
decompress, a file cut off in the middle of a record, or a record whose `Content-Length` or
`WARC-Block-Digest` does not match its bytes is reported as `Damage` (file, offset, reason);
reading resumes at the next gzip member or the next `WARC/` header line, so one bad record never
costs the others. Intact records are parsed by warcio.
"""

from __future__ import annotations

import base64
import hashlib
import io
import mmap
import os
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
END_OF_RECORD = b"\r\n\r\n"
CHUNK = 1 << 16
FAULT_REACH = 4 << 20
"""How far before a range reading on may have mapped pages again (see `forget_pages`)."""
FORGET_STRIDE = 4 << 20
"""How far a scan reads on between two `forget_pages` calls."""
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_BLOCK_DIGEST = re.compile(rb"^warc-block-digest:[ \t]*([A-Za-z0-9-]+):([A-Za-z0-9=+/]+)[ \t]*\r?$",
                           re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Damage:
    """A stretch of a WARC file that holds no readable record."""

    file: str
    offset: int
    reason: str


@dataclass
class StoredRecord:
    """One intact record: the file (as the caller named it), its offset, and warcio's parse of it."""

    file: str
    offset: int
    record: ArcWarcRecord

    def header(self, name: str) -> str | None:
        """A WARC header of the record."""
        return self.record.rec_headers.get_header(name)

    @property
    def rec_type(self) -> str:
        """`response`, `request`, `revisit`, `warcinfo`, ..."""
        return self.record.rec_type

    @property
    def target_uri(self) -> str:
        """The record's WARC-Target-URI ('' when it has none)."""
        return self.header("WARC-Target-URI") or ""


class NotAWarcFile(ValueError):
    """A file that does not start as a WARC file does: neither a `WARC/1.x` header nor a gzip member holding one."""


def _not_a_warc(name: str, start: bytes) -> NotAWarcFile:
    return NotAWarcFile(f"{name} is not a WARC file (it starts with {start[:16]!r})")


def check_warc_start(data: bytes | mmap.mmap, name: str) -> None:
    """Raise `NotAWarcFile` unless `data` starts as a WARC file (an empty file passes: it holds no record).

    A gzip member that does not decompress is left to the reader, which reports it as damage.
    """
    if not data or data[:len(WARC_MAGIC)] == WARC_MAGIC:
        return
    if data[:3] != GZIP_MAGIC:
        raise _not_a_warc(name, bytes(data[:16]))
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        head = decompressor.decompress(data[:CHUNK], len(WARC_MAGIC))
    except zlib.error:
        return
    if len(head) == len(WARC_MAGIC) and head != WARC_MAGIC:
        raise _not_a_warc(name, head)


class DamagedRecord(Exception):
    """The record at a given offset cannot be read."""

    def __init__(self, damage: Damage) -> None:
        super().__init__(f"{damage.file} at offset {damage.offset}: {damage.reason}")
        self.damage = damage


def read_records(path: str | Path, label: str | None = None) -> Iterator[StoredRecord | Damage]:
    """Every record of a WARC file in order, with `Damage` notes where records could not be read.

    Raises `NotAWarcFile`, before anything else, for a file that is no WARC file at all.
    """
    name = label if label is not None else str(path)
    with open(path, "rb") as stream:
        if stream.seek(0, io.SEEK_END) == 0:
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            check_warc_start(data, name)
            if data[:3] != GZIP_MAGIC:
                yield from _records_in(data, name, 0, single_member=False)
                return
            for member_offset, member in _gzip_members(data):
                if isinstance(member, str):
                    yield Damage(name, member_offset, member)
                else:
                    yield from _records_in(member, name, member_offset, single_member=True)


def read_record_at(path: str | Path, offset: int, label: str | None = None,
                   archives: OpenArchives | None = None) -> StoredRecord:
    """The record starting at `offset` (a gzip member's offset for `.warc.gz`); `DamagedRecord` if unreadable.

    `archives` keeps files open between calls (reading many records); without it the file is
    opened for this record alone. The record is read with `os.pread`, not through a memory map: a
    map keeps what a read faulted in resident (kernels map readahead and whole large folios around a
    read, up to megabytes), so a replay worker reading a record here and there would grow with the archive.
    """
    name = label if label is not None else str(path)
    if archives is None:
        with OpenArchives(limit=1) as once:
            return read_record_at(path, offset, label, once)
    archive = archives.open(Path(path))
    if archive.gzip:
        member = _decompress_member(archive.read, offset, archive.size)
        if isinstance(member, str):
            raise DamagedRecord(Damage(name, offset, member))
        block = member[0]
    else:
        block = _uncompressed_record(archive.read, offset, archive.size)
        end, problem = _record_end(block, 0)
        if problem is not None:
            raise DamagedRecord(Damage(name, offset, problem))
        block = block[:end + len(END_OF_RECORD)]
    for item in _records_in(block, name, offset, single_member=True):
        if isinstance(item, Damage):
            raise DamagedRecord(item)
        item.offset = offset
        return item
    raise DamagedRecord(Damage(name, offset, "no record at this offset"))


@dataclass(frozen=True)
class OpenArchive:
    """A WARC file open for reading records at offsets."""

    descriptor: int
    size: int
    gzip: bool

    def read(self, position: int, count: int) -> bytes:
        """Up to `count` bytes at `position` (fewer at the file's end)."""
        return os.pread(self.descriptor, count, position)


class OpenArchives:
    """The WARC files read last (at most `limit` open at once), closed by `close()`."""

    def __init__(self, limit: int = 16) -> None:
        self.limit = limit
        self._open: OrderedDict[Path, OpenArchive] = OrderedDict()

    def open(self, path: Path) -> OpenArchive:
        """`path`, opened on first use."""
        if path in self._open:
            self._open.move_to_end(path)
            return self._open[path]
        descriptor = os.open(path, os.O_RDONLY)
        archive = OpenArchive(descriptor, os.fstat(descriptor).st_size, os.pread(descriptor, 3, 0) == GZIP_MAGIC)
        self._open[path] = archive
        while len(self._open) > self.limit:
            os.close(self._open.popitem(last=False)[1].descriptor)
        return archive

    def close(self) -> None:
        """Close every file."""
        while self._open:
            os.close(self._open.popitem()[1].descriptor)

    def __enter__(self) -> OpenArchives:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _uncompressed_record(read: Callable[[int, int], bytes], offset: int, size: int) -> bytes:
    """The bytes from `offset` to the end of the record there as its header tells (the rest of the file, or
    what its header lets be found, when the record is damaged: `_record_end` then says why)."""
    block = read(offset, CHUNK)
    while block and END_OF_RECORD not in block and offset + len(block) < size:
        block = read(offset, 2 * len(block))
    header_end = block.find(END_OF_RECORD)
    length = _CONTENT_LENGTH.search(block[:header_end + 2]) if header_end >= 0 else None
    if length is None:
        return block
    needed = header_end + 2 * len(END_OF_RECORD) + int(length.group(1))
    return block if len(block) >= needed else read(offset, needed)


def forget_pages(data: mmap.mmap | bytes, start: int, end: int) -> None:
    """Take the mapped pages of `data[start:end]`, and the `FAULT_REACH` bytes before it, out of this process's
    resident memory once they are read.

    The pages stay in the kernel's page cache (a later read maps them again at no disk cost), but
    they no longer count in the process's RSS: reading a whole archive keeps memory flat. A page fault
    maps pages around the faulting one too (a whole large folio on recent kernels, about 1 MiB here),
    behind it as well as ahead, so pages already given back come back as the reading goes on: the
    range given back reaches `FAULT_REACH` behind `start`. A scan calls this every `FORGET_STRIDE`
    bytes (a call per record made the scan 15% slower)."""
    if not isinstance(data, mmap.mmap) or not hasattr(mmap, "MADV_DONTNEED"):
        return
    start = max(0, start - FAULT_REACH)
    first = start - start % mmap.PAGESIZE
    last = min(end, len(data))
    if last > first:
        data.madvise(mmap.MADV_DONTNEED, first, last - first)


def _gzip_members(data: mmap.mmap) -> Iterator[tuple[int, bytes | str]]:
    """(offset, decompressed member or why it is unreadable) for each gzip member, resyncing after damage."""
    position = forgotten = 0
    while position < len(data):
        member = _decompress_member(lambda at, count: data[at:at + count], position, len(data))
        if isinstance(member, str):
            yield position, member
            following = data.find(GZIP_MAGIC, position + 1)
            if following < 0:
                return
            position = following
            continue
        content, size = member
        yield position, content
        position += size
        if position - forgotten >= FORGET_STRIDE:
            forget_pages(data, forgotten, position)
            forgotten = position


def _decompress_member(read: Callable[[int, int], bytes], start: int, size: int) -> tuple[bytes, int] | str:
    """The decompressed bytes and compressed size of the gzip member at `start` of a file of `size` bytes
    that `read(position, count)` reads, or why it cannot be read."""
    if read(start, 3) != GZIP_MAGIC:
        return "not the start of a gzip member"
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts, fed = [], start
    try:
        while not decompressor.eof and fed < size:
            chunk = read(fed, CHUNK)
            fed += len(chunk)
            parts.append(decompressor.decompress(chunk))
    except zlib.error as exc:
        return f"corrupt gzip member ({exc})"
    if not decompressor.eof:
        return "truncated gzip member (the file ends inside it)"
    return b"".join(parts), fed - start - len(decompressor.unused_data)


def _records_in(block: bytes | mmap.mmap, name: str, block_offset: int,
                single_member: bool) -> Iterator[StoredRecord | Damage]:
    """The records of a decompressed gzip member (offset: the member's) or of an uncompressed file (mapped:
    its pages are given back as the reading goes)."""
    position = forgotten = 0
    while position < len(block):
        if isinstance(block, mmap.mmap) and position - forgotten >= FORGET_STRIDE:
            forget_pages(block, forgotten, position)
            forgotten = position
        offset = block_offset if single_member else block_offset + position
        end, problem = _record_end(block, position)
        if problem is None:
            problem = _check_block_digest(block, position, end)
        if problem is not None:
            yield Damage(name, offset, problem)
            position = _next_warc_header(block, position + 1)
            continue
        yield StoredRecord(name, offset, _parse(bytes(block[position:end])))
        position = end + len(END_OF_RECORD)
        while block[position:position + 2] == b"\r\n":
            position += 2


def _record_end(block: bytes | mmap.mmap, start: int) -> tuple[int, str | None]:
    """The end of the record's block (before its closing CRLF CRLF), or why the record is damaged."""
    if block[start:start + len(WARC_MAGIC)] != WARC_MAGIC:
        return start, "no WARC record header here"
    header_end = block.find(END_OF_RECORD, start)
    if header_end < 0:
        return start, "the record's header is cut off"
    length = _CONTENT_LENGTH.search(block[start:header_end + 2])
    if length is None:
        return start, "the record has no Content-Length"
    end = header_end + len(END_OF_RECORD) + int(length.group(1))
    if end + len(END_OF_RECORD) > len(block):
        return start, "the record is shorter than its Content-Length (cut off, or Content-Length lies)"
    if block[end:end + len(END_OF_RECORD)] != END_OF_RECORD:
        return start, "the record does not end where its Content-Length says (Content-Length lies)"
    return end, None


def _check_block_digest(block: bytes | mmap.mmap, start: int, end: int) -> str | None:
    """Why the record's WARC-Block-Digest does not match its block, or None (also when it has none)."""
    header_end = block.find(END_OF_RECORD, start) + len(END_OF_RECORD)
    declared = _BLOCK_DIGEST.search(block[start:header_end])
    if declared is None:
        return None
    algorithm, value = declared.group(1).decode().lower().replace("-", ""), declared.group(2).decode()
    if algorithm not in hashlib.algorithms_available:
        return None
    digest = hashlib.new(algorithm, block[header_end:end]).digest()
    if value in (base64.b32encode(digest).decode(), digest.hex(), base64.b16encode(digest).decode(),
                 base64.b64encode(digest).decode()):
        return None
    return f"WARC-Block-Digest {declared.group(1).decode()}:{value} does not match the record's bytes"


def _next_warc_header(block: bytes | mmap.mmap, start: int) -> int:
    """The position of the next line starting a WARC record header at or after `start`, else the end."""
    found = block.find(b"\n" + WARC_MAGIC, start - 1)
    return found + 1 if found >= 0 else len(block)


def _parse(record_bytes: bytes) -> ArcWarcRecord:
    return ArcWarcRecordLoader().parse_record_stream(io.BytesIO(record_bytes + END_OF_RECORD))
