"""WARC records for one HTTP exchange, serialized with warcio (gzip per record).

Plain Python: nothing here imports Scrapy. The Scrapy glue turns a request/response pair into
an `HttpExchange`; `RecordFactory` turns it into the bytes of a `response` (or `revisit`) record
and a `request` record linked by `WARC-Concurrent-To`. Record IDs, digests and the warcinfo
date are small overridable methods, so tests can pin them and compare whole files.
"""

from __future__ import annotations

import io
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from archive.http import RawStatusAndHeaders, ascii_uri, reason_phrase, stored_headers

WARC_VERSION = "WARC/1.1"


class RevisitProfile(str, Enum):
    """The WARC/1.1 revisit profiles this crawler writes."""

    IDENTICAL_PAYLOAD_DIGEST = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass
class HttpExchange:
    """One HTTP request and the response to it, as sent and received.

    `response_headers` are the headers as received, in order; `response_body` is the body as
    received with any transfer coding removed (content codings kept). `truncated` names why
    the body is incomplete (`length`, `time`, `disconnect`), if it is.
    """

    target_uri: str
    method: str
    request_path: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes
    date: datetime
    reason: str | None = None
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    truncated: str | None = None
    extra_warc_headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CaptureRef:
    """An earlier capture a revisit record refers to: its URI, WARC-Date, record ID and payload digest."""

    target_uri: str
    warc_date: str
    record_id: str
    payload_digest: str


@dataclass
class SerializedExchange:
    """The gzip members of an exchange's records, in write order, and the response record's ID."""

    members: list[bytes]
    response_index: int
    response_record_id: str
    warc_date: str


class DigestMismatch(ValueError):
    """An identical-payload-digest revisit whose payload does not match the capture it refers to."""


def warc_date(moment: datetime) -> str:
    """WARC/1.1 date: UTC, microseconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_RecordBuilder = Callable[[WARCWriter, HttpExchange, str, str], ArcWarcRecord]
"""Builds the response-side record of an exchange from a writer, the exchange, its record ID and WARC-Date."""


class _Writer(WARCWriter):
    """warcio's writer (uncompressed: the factory compresses) with the factory's digest algorithm."""

    def __init__(self, buffer: io.BytesIO, make_digester: Callable[[], Digester]) -> None:
        super().__init__(buffer, gzip=False, warc_version=WARC_VERSION)
        self._make_digester = make_digester

    def _create_digester(self) -> Digester:  # type: ignore[override]
        return self._make_digester()

    @staticmethod
    def _iter_stream(stream):  # type: ignore[no-untyped-def, override]
        """The payload in one piece (it is in memory): one digest update and one write instead of one
        per 16 KiB, so the writer thread takes the GIL back a few times per record, not dozens."""
        data = stream.read()
        if data:
            yield data


GZIP_LEVEL = 3
"""Default gzip level of a record. Measured on 40-60 KiB article pages (docs/performance.md):
level 3 costs 0.35 ms a page against 0.59 ms at level 9 (warcio's fixed level), for files 12%
larger (20.6% of the raw bytes against 18.4%); levels 1-3 cost about the same."""


def gzip_member(data: bytes, level: int) -> bytes:
    """`data` as one gzip member (the same framing warcio writes), compressed at `level`."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()


class RecordFactory:
    """Builds gzip-compressed WARC records with warcio, one gzip member per record at `gzip_level`."""

    digest_algorithm = "sha1"
    gzip_level = GZIP_LEVEL

    def __init__(self, gzip_level: int | None = None) -> None:
        if gzip_level is not None:
            self.gzip_level = gzip_level

    def make_record_id(self) -> str:
        """A fresh `<urn:uuid:…>` record ID."""
        return f"<urn:uuid:{uuid.uuid4()}>"

    def make_digester(self) -> Digester:
        """A digester for block and payload digests (`sha1:` base32 by default)."""
        return Digester(self.digest_algorithm)

    def payload_digest(self, body: bytes) -> str:
        """The `WARC-Payload-Digest` value of a response body as this factory writes it."""
        digester = self.make_digester()
        digester.update(body)
        return str(digester)

    def serialize(self, build: Callable[[WARCWriter], ArcWarcRecord]) -> bytes:
        """Serialize one record (built by `build` from a writer) into one gzip member."""
        buffer = io.BytesIO()
        writer = _Writer(buffer, self.make_digester)
        writer.write_record(build(writer))
        return gzip_member(buffer.getvalue(), self.gzip_level)

    def warcinfo(self, filename: str, info: dict[str, str], moment: datetime) -> bytes:
        """The `warcinfo` record that opens a file."""

        def build(writer: WARCWriter) -> ArcWarcRecord:
            record = writer.create_warcinfo_record(filename, info)
            record.rec_headers.replace_header("WARC-Record-ID", self.make_record_id())
            record.rec_headers.replace_header("WARC-Date", warc_date(moment))
            return record

        return self.serialize(build)

    def exchange(self, exchange: HttpExchange) -> SerializedExchange:
        """The `response` and `request` records of one exchange, linked by WARC-Concurrent-To."""
        return self._pair(exchange, self._response_record)

    def revisit(self, exchange: HttpExchange, original: CaptureRef, profile: RevisitProfile) -> SerializedExchange:
        """A `revisit` record (HTTP headers only) and the `request` record of an unchanged capture.

        `exchange` is the new exchange as received: for `IDENTICAL_PAYLOAD_DIGEST` its body must
        have the payload digest of `original` (else `DigestMismatch`); for `SERVER_NOT_MODIFIED`
        it is the `304` response. The revisit names the original's URI, date and record ID and
        carries its payload digest.
        """
        if profile is RevisitProfile.IDENTICAL_PAYLOAD_DIGEST:
            digest = self.payload_digest(exchange.response_body)
            if digest != original.payload_digest:
                raise DigestMismatch(f"payload {digest} differs from {original.payload_digest} of {original.record_id}")

        def build(writer: WARCWriter, ex: HttpExchange, record_id: str, date: str) -> ArcWarcRecord:
            headers = {
                **self._common_headers(ex, record_id, date),
                "WARC-Profile": profile.value,
                "WARC-Refers-To": original.record_id,
                "WARC-Refers-To-Target-URI": original.target_uri,
                "WARC-Refers-To-Date": original.warc_date,
                "WARC-Payload-Digest": original.payload_digest,
            }
            return writer.create_warc_record(
                ascii_uri(ex.target_uri), "revisit", http_headers=self._response_headers(ex), warc_headers_dict=headers,
            )

        return self._pair(exchange, build)

    def _pair(self, exchange: HttpExchange, build_response: _RecordBuilder) -> SerializedExchange:
        date = warc_date(exchange.date)
        response_id = self.make_record_id()
        request_id = self.make_record_id()
        response = self.serialize(lambda w: build_response(w, exchange, response_id, date))
        request = self.serialize(lambda w: self._request_record(w, exchange, request_id, response_id, date))
        return SerializedExchange([response, request], 0, response_id, date)

    def _common_headers(self, ex: HttpExchange, record_id: str, date: str) -> dict[str, str]:
        headers = {"WARC-Record-ID": record_id, "WARC-Date": date, **ex.extra_warc_headers}
        if ex.ip_address:
            headers["WARC-IP-Address"] = ex.ip_address
        return headers

    def _response_headers(self, ex: HttpExchange) -> StatusAndHeaders:
        reason = reason_phrase(ex.status) if ex.reason is None else ex.reason
        headers = stored_headers(ex.response_headers, len(ex.response_body), truncated=bool(ex.truncated))
        return RawStatusAndHeaders(f"{ex.status} {reason}".rstrip(), headers, protocol=ex.protocol)

    def _response_record(self, writer: WARCWriter, ex: HttpExchange, record_id: str, date: str) -> ArcWarcRecord:
        headers = self._common_headers(ex, record_id, date)
        if ex.truncated:
            headers["WARC-Truncated"] = ex.truncated
        return writer.create_warc_record(
            ascii_uri(ex.target_uri), "response", payload=io.BytesIO(ex.response_body),
            length=len(ex.response_body), http_headers=self._response_headers(ex), warc_headers_dict=headers,
        )

    def _request_record(self, writer: WARCWriter, ex: HttpExchange, record_id: str, concurrent_to: str,
                        date: str) -> ArcWarcRecord:
        request_line = f"{ex.method} {ascii_uri(ex.request_path)} {ex.protocol}"
        http_headers = RawStatusAndHeaders(request_line, ex.request_headers, is_http_request=True)
        headers = {"WARC-Record-ID": record_id, "WARC-Date": date, "WARC-Concurrent-To": concurrent_to}
        return writer.create_warc_record(
            ascii_uri(ex.target_uri), "request", payload=io.BytesIO(ex.request_body),
            length=len(ex.request_body), http_headers=http_headers, warc_headers_dict=headers,
        )
