"""The capture contract: one frozen `Capture` per request under one meta key, each component adding its facts."""

from __future__ import annotations

import dataclasses

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from archive.capture import Capture
from crawler.capture import CAPTURE_META, capture_of, note_capture, warc_location

URL = "https://www.dutenews.com/n/article/1"


def test_each_component_adds_its_facts_and_keeps_the_others():
    request = Request(URL)
    assert capture_of(request) is None
    earlier = Capture(target_uri=URL, file="a.warc.gz", offset=10, record_id="<urn:uuid:0>", payload_digest="sha1:A")
    note_capture(request, revisit_of=earlier)
    note_capture(request, wire_status_line=b"HTTP/1.1 200 Fine", wire_headers=[(b"Server", b"x")])
    in_flight = capture_of(request)
    assert in_flight.revisit_of == earlier and in_flight.wire_status_line == b"HTTP/1.1 200 Fine"
    assert not in_flight.archived and in_flight.location() is None
    note_capture(request, target_uri=URL, file="b.warc.gz", offset=0, record_id="<urn:uuid:1>",
                 warc_date="2024-05-01T00:00:00.000000Z", wire_status_line=None, wire_headers=())
    written = request.meta[CAPTURE_META]
    assert written.archived and written.revisit_of == earlier and written.wire_status_line is None
    assert written.location() == {"file": "b.warc.gz", "offset": 0, "record_id": "<urn:uuid:1>"}


def test_a_capture_is_frozen_so_a_copied_request_cannot_change_the_original():
    request = Request(URL)
    first = note_capture(request, warc_date="2024-05-01T00:00:00.000000Z")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.warc_date = "2025-01-01T00:00:00.000000Z"  # type: ignore[misc]
    retry = request.copy()
    note_capture(retry, warc_date="2025-01-01T00:00:00.000000Z")
    assert capture_of(request).warc_date == "2024-05-01T00:00:00.000000Z"


def test_a_response_reads_the_capture_of_its_request():
    request = Request(URL)
    note_capture(request, file="a.warc.gz", offset=5, record_id="<urn:uuid:2>")
    response = HtmlResponse(URL, body=b"<p>x</p>", request=request)
    assert capture_of(response) is capture_of(request)
    assert warc_location(response) == {"file": "a.warc.gz", "offset": 5, "record_id": "<urn:uuid:2>"}
    assert capture_of(HtmlResponse(URL, body=b"")) is None and warc_location(HtmlResponse(URL, body=b"")) is None
