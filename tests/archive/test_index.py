"""The archive index: lookups by URL, decoded payloads of any writer's records, revisits resolved."""

from __future__ import annotations

import dataclasses

import pytest

from archive.capture import Capture
from archive.index import ArchiveIndex, UnresolvedRevisit, url_key, warc_files
from archive.records import RevisitProfile
from tests.archive.builders import HTML, MOMENT, article_exchange, good_warc, pinned_series, write_foreign_warc

URL = "https://www.dutenews.com/n/article/7957291"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_foreign_chunked_and_compressed_payload_is_decoded(tmp_path, encoding):
    write_foreign_warc(tmp_path / "foreign.warc.gz", [(URL, HTML, "2024-01-20T03:12:45Z")], encoding=encoding)
    index = ArchiveIndex.build(warc_files([tmp_path]))
    response = index.response(index.lookup(URL))
    assert response.body == HTML and response.status == 200 and response.reason == "OK"
    assert {name.lower() for name, _ in response.headers} == {"content-type"}
    assert response.capture.file == str(tmp_path / "foreign.warc.gz")
    assert response.capture.warc_date == "2024-01-20T03:12:45Z"


def test_our_own_dechunked_gzip_record_is_decoded(tmp_path):
    series = pinned_series(tmp_path)
    series.append(series.factory.exchange(article_exchange(URL)))
    series.close()
    index = ArchiveIndex.build(warc_files([str(tmp_path)]))
    assert index.response(index.lookup(URL)).body == HTML


def test_lookup_finds_the_latest_capture_under_any_spelling_of_the_url(tmp_path):
    write_foreign_warc(tmp_path / "a.warc.gz", [(URL, b"<p>old</p>", "2024-01-20T03:12:45Z"),
                                                (URL, b"<p>new</p>", "2024-02-20T03:12:45Z"),
                                                (URL, b"<p>older</p>", "2023-01-20T03:12:45Z")])
    index = ArchiveIndex.build(warc_files([tmp_path]))
    for spelling in (URL, URL.replace("www.dutenews.com", "WWW.DUTENEWS.COM:443") + "#top"):
        assert index.response(index.lookup(spelling)).body == b"<p>new</p>"
    assert index.lookup("https://www.dutenews.com/n/article/1") is None
    assert url_key("http://Example.com:80") == "http://example.com/"


def test_a_revisit_is_answered_with_the_payload_it_refers_to(tmp_path):
    series = pinned_series(tmp_path)
    first = article_exchange(URL)
    location = series.append(series.factory.exchange(first))
    original = Capture(target_uri=URL, warc_date="2024-01-20T03:12:45.123456Z", record_id=location.record_id,
                       payload_digest=series.factory.payload_digest(first.response_body))
    later = dataclasses.replace(first, date=MOMENT.replace(year=2025))
    series.append(series.factory.revisit(later, original, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST))
    not_modified = dataclasses.replace(later, date=MOMENT.replace(year=2026), status=304, response_body=b"",
                                       response_headers=[("ETag", "x")], reason="Not Modified")
    series.append(series.factory.revisit(not_modified, original, RevisitProfile.SERVER_NOT_MODIFIED))
    series.close()
    index = ArchiveIndex.build(warc_files([tmp_path]))
    latest = index.lookup(URL)
    assert latest.rec_type == "revisit" and latest.warc_date.startswith("2026")
    response = index.response(latest)
    assert response.body == HTML and response.status == 200 and response.capture.warc_date.startswith("2026")
    assert response.capture.record_id == latest.record_id
    identical = next(c for c in index if c.rec_type == "revisit" and c.warc_date.startswith("2025"))
    assert index.response(identical).body == HTML


def test_a_revisit_without_its_original_is_unresolved(tmp_path):
    series = pinned_series(tmp_path)
    exchange = article_exchange(URL)
    original = Capture(target_uri=URL, warc_date="2020-01-01T00:00:00Z", record_id="<urn:uuid:gone>",
                       payload_digest=series.factory.payload_digest(exchange.response_body))
    series.append(series.factory.revisit(exchange, original, RevisitProfile.IDENTICAL_PAYLOAD_DIGEST))
    series.close()
    index = ArchiveIndex.build(warc_files([tmp_path]))
    with pytest.raises(UnresolvedRevisit):
        index.response(index.lookup(URL))


def test_missing_inputs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        warc_files([tmp_path / "nowhere"])


def test_a_coding_warcio_cannot_decode_is_passed_on_with_its_header(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(tmp_path / "zstd.warc.gz", "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "zstd"),
                                              ("Content-Length", "4")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(URL, "response", payload=io.BytesIO(b"\x28\xb5\x2f\xfd"),
                                                      length=4, http_headers=headers))
    index = ArchiveIndex.build(warc_files([tmp_path]))
    response = index.response(index.lookup(URL))
    assert response.body == b"\x28\xb5\x2f\xfd"
    assert response.headers == [("Content-Type", "text/html"), ("Content-Encoding", "zstd")]


def test_files_scanned_elsewhere_give_the_index_scanned_here_and_leave_no_part_files(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        good_warc(tmp_path / name, count=3)
    write_foreign_warc(tmp_path / "c.warc.gz", [(URL, HTML, "2024-01-20T03:12:45Z")])
    files = warc_files([tmp_path])
    damaged: list = []
    here = ArchiveIndex.build(files)
    elsewhere = ArchiveIndex.build(files, on_damage=damaged.append, mapper=map)  # `map` stands for a pool's imap
    assert len(list(elsewhere)) == 7 and list(elsewhere) == list(here) and damaged == []
    assert elsewhere.response(elsewhere.lookup(URL)).body == HTML
    assert sorted(path.name for path in elsewhere.db_path.parent.glob("nqi-index-part-*")) == []
