"""Test helpers for archive/: pinned record factories and series, and HTTP exchanges to archive."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive.records import HttpExchange, RecordFactory
from archive.writer import WarcSeries

MOMENT = datetime(2024, 1, 20, 3, 12, 45, 123456, tzinfo=UTC)
HTML = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>质量基础设施</title></head>"
        "<body><h1>广东省质量基础设施建设大会召开</h1>" + "<p>计量、标准、检验检测、认证认可。</p>" * 40
        + "</body></html>").encode("utf-8")
INFO = {"software": "nqi-crawler/test", "isPartOf": "test", "robots": "obey", "mirror": "no"}


class PinnedFactory(RecordFactory):
    """Record IDs counted from 1, so whole files are reproducible."""

    def __init__(self) -> None:
        self.counter = 0

    def make_record_id(self) -> str:
        self.counter += 1
        return f"<urn:uuid:00000000-0000-4000-8000-{self.counter:012d}>"


class PinnedSeries(WarcSeries):
    """A series with a fixed clock and plain file names."""

    def now(self) -> datetime:
        return MOMENT

    def file_name(self) -> str:
        return f"{self.prefix}-{self.serial:05d}.warc.gz"


class FailingFile:
    """A file object that accepts `budget` bytes, writes part of the next write, then raises ENOSPC."""

    def __init__(self, path: Path, budget: int) -> None:
        self.inner: BinaryIO = open(path, "xb", buffering=0)  # noqa: SIM115 (a file object wrapped, closed by close())
        self.budget = budget

    def write(self, data: bytes | memoryview) -> int:
        if len(data) <= self.budget:
            self.budget -= len(data)
            return self.inner.write(data)
        self.inner.write(bytes(data[: self.budget // 2 + 1]))
        self.budget = 0
        raise OSError(28, os.strerror(28))

    def fileno(self) -> int:
        return self.inner.fileno()

    def close(self) -> None:
        self.inner.close()


def pinned_series(directory: Path, max_size: int = 1 << 30, prefix: str = "test") -> PinnedSeries:
    """A pinned series writing into `directory`."""
    return PinnedSeries(directory, prefix, INFO, max_size, factory=PinnedFactory())


def article_exchange(url: str = "https://www.dutenews.com/n/article/7957291", *, body: bytes = HTML,
                     chunked: bool = True, status: int = 200, reason: str | None = "OK",
                     moment: datetime = MOMENT) -> HttpExchange:
    """An exchange as the download handler sees it: gzip body, headers as received (maybe chunked)."""
    compressed = gzip.compress(body, mtime=0)
    headers = [("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
               ("ETag", '"f41644bfa4c7b5bc"')]
    headers.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(len(compressed))))
    path = "/" + url.split("/", 3)[3]
    return HttpExchange(
        target_uri=url, method="GET", request_path=path,
        request_headers=[("Host", url.split("/")[2]), ("Accept-Encoding", "gzip, deflate")], request_body=b"",
        status=status, reason=reason, response_headers=headers, response_body=compressed, date=moment,
        ip_address="203.0.113.7",
    )


def member_spans(data: bytes) -> list[tuple[int, int]]:
    """(offset, length) of each gzip member of a `.warc.gz` file's bytes."""
    import zlib

    spans, offset = [], 0
    while offset < len(data):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data[offset:])
        length = len(data) - offset - len(decompressor.unused_data)
        spans.append((offset, length))
        offset += length
    return spans


def good_warc(directory: Path, count: int = 4) -> Path:
    """A closed `.warc.gz` of a warcinfo and `count` article exchanges (one gzip member per record)."""
    series = pinned_series(directory)
    for n in range(count):
        series.append(series.factory.exchange(article_exchange(f"https://www.dutenews.com/n/article/{n}")))
    series.close()
    return directory / series.files_written[0]


def chunked(body: bytes, size: int = 1000) -> bytes:
    """`body` in the chunked transfer coding, as it travels on the wire."""
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for piece in pieces) + b"0\r\n\r\n"


def write_foreign_warc(path: Path, captures: list[tuple[str, bytes, str]],
                       content_type: str = "text/html; charset=utf-8", encoding: str = "gzip") -> None:
    """A WARC/1.0 written by warcio alone, the way a proxy recorder stores the wire bytes: each (url, body,
    WARC-Date) as a response whose payload is content-encoded (gzip or deflate) and chunked."""
    import io
    import zlib

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, date in captures:
            encoded = gzip.compress(body, mtime=0) if encoding == "gzip" else zlib.compress(body)
            payload = chunked(encoded)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Encoding", encoding),
                                                  ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), length=len(payload),
                                               http_headers=headers, warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)
