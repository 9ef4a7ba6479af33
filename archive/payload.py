"""The HTTP response inside a `response` or `revisit` record, ready to parse: decoded body, honest headers.

warcio removes a chunked transfer coding still present in a record (other tools store the bytes
as they came off the wire) and decodes `gzip`, `deflate` and `br` content codings. The headers
handed on drop `Transfer-Encoding`, `Content-Encoding` and `Content-Length`, which no longer
describe the decoded body; a content coding warcio cannot decode (`zstd`) is left to the
consumer, its `Content-Encoding` kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from warcio.bufferedreaders import BufferedReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

from archive.capture import Capture
from archive.reader import Damage, DamagedRecord, StoredRecord

STALE_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


@dataclass
class ArchivedResponse:
    """An archived HTTP response: what a parser needs, and where it came from."""

    url: str
    status: int
    reason: str
    protocol: str
    headers: list[tuple[str, str]]
    body: bytes
    capture: Capture
    """The record it came from (a revisit's own record, not its original's)."""
    ip_address: str | None = None


def status_of(record: ArcWarcRecord) -> int | None:
    """The HTTP status code of a response or revisit record, or None when it has no valid status line."""
    if not record.http_headers:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def archived_response(stored: StoredRecord, payload_from: StoredRecord | None = None) -> ArchivedResponse:
    """The response held by `stored`; with `payload_from`, a revisit's headers with the original's body.

    Raises `DamagedRecord` when the record has no HTTP status line or its payload cannot be decoded.
    """
    record = stored.record
    status = status_of(record)
    if status is None:
        raise DamagedRecord(Damage(stored.file, stored.offset, "no HTTP status line"))
    source = payload_from or stored
    http = record.http_headers
    if payload_from is not None and status == 304:
        http = payload_from.record.http_headers
        status = status_of(payload_from.record) or status
    return ArchivedResponse(
        url=stored.target_uri,
        status=status,
        reason=http.statusline.partition(" ")[2],
        protocol=http.protocol or "HTTP/1.1",
        headers=[(name, value) for name, value in http.headers if name.lower() not in _stale_headers(http)],
        body=_decoded_body(source),
        capture=Capture(target_uri=stored.target_uri, file=stored.file, offset=stored.offset,
                        record_id=stored.header("WARC-Record-ID") or "", warc_date=stored.header("WARC-Date") or "",
                        payload_digest=stored.header("WARC-Payload-Digest") or ""),
        ip_address=stored.header("WARC-IP-Address"),
    )


def _stale_headers(http: StatusAndHeaders) -> set[str]:
    """Headers that no longer describe the decoded body (a coding warcio cannot decode is kept, and left in place)."""
    coding = (http.get_header("Content-Encoding") or "").lower()
    if coding and coding not in BufferedReader.get_supported_decompressors():
        return STALE_HEADERS - {"content-encoding"}
    return STALE_HEADERS


def _decoded_body(stored: StoredRecord) -> bytes:
    try:
        return stored.record.content_stream().read()
    except Exception as exc:  # any decoder (zlib, brotli, chunked) on untrusted bytes: a boundary
        raise DamagedRecord(Damage(stored.file, stored.offset, f"undecodable payload ({exc})")) from exc
