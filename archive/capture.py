"""`Capture`: what is known of one HTTP capture, the one type every component uses to pass it on.

A capture is an HTTP response as archived: the WARC file and offset of its `response` (or
`revisit`) record, the record's ID and WARC-Date, and the payload digest of the body. While a
response is still in flight (between the download handler and the WARC writer) it also holds the
status line and header lines as received on the wire, which Scrapy's `Response` does not keep.
A capture that may be written as a `revisit` names the earlier capture it would refer to.

Plain Python: the Scrapy glue keeps a request's capture under one meta key (`crawler.capture`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict


class WarcLocation(TypedDict):
    """Where an item's response record lies: the `warc` field of every exported item."""

    file: str
    offset: int
    record_id: str


@dataclass(frozen=True, kw_only=True)
class Capture:
    """One HTTP capture: its record's place and WARC facts, and while in flight what the wire said.

    Every field has an empty default, since each component knows only part of it: the download
    handler sets the wire facts, the WARC writer (or the replay index) the record facts, the
    conditional-request middleware `revisit_of`. It is archived once `file` is set.
    """

    target_uri: str = ""
    """The URI the record was captured from (`WARC-Target-URI`)."""
    file: str | None = None
    """The WARC file holding the record (a name relative to the WARC folder, or the path given)."""
    offset: int = 0
    """The offset of the record (of its gzip member) in `file`."""
    record_id: str = ""
    """`WARC-Record-ID`, `<urn:uuid:…>`."""
    warc_date: str = ""
    """`WARC-Date`: when the response was captured (ISO 8601 UTC)."""
    payload_digest: str = ""
    """`WARC-Payload-Digest` of the body as received (`sha1:…`), when known."""
    revisit_of: Capture | None = None
    """An earlier capture of the same page: the response is written as a `revisit` of it when unchanged."""
    wire_status_line: bytes | None = None
    """The HTTP status line as received (`b"HTTP/1.1 200 OK"`), while the response is in flight."""
    wire_headers: Sequence[tuple[bytes, bytes]] = ()
    """The header lines as received, in order, connection-control headers included, while in flight."""

    @property
    def archived(self) -> bool:
        """Whether the capture names a record in a WARC file."""
        return self.file is not None

    def location(self) -> WarcLocation | None:
        """Where the record lies, as items export it; None when the capture was not archived."""
        if self.file is None:
            return None
        return {"file": self.file, "offset": self.offset, "record_id": self.record_id}
