"""WARC records for one HTTP exchange, serialized with warcio (gzip per record).

Plain Python: nothing here imports Scrapy. The Scrapy glue turns a request/response pair into
an `HttpExchange`; `RecordFactory` turns it into the bytes of a `request` and a `response`
record. Record IDs and dates are overridable so tests can pin them.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_VERSION = "WARC/1.1"


@dataclass
class HttpExchange:
    """One HTTP request and the response to it, as sent and received."""

    target_uri: str
    method: str
    request_path: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes
    date: datetime
    reason: str = ""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    extra_warc_headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SerializedExchange:
    """The gzip members of an exchange's records, in write order, and the response record's ID."""

    members: list[bytes]
    response_index: int
    response_record_id: str
    warc_date: str


def warc_date(moment: datetime) -> str:
    """WARC/1.1 date: UTC, microseconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RecordFactory:
    """Builds gzip-compressed WARC records with warcio."""

    def make_record_id(self) -> str:
        """A fresh `<urn:uuid:…>` record ID."""
        return f"<urn:uuid:{uuid.uuid4()}>"

    def serialize(self, record_builder) -> bytes:  # type: ignore[no-untyped-def]
        """Serialize one record (a callable taking a WARCWriter) into one gzip member."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
        writer.write_record(record_builder(writer))
        return buffer.getvalue()

    def warcinfo(self, filename: str, info: dict[str, str], moment: datetime) -> bytes:
        """The `warcinfo` record that opens a file."""

        def build(writer: WARCWriter):  # type: ignore[no-untyped-def]
            record = writer.create_warcinfo_record(filename, info)
            record.rec_headers.replace_header("WARC-Record-ID", self.make_record_id())
            record.rec_headers.replace_header("WARC-Date", warc_date(moment))
            return record

        return self.serialize(build)

    def exchange(self, exchange: HttpExchange) -> SerializedExchange:
        """The `response` and `request` records of one exchange, linked by WARC-Concurrent-To."""
        date = warc_date(exchange.date)
        response_id = self.make_record_id()
        request_id = self.make_record_id()
        response = self.serialize(lambda w: self._response_record(w, exchange, response_id, date))
        request = self.serialize(lambda w: self._request_record(w, exchange, request_id, response_id, date))
        return SerializedExchange([response, request], 0, response_id, date)

    def _response_record(self, writer: WARCWriter, ex: HttpExchange, record_id: str, date: str):  # type: ignore[no-untyped-def]
        reason = ex.reason or _reason_phrase(ex.status)
        http_headers = StatusAndHeaders(f"{ex.status} {reason}".strip(), ex.response_headers, protocol=ex.protocol)
        headers = {"WARC-Record-ID": record_id, "WARC-Date": date, **ex.extra_warc_headers}
        if ex.ip_address:
            headers["WARC-IP-Address"] = ex.ip_address
        return writer.create_warc_record(
            ex.target_uri, "response", payload=io.BytesIO(ex.response_body),
            length=len(ex.response_body), http_headers=http_headers, warc_headers_dict=headers,
        )

    def _request_record(self, writer: WARCWriter, ex: HttpExchange, record_id: str, concurrent_to: str, date: str):  # type: ignore[no-untyped-def]
        http_headers = StatusAndHeaders(f"{ex.method} {ex.request_path} {ex.protocol}", ex.request_headers, is_http_request=True)
        headers = {"WARC-Record-ID": record_id, "WARC-Date": date, "WARC-Concurrent-To": concurrent_to}
        return writer.create_warc_record(
            ex.target_uri, "request", payload=io.BytesIO(ex.request_body),
            length=len(ex.request_body), http_headers=http_headers, warc_headers_dict=headers,
        )


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
