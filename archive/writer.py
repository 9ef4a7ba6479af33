"""A rotating series of gzip-per-record WARC files.

Files are written as `<name>.warc.gz.open` and renamed to `<name>.warc.gz` when closed; each
opens with a `warcinfo` record. Every append is flushed to the operating system before the
caller learns the record's location, so a crashed process leaves every acknowledged record
readable.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from archive.records import RecordFactory, SerializedExchange

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


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
        self._file: BinaryIO | None = None
        self._name = ""
        self._size = 0
        self._records_in_file = 0

    def now(self) -> datetime:
        """The clock used for file names and warcinfo dates (overridable in tests)."""
        return datetime.now(timezone.utc)

    def file_name(self) -> str:
        """A collision-free name: prefix, timestamp, serial, host, process and a random tag."""
        stamp = self.now().strftime("%Y%m%d%H%M%S%f")[:17]
        host = socket.gethostname().split(".")[0] or "host"
        return f"{self.prefix}-{stamp}-{self.serial:05d}-{host}-{os.getpid()}-{secrets.token_hex(2)}.warc.gz"

    def append(self, exchange: SerializedExchange) -> RecordLocation:
        """Append an exchange's records; returns the location of its response record."""
        size = sum(len(m) for m in exchange.members)
        if self._file is not None and self._records_in_file and self._size + size > self.max_size:
            self.close()
        if self._file is None:
            self._open()
        assert self._file is not None
        offset = self._size
        response_offset = offset + sum(len(m) for m in exchange.members[: exchange.response_index])
        for member in exchange.members:
            self._file.write(member)
        self._file.flush()
        self._size += size
        self.bytes_written += size
        self._records_in_file += len(exchange.members)
        return RecordLocation(self._name, response_offset, exchange.response_record_id)

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._name = self.file_name()
        self.serial += 1
        path = self.directory / (self._name + OPEN_SUFFIX)
        self._file = open(path, "xb")
        info = self.factory.warcinfo(self._name, self.info, self.now())
        self._file.write(info)
        self._file.flush()
        self._size = len(info)
        self.bytes_written += len(info)
        self._records_in_file = 0
        logger.info("Writing WARC file %s", path)

    def close(self) -> None:
        """Close the current file and rename it to its final name."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        self.files_written.append(self._name)
        logger.info("Closed WARC file %s (%d bytes)", final, self._size)
