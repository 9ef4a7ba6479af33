"""Requests the state store ends on purpose: expected skips, not failures."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class AlreadyDone(IgnoreRequest):
    """The state store says the page needs no (further) processing."""


class NotModified(AlreadyDone):
    """The page is unchanged since the capture the state store holds: no item, a revisit record."""


class DoneBeforeKill(AlreadyDone):
    """The resumed job already did the page before it was killed."""


class DoneThisRun(AlreadyDone):
    """Another spider of this run already did the page (the original of a repost, in `crawlall`)."""
