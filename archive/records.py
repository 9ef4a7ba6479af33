"""WARC records for one HTTP exchange: the bytes warcio writes, built in one piece (gzip per record).

Plain Python: nothing here imports Scrapy. The Scrapy glue turns a request/response pair into
an `HttpExchange`; `RecordFactory` turns it into the bytes of a `response` (or `revisit`) record
and a `request` record linked by `WARC-Concurrent-To`. Each record is assembled directly (header
lines, block, digests) in the field order and spelling of warcio's `WARCWriter`, so the files are
byte for byte what warcio writes for the same records (tests/archive checks both), with less
CPU than warcio's own builder (docs/warc.md says how much). The crawl builds them in its WARC
writer process (`archive/process.py`). Record IDs, digests and the warcinfo date are small
overridable methods, so tests can pin them and compare whole files.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from archive.capture import Capture
from archive.http import Headers, ascii_uri, message_head, reason_phrase, stored_headers

WARC_VERSION = "WARC/1.1"
RECORD_END = b"\r\n\r\n"
HTTP_RESPONSE = "application/http; msgtype=response"
HTTP_REQUEST = "application/http; msgtype=request"
WARC_FIELDS = "application/warc-fields"


class RevisitProfile(StrEnum):
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


@dataclass
class SerializedExchange:
    """The gzip members of an exchange's records, in write order, and what the crawl notes of them:
    the response (or revisit) record's ID and date, the payload digest of the body as received, and
    the revisit profile when the exchange was written as a revisit."""

    members: list[bytes]
    response_index: int
    response_record_id: str
    warc_date: str
    payload_digest: str
    revisit: RevisitProfile | None = None


class DigestMismatch(ValueError):
    """An identical-payload-digest revisit whose payload does not match the capture it refers to."""


def warc_date(moment: datetime) -> str:
    """WARC/1.1 date: UTC, microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warc_head(fields: Headers) -> bytes:
    """The header block of a record: version line, `name: value` lines, blank line (UTF-8)."""
    return (WARC_VERSION + "\r\n" + "".join(f"{name}: {value}\r\n" for name, value in fields) + "\r\n").encode("utf-8")


GZIP_LEVEL = 3
"""Default gzip level of a record: on article pages level 3 takes about half the CPU of warcio's fixed
level 9 for files a little larger (the figures are in docs/performance.md)."""


def gzip_member(data: bytes, level: int) -> bytes:
    """`data` as one gzip member (the same framing warcio writes), compressed at `level` in one call."""
    return zlib.compress(data, level, zlib.MAX_WBITS + 16)


class RecordFactory:
    """Builds gzip-compressed WARC records, one gzip member per record at `gzip_level`."""

    digest_algorithm = "sha1"
    gzip_level = GZIP_LEVEL

    def __init__(self, gzip_level: int | None = None) -> None:
        if gzip_level is not None:
            self.gzip_level = gzip_level

    def make_record_id(self) -> str:
        """A fresh `<urn:uuid:…>` record ID (a random UUID, version 4)."""
        return f"<urn:uuid:{uuid.uuid4()}>"

    def digest(self, *parts: bytes) -> str:
        """The WARC digest (`sha1:` base32 by default) of the concatenation of `parts`."""
        digester = hashlib.new(self.digest_algorithm)
        for part in parts:
            digester.update(part)
        return f"{self.digest_algorithm}:{base64.b32encode(digester.digest()).decode('ascii')}"

    def payload_digest(self, body: bytes) -> str:
        """The `WARC-Payload-Digest` value of a response body as this factory writes it."""
        return self.digest(body)

    def record(self, fields: Headers, content_type: str, head: bytes, payload: bytes) -> bytes:
        """One record as one gzip member: `fields` (in order), then the block digest, Content-Type and
        Content-Length warcio adds; then the block (`head`, the HTTP message head, and `payload`)."""
        fields = [*fields, ("WARC-Block-Digest", self.digest(head, payload)), ("Content-Type", content_type),
                  ("Content-Length", str(len(head) + len(payload)))]
        return gzip_member(b"".join((warc_head(fields), head, payload, RECORD_END)), self.gzip_level)

    def warcinfo(self, filename: str, info: dict[str, str], moment: datetime) -> bytes:
        """The `warcinfo` record that opens a file (fields with an empty value are left out)."""
        fields = [("WARC-Type", "warcinfo"), ("WARC-Record-ID", self.make_record_id())]
        if filename:
            fields.append(("WARC-Filename", filename))
        fields.append(("WARC-Date", warc_date(moment)))
        payload = "".join(f"{name}: {value}\r\n" for name, value in info.items() if value).encode("utf-8")
        return self.record(fields, WARC_FIELDS, b"", payload)

    def records(self, exchange: HttpExchange, original: Capture | None = None) -> SerializedExchange:
        """The records of an exchange: a `revisit` of `original` (an earlier capture of the page) when
        the server answered 304 or sent the same payload again, else a `response`; then the `request`."""
        digest = self.payload_digest(exchange.response_body)
        if original is not None and exchange.status == 304:
            return self._revisit(exchange, digest, original, RevisitProfile.SERVER_NOT_MODIFIED)
        if original is not None and exchange.status == 200 and digest == original.payload_digest:
            return self._revisit(exchange, digest, original, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST)
        return self._pair(exchange, digest, None)

    def exchange(self, exchange: HttpExchange) -> SerializedExchange:
        """The `response` and `request` records of one exchange, linked by WARC-Concurrent-To."""
        return self.records(exchange)

    def revisit(self, exchange: HttpExchange, original: Capture, profile: RevisitProfile) -> SerializedExchange:
        """A `revisit` record (HTTP headers only) and the `request` record of an unchanged capture.

        `exchange` is the new exchange as received: for `IDENTICAL_PAYLOAD_DIGEST` its body must
        have the payload digest of `original` (else `DigestMismatch`); for `SERVER_NOT_MODIFIED`
        it is the `304` response. The revisit names the original's URI, date and record ID and
        carries its payload digest.
        """
        digest = self.payload_digest(exchange.response_body)
        if profile is RevisitProfile.IDENTICAL_PAYLOAD_DIGEST and digest != original.payload_digest:
            raise DigestMismatch(f"payload {digest} differs from {original.payload_digest} of {original.record_id}")
        return self._revisit(exchange, digest, original, profile)

    def _revisit(self, exchange: HttpExchange, digest: str, original: Capture,
                 profile: RevisitProfile) -> SerializedExchange:
        refers_to = [("WARC-Profile", profile.value), ("WARC-Refers-To", original.record_id),
                     ("WARC-Refers-To-Target-URI", original.target_uri), ("WARC-Refers-To-Date", original.warc_date),
                     ("WARC-Payload-Digest", original.payload_digest)]
        return self._pair(exchange, digest, (profile, refers_to))

    def _pair(self, ex: HttpExchange, digest: str,
              revisit: tuple[RevisitProfile, Headers] | None) -> SerializedExchange:
        date = warc_date(ex.date)
        response_id = self.make_record_id()
        request_id = self.make_record_id()
        uri = ascii_uri(ex.target_uri)
        fields = [("WARC-Record-ID", response_id), ("WARC-Date", date)]
        if ex.ip_address:
            fields.append(("WARC-IP-Address", ex.ip_address))
        if revisit is not None:
            fields += [*revisit[1], ("WARC-Type", "revisit"), ("WARC-Target-URI", uri)]
            response = self.record(fields, HTTP_RESPONSE, self._response_head(ex), b"")
        else:
            if ex.truncated:
                fields.append(("WARC-Truncated", ex.truncated))
            fields += [("WARC-Type", "response"), ("WARC-Target-URI", uri), ("WARC-Payload-Digest", digest)]
            response = self.record(fields, HTTP_RESPONSE, self._response_head(ex), ex.response_body)
        request = self.record(
            [("WARC-Record-ID", request_id), ("WARC-Date", date), ("WARC-Concurrent-To", response_id),
             ("WARC-Type", "request"), ("WARC-Target-URI", uri), ("WARC-Payload-Digest", self.digest(ex.request_body))],
            HTTP_REQUEST, message_head(f"{ex.method} {ascii_uri(ex.request_path)} {ex.protocol}", ex.request_headers),
            ex.request_body,
        )
        return SerializedExchange([response, request], 0, response_id, date, digest, revisit[0] if revisit else None)

    @staticmethod
    def _response_head(ex: HttpExchange) -> bytes:
        reason = reason_phrase(ex.status) if ex.reason is None else ex.reason
        headers = stored_headers(ex.response_headers, len(ex.response_body), truncated=bool(ex.truncated))
        return message_head(f"{ex.protocol} " + f"{ex.status} {reason}".rstrip(), headers)
