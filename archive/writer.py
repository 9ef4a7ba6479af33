"""A rotating series of gzip-per-record WARC files.

Files are written as `<name>.warc.gz.open` and renamed to `<name>.warc.gz` when closed; each
opens with a `warcinfo` record. Every append goes straight to the operating system (no user-space
buffer; the exchanges of one `append_all` in one write) before the caller learns where the records
are, so a crashed process leaves every acknowledged record readable. When a write fails (disk
full, file too large, I/O error) the file is cut back to its last complete record, closed under
its final name, and the series refuses further appends: `WarcWriteError` names the file.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive.records import RecordFactory, SerializedExchange

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
NAME_ATTEMPTS = 8


class WarcWriteError(OSError):
    """Writing to a WARC file failed; the file holds every record completed before the failure."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, f"cannot write WARC file {path}: {cause.strerror or cause}")
        self.path = path
        self.cause = cause

    def __reduce__(self) -> tuple[type[WarcWriteError], tuple[Path, OSError]]:
        """Pickled as its path and cause (it travels from the writer process to the crawl)."""
        return type(self), (self.path, self.cause)


@dataclass(frozen=True)
class RecordLocation:
    """Where a record lies: the file's final name (relative to the WARC folder), offset, ID."""

    file: str
    offset: int
    record_id: str


class WarcSeries:
    """Appends serialized records to WARC files of one series, rotating at `max_size` bytes."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        prefix: str,
        info: dict[str, str],
        max_size: int,
        factory: RecordFactory | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.info = info
        self.max_size = max_size
        self.factory = factory or RecordFactory()
        self.serial = 0
        self.files_written: list[str] = []
        self.bytes_written = 0
        self.failed: WarcWriteError | None = None
        self._file: BinaryIO | None = None
        self._name = ""
        self._size = 0
        self._records_in_file = 0

    def now(self) -> datetime:
        """The clock used for file names and warcinfo dates (overridable in tests)."""
        return datetime.now(UTC)

    def file_name(self) -> str:
        """A collision-free name: prefix, timestamp, serial, host, process and a random tag."""
        stamp = self.now().strftime("%Y%m%d%H%M%S%f")[:17]
        host = socket.gethostname().split(".")[0] or "host"
        return f"{self.prefix}-{stamp}-{self.serial:05d}-{host}-{os.getpid()}-{secrets.token_hex(2)}.warc.gz"

    def open_file(self, path: Path) -> BinaryIO:
        """Create `path` for writing, unbuffered; fails if it exists (overridable in tests)."""
        return open(path, "xb", buffering=0)

    @property
    def current_path(self) -> Path | None:
        """The file being written (with its `.open` suffix), if any."""
        return self.directory / (self._name + OPEN_SUFFIX) if self._file is not None else None

    def append(self, exchange: SerializedExchange) -> RecordLocation:
        """Append an exchange's records; returns the location of its response record."""
        return self.append_all([exchange])[0]

    def append_all(self, exchanges: list[SerializedExchange]) -> list[RecordLocation]:
        """Append the records of several exchanges, in order, in one write per file; the locations of
        their response records. When a write fails, none of these exchanges counts as written."""
        if self.failed is not None:
            raise self.failed
        locations: list[RecordLocation] = []
        pending: list[bytes] = []
        pending_size = 0
        for exchange in exchanges:
            size = sum(len(m) for m in exchange.members)
            if self._file is not None and self._records_in_file and self._size + pending_size + size > self.max_size:
                self._write(b"".join(pending))
                pending, pending_size = [], 0
                self.close()
            if self._file is None:
                self._open()
            offset = self._size + pending_size + sum(len(m) for m in exchange.members[: exchange.response_index])
            locations.append(RecordLocation(self._name, offset, exchange.response_record_id))
            pending += exchange.members
            pending_size += size
            self._records_in_file += len(exchange.members)
        self._write(b"".join(pending))
        return locations

    def _write(self, data: bytes) -> None:
        """Write all of `data` at the end of the current file, or cut the file back and fail."""
        assert self._file is not None
        view = memoryview(data)
        try:
            while view:
                written = self._file.write(view)
                view = view[written or 0:]
        except OSError as exc:
            self._fail(exc)
        self._size += len(data)
        self.bytes_written += len(data)

    def _fail(self, cause: OSError) -> None:
        path = self.current_path
        assert self._file is not None and path is not None
        self.failed = WarcWriteError(path.with_name(self._name), cause)
        try:
            os.ftruncate(self._file.fileno(), self._size)
        except OSError:
            logger.error("Could not cut %s back to its last complete record at %d bytes", path, self._size,
                         exc_info=True)
        self.close()
        raise self.failed from cause

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for _ in range(NAME_ATTEMPTS):
            self._name = self.file_name()
            try:
                self._file = self.open_file(self.directory / (self._name + OPEN_SUFFIX))
                break
            except FileExistsError:
                logger.debug("WARC file name %s is taken; drawing another", self._name)
        else:
            raise FileExistsError(f"no free WARC file name in {self.directory} after {NAME_ATTEMPTS} attempts")
        self.serial += 1
        self._size = 0
        self._records_in_file = 0
        self._write(self.factory.warcinfo(self._name, self.info, self.now()))
        logger.info("Writing WARC file %s", self.current_path)

    def close(self) -> None:
        """Close the current file and rename it to its final name."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        final = self.directory / self._name
        if self._size == 0:
            os.remove(self.directory / (self._name + OPEN_SUFFIX))
            return
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        self.files_written.append(self._name)
        logger.info("Closed WARC file %s (%d bytes)", final, self._size)
