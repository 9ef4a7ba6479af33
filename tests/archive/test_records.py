"""WARC records: a golden file byte for byte, honest headers, revisit records, read back by warcio."""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.capture import Capture
from archive.http import ascii_uri, reason_phrase, stored_headers
from archive.records import DigestMismatch, HttpExchange, RecordFactory, RevisitProfile, warc_date
from tests.archive.builders import HTML, MOMENT, PinnedFactory, article_exchange, pinned_series

GOLDEN = Path(__file__).parent / "data" / "golden.warc"
WARCIO = str(Path(sys.executable).parent / "warcio")


def records_of(path: Path) -> list:
    with open(path, "rb") as stream:
        return [(record, record.content_stream().read()) for record in ArchiveIterator(stream)]


def write_golden_series(directory: Path) -> Path:
    """warcinfo; a chunked gzip article; a 404 at a non-ASCII URL; both revisit profiles of the article."""
    series = pinned_series(directory)
    article = article_exchange()
    location = series.append(series.factory.exchange(article))
    missing = article_exchange("https://www.dutenews.com/n/新闻/1", body=b"<h1>404</h1>", chunked=False,
                               status=404, reason="Not Found")
    missing.response_headers.append(("Content-Disposition", "inline; filename=\"\xe4\xb8\xad.html\""))
    series.append(series.factory.exchange(missing))
    original = Capture(target_uri=article.target_uri, warc_date="2024-01-20T03:12:45.123456Z",
                       record_id=location.record_id,
                       payload_digest=series.factory.payload_digest(article.response_body))
    later = dataclasses.replace(article, date=MOMENT.replace(year=2025))
    series.append(series.factory.revisit(later, original, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST))
    not_modified = dataclasses.replace(later, status=304, reason="Not Modified", response_body=b"",
                                       response_headers=[("ETag", '"f41644bfa4c7b5bc"')])
    series.append(series.factory.revisit(not_modified, original, RevisitProfile.SERVER_NOT_MODIFIED))
    series.close()
    return directory / series.files_written[0]


def test_whole_file_matches_the_golden_file_byte_for_byte(tmp_path):
    path = write_golden_series(tmp_path)
    actual = gzip.decompress(path.read_bytes())
    if os.environ.get("NQI_REGENERATE_GOLDEN"):
        GOLDEN.write_bytes(actual)
    assert actual == GOLDEN.read_bytes(), "regenerate with NQI_REGENERATE_GOLDEN=1 and review the diff"


def gzip_members(data: bytes) -> list[bytes]:
    """The decompressed gzip members of a file, in order."""
    members = []
    while data:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(decompressor.decompress(data))
        assert decompressor.eof
        data = decompressor.unused_data
    return members


def test_golden_file_passes_warcio_check_and_every_record_is_its_own_gzip_member(tmp_path):
    path = write_golden_series(tmp_path)
    assert subprocess.run([WARCIO, "check", str(path)], capture_output=True).returncode == 0
    members = gzip_members(path.read_bytes())
    assert len(members) == 1 + 2 + 2 + 2 + 2
    assert all(member.startswith(b"WARC/1.1\r\n") and member.count(b"\r\nWARC/1.1\r\n") == 0 for member in members)


def test_chunked_gzip_response_keeps_gzip_body_and_says_it_was_dechunked(tmp_path):
    record, payload = records_of(write_golden_series(tmp_path))[1]
    http = record.http_headers
    assert record.rec_type == "response" and record.rec_headers["WARC-IP-Address"] == "203.0.113.7"
    assert http.statusline == "200 OK" and http.protocol == "HTTP/1.1"
    assert http["Content-Encoding"] == "gzip" and http["Transfer-Encoding"] is None
    assert http["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert int(http["Content-Length"]) == len(gzip.compress(HTML, mtime=0))
    assert payload == HTML


def test_request_and_response_are_linked_and_digested(tmp_path):
    records = [record for record, _ in records_of(write_golden_series(tmp_path))]
    response, request = records[1], records[2]
    assert request.rec_type == "request"
    assert request.rec_headers["WARC-Concurrent-To"] == response.rec_headers["WARC-Record-ID"]
    for record in (response, request):
        assert record.rec_headers["WARC-Block-Digest"].startswith("sha1:")
    assert response.rec_headers["WARC-Payload-Digest"] == RecordFactory().payload_digest(gzip.compress(HTML, mtime=0))


def test_non_ascii_target_uri_is_percent_encoded_and_header_bytes_are_kept(tmp_path):
    path = write_golden_series(tmp_path)
    records = [record for record, _ in records_of(path)]
    assert records[3].rec_headers["WARC-Target-URI"] == "https://www.dutenews.com/n/%E6%96%B0%E9%97%BB/1"
    assert records[3].http_headers.statusline == "404 Not Found"
    assert b'filename="\xe4\xb8\xad.html"' in gzip.decompress(path.read_bytes())


def test_revisit_records_name_the_original_and_carry_its_payload_digest(tmp_path):
    records = [record for record, _ in records_of(write_golden_series(tmp_path))]
    original = records[1]
    identical, not_modified = records[5], records[7]
    for revisit, profile in ((identical, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST),
                             (not_modified, RevisitProfile.SERVER_NOT_MODIFIED)):
        headers = revisit.rec_headers
        assert revisit.rec_type == "revisit" and headers["WARC-Profile"] == profile.value
        assert headers["WARC-Refers-To"] == original.rec_headers["WARC-Record-ID"]
        assert headers["WARC-Refers-To-Target-URI"] == original.rec_headers["WARC-Target-URI"]
        assert headers["WARC-Refers-To-Date"] == original.rec_headers["WARC-Date"]
        assert headers["WARC-Payload-Digest"] == original.rec_headers["WARC-Payload-Digest"]
        assert headers["WARC-Date"].startswith("2025-")
    assert identical.http_headers.statusline == "200 OK"
    assert not_modified.http_headers.statusline == "304 Not Modified"
    assert records[6].rec_headers["WARC-Concurrent-To"] == identical.rec_headers["WARC-Record-ID"]


def test_identical_payload_revisit_refuses_a_different_payload():
    factory = RecordFactory()
    exchange = article_exchange()
    original = Capture(target_uri=exchange.target_uri, warc_date="2024-01-20T03:12:45Z", record_id="<urn:uuid:x>",
                       payload_digest="sha1:AAAA")
    with pytest.raises(DigestMismatch):
        factory.revisit(exchange, original, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST)


@pytest.mark.parametrize(("received", "truncated", "expected"), [
    ([("Content-Length", "5")], False, [("Content-Length", "5")]),
    ([("Transfer-Encoding", "chunked"), ("Vary", "Accept-Encoding")], False,
     [("X-Archive-Orig-Transfer-Encoding", "chunked"), ("Vary", "Accept-Encoding"), ("Content-Length", "5")]),
    ([("Content-Length", "9")], True, [("X-Archive-Orig-Content-Length", "9"), ("Content-Length", "5")]),
])
def test_stored_headers_describe_the_stored_body(received, truncated, expected):
    assert stored_headers(received, 5, truncated=truncated) == expected


def warcio_record(rec_type: str, uri: str, fields: dict[str, str], http: StatusAndHeaders,
                  payload: bytes | None) -> bytes:
    """One record as warcio's own writer writes it (uncompressed): the oracle for RecordFactory."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version="WARC/1.1")
    body = {} if payload is None else {"payload": io.BytesIO(payload), "length": len(payload)}
    writer.write_record(writer.create_warc_record(uri, rec_type, http_headers=http, warc_headers_dict=fields, **body))
    return buffer.getvalue()


def warcio_pair(ex: HttpExchange, first_id: int, refers: Capture | None = None,
                profile: RevisitProfile | None = None) -> list[bytes]:
    """The response (or revisit) and request records of `ex` by warcio, with PinnedFactory's IDs from `first_id`."""
    response_id, request_id = (f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>" for n in (first_id, first_id + 1))
    uri, date = ascii_uri(ex.target_uri), warc_date(ex.date)
    fields = {"WARC-Record-ID": response_id, "WARC-Date": date}
    if ex.ip_address:
        fields["WARC-IP-Address"] = ex.ip_address
    reason = reason_phrase(ex.status) if ex.reason is None else ex.reason
    headers = stored_headers(ex.response_headers, len(ex.response_body), truncated=bool(ex.truncated))
    http = StatusAndHeaders(f"{ex.status} {reason}".rstrip(), headers, protocol=ex.protocol)
    if refers is not None and profile is not None:
        fields |= {"WARC-Profile": profile.value, "WARC-Refers-To": refers.record_id,
                   "WARC-Refers-To-Target-URI": refers.target_uri, "WARC-Refers-To-Date": refers.warc_date,
                   "WARC-Payload-Digest": refers.payload_digest}
        response = warcio_record("revisit", uri, fields, http, None)
    else:
        fields |= {"WARC-Truncated": ex.truncated} if ex.truncated else {}
        response = warcio_record("response", uri, fields, http, ex.response_body)
    request_http = StatusAndHeaders(f"{ex.method} {ascii_uri(ex.request_path)} {ex.protocol}", ex.request_headers,
                                    is_http_request=True)
    request = warcio_record("request", uri, {"WARC-Record-ID": request_id, "WARC-Date": date,
                                             "WARC-Concurrent-To": response_id}, request_http, ex.request_body)
    return [response, request]


def test_records_are_the_bytes_warcio_writes():
    article = article_exchange()
    odd = dataclasses.replace(
        article_exchange("https://www.dutenews.com/n/新闻/2", body=b"<p>cut", chunked=False, reason=None),
        method="POST", request_body=b"q=1", protocol="HTTP/1.0", ip_address=None, truncated="disconnect",
        request_headers=[("Host", "www.dutenews.com"), ("X-Name", "名字")])  # beyond latin-1: percent-encoded
    refers = Capture(target_uri=article.target_uri, warc_date="2023-01-02T03:04:05.000000Z",
                     record_id="<urn:uuid:original>",
                     payload_digest=RecordFactory().payload_digest(article.response_body))
    not_modified = dataclasses.replace(article, status=304, reason="Not Modified", response_body=b"")
    factory = PinnedFactory()
    ours = [factory.records(article), factory.records(odd), factory.records(article, refers),
            factory.records(not_modified, refers)]
    expected = [warcio_pair(article, 1), warcio_pair(odd, 3),
                warcio_pair(article, 5, refers, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST),
                warcio_pair(not_modified, 7, refers, RevisitProfile.SERVER_NOT_MODIFIED)]
    assert [[gzip.decompress(member) for member in each.members] for each in ours] == expected
    assert [each.revisit for each in ours] == [None, None, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST,
                                               RevisitProfile.SERVER_NOT_MODIFIED]


def test_warcinfo_is_the_record_warcio_writes():
    info = {"software": "nqi-crawler/test", "empty": "", "isPartOf": "质量"}
    ours = gzip.decompress(PinnedFactory().warcinfo("test-00000.warc.gz", info, MOMENT))
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version="WARC/1.1")
    record = writer.create_warcinfo_record("test-00000.warc.gz", info)
    record.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-000000000001>")
    record.rec_headers.replace_header("WARC-Date", warc_date(MOMENT))
    writer.write_record(record)
    assert ours == buffer.getvalue()


def test_a_changed_payload_is_a_response_and_every_result_names_the_payload_digest():
    factory = RecordFactory()
    article = article_exchange()
    refers = Capture(target_uri=article.target_uri, warc_date="2023-01-02T03:04:05.000000Z",
                     record_id="<urn:uuid:original>", payload_digest="sha1:AAAA")
    changed = factory.records(article, refers)
    assert changed.revisit is None and changed.payload_digest == factory.payload_digest(article.response_body)
    assert next(iter(ArchiveIterator(io.BytesIO(changed.members[0])))).rec_type == "response"
