"""Field coverage of a crawl's items, judged against a site's floors.

Spidermon's field-coverage counter (`SPIDERMON_ADD_FIELD_COVERAGE`) leaves, per item class, the
number of items and the share of them with a non-empty value of each field in the stats
(`spidermon_field_coverage/Article/source`, empty strings, lists and None not counted). These
functions read those stats, so the monitor and the crawl report judge coverage the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

ITEM_CLASS = "Article"
COVERAGE_PREFIX = f"spidermon_field_coverage/{ITEM_CLASS}/"
CONTENT_FIELDS = (
    "title", "subtitles", "published_at", "source", "original_url", "authors", "photographers", "editors", "body",
    "images",
)
"""The Article fields that come from the page's content: the ones coverage is reported for."""
FALLBACK_STAT = "parse/fallback/"
"""Prefix of the stats counting pages a site parser read no title or body from (read by a fallback parser)."""
INVALID_REASONS = ("invalid", "normalize_error")
"""Drop reasons that mean a parsed page gave no usable article (`items/dropped/<reason>`)."""


@dataclass(frozen=True)
class FieldCoverage:
    """One field's coverage in a crawl, beside its floor (None when the site sets none)."""

    field: str
    coverage: float
    floor: float | None
    judged: bool
    """Whether the crawl had enough items for this floor to count (see `judge`)."""

    @property
    def below_floor(self) -> bool:
        """Whether this field raises a drift alarm."""
        return self.judged and self.floor is not None and self.coverage < self.floor


def scraped_items(stats: Mapping[str, Any]) -> int:
    """How many Article items the coverage was counted over."""
    return int(stats.get(f"spidermon_item_scraped_count/{ITEM_CLASS}", 0))


def field_coverage(stats: Mapping[str, Any]) -> dict[str, float]:
    """Share of items carrying each top-level field, from spidermon's coverage stats."""
    return {
        key.removeprefix(COVERAGE_PREFIX): float(value)
        for key, value in stats.items()
        if key.startswith(COVERAGE_PREFIX) and "/" not in key.removeprefix(COVERAGE_PREFIX)
    }


def judge(stats: Mapping[str, Any], floors: Mapping[str, float], min_items: int) -> list[FieldCoverage]:
    """The coverage of every floored field, then of the other content fields (`CONTENT_FIELDS`).

    A floor of 1.0 counts from the first item (one article without a date is already drift); a
    lower floor counts only from `min_items` items, below which a share says little. A crawl
    without items has no coverage and judges nothing.
    """
    items = scraped_items(stats)
    coverage = field_coverage(stats)
    floored = [
        FieldCoverage(name, coverage.get(name, 0.0), floor, items > 0 and (floor >= 1.0 or items >= min_items))
        for name, floor in floors.items()
    ]
    others = [FieldCoverage(name, coverage.get(name, 0.0), None, False)
              for name in CONTENT_FIELDS if name not in floors]
    return floored + others


def invalid_share(stats: Mapping[str, Any]) -> tuple[int, int]:
    """(pages the site parser could not read, items parsed): items dropped as unusable plus items a
    fallback parser read (`parse/fallback/<site>`, exported all the same), over exported plus unusable."""
    dropped = sum(int(stats.get(f"items/dropped/{reason}", 0)) for reason in INVALID_REASONS)
    fallbacks = sum(int(value) for key, value in stats.items() if key.startswith(FALLBACK_STAT))
    return dropped + fallbacks, dropped + int(stats.get("item_scraped_count", 0))
