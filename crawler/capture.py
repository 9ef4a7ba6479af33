"""A request's capture facts (`archive.capture.Capture`) under one meta key, and the ways to reach them.

The download handler notes the wire status line and headers, the WARC middleware (or, replaying,
the replay middleware) the record; the conditional-request middleware names the earlier capture a
revisit would refer to; spiders read the WARC-Date and the record's location for the item. Each
writes a new frozen `Capture` into `request.meta[CAPTURE_META]` with `note_capture`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy import Request

from archive.capture import Capture, WarcLocation

if TYPE_CHECKING:
    from scrapy.http import Response

CAPTURE_META = "capture"
"""The request meta key holding the request's `Capture`."""

NO_CAPTURE = Capture()


def capture_of(message: Request | Response) -> Capture | None:
    """The capture of a request, or of the request a response answers (None when there is none)."""
    request = message if isinstance(message, Request) else message.request
    return request.meta.get(CAPTURE_META) if request is not None else None


def note_capture(request: Request, **facts: Any) -> Capture:
    """Set `facts` (fields of `Capture`) on the request's capture, starting from an empty one; the new capture."""
    capture = replace(request.meta.get(CAPTURE_META) or NO_CAPTURE, **facts)
    request.meta[CAPTURE_META] = capture
    return capture


def warc_location(response: Response) -> WarcLocation | None:
    """Where the response's record lies, as an item's `warc` field; None when it was not archived."""
    capture = capture_of(response)
    return capture.location() if capture is not None else None
