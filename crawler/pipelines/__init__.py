"""Item pipelines: normalize drafts into Articles, validate them, drop duplicates and mark reposts."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class ItemRejected(DropItem):
    """An item dropped for a named reason; the reason becomes the stat `items/dropped/<reason>`."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
