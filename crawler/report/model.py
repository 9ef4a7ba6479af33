"""The report's data: one section per site crawl, built from its final stats, and the run around them.

Plain functions over dicts, so the JSON file is exactly what the HTML and the table show. Counts
another component may not set (the state store's versions and revisits, WARC output) read as 0.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.health.coverage import invalid_share, judge, scraped_items
from crawler.health.verdict import site_failed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from crawler.health.coverage import FieldCoverage

NOTE_STAT = "summary/note"
"""A run's one-line remark for the summary (a replay's skipped captures), set by the spider."""
UNCHANGED_STATS = ("items/dropped/unchanged", "state/unchanged/")
"""Articles found unchanged: dropped after parsing, or ended early on a 304 or an identical payload."""


def by_prefix(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """The stats under `prefix`, keyed by the rest of their name, largest first."""
    found = {key.removeprefix(prefix): int(value) for key, value in stats.items()
             if key.startswith(prefix) and isinstance(value, int | float)}
    return dict(sorted(found.items(), key=lambda pair: (-pair[1], pair[0])))


def errors_by_kind(stats: Mapping[str, Any]) -> dict[str, int]:
    """Spider exceptions and download errors by type, and drift alarms.

    `IgnoreRequest` is left out: it is how a component ends a request on purpose (robots.txt, an
    unchanged page), not a failure.
    """
    kinds = {f"spider: {name}": count
             for name, count in by_prefix(stats, "spider_exceptions/").items() if name != "count"}
    kinds.update({f"download: {name.rsplit('.', 1)[-1]}": count
                  for name, count in by_prefix(stats, "downloader/exception_type_count/").items()
                  if not name.endswith("IgnoreRequest")})
    if stats.get("health/alarms"):
        kinds["layout-drift alarms"] = int(stats["health/alarms"])
    return kinds


def unchanged_count(stats: Mapping[str, Any]) -> int:
    """Articles the crawl found unchanged since an earlier crawl (see `UNCHANGED_STATS`)."""
    return sum(int(value) for key, value in stats.items()
               if key == UNCHANGED_STATS[0] or key.startswith(UNCHANGED_STATS[1]))


def coverage_status(entry: FieldCoverage) -> str:
    """How the drift monitor saw a field: `below floor`, `ok`, `too few items` or `no floor`."""
    if entry.floor is None:
        return "no floor"
    if not entry.judged:
        return "too few items"
    return "below floor" if entry.below_floor else "ok"


def coverage_rows(stats: Mapping[str, Any], floors: Mapping[str, float], min_items: int) -> list[dict[str, Any]]:
    """Field coverage beside the floors, as the drift monitor judged it."""
    return [
        {"field": entry.field, "coverage": round(entry.coverage, 3), "floor": entry.floor,
         "status": coverage_status(entry)}
        for entry in judge(stats, floors, min_items)
    ]


def site_section(name: str, stats: Mapping[str, Any], items: ItemTally, floors: Mapping[str, float],
                 min_items: int) -> dict[str, Any]:
    """Everything the report says about one site's crawl."""
    invalid, parsed = invalid_share(stats)
    return {
        "site": name,
        "finish_reason": stats.get("finish_reason", ""),
        "duration_seconds": round(float(stats.get("elapsed_time_seconds", 0.0)), 1),
        "items": {"exported": items.new + items.changed, "new": items.new, "changed": items.changed,
                  "unchanged": unchanged_count(stats)},
        "responses": {"total": int(stats.get("downloader/response_count", 0) or stats.get("replay/responses", 0)),
                      "by_status": by_prefix(stats, "downloader/response_status_count/")},
        "errors": {"logged": int(stats.get("log_count/ERROR", 0)), "by_kind": errors_by_kind(stats)},
        "dropped": by_prefix(stats, "items/dropped/"),
        "unusable_pages": {"dropped": invalid, "parsed": parsed},
        "coverage": {"items": scraped_items(stats), "fields": coverage_rows(stats, floors, min_items)},
        "alarms": int(stats.get("health/alarms", 0)),
        "failure": site_failed(stats),
        "note": stats.get(NOTE_STAT),
        "warc": {"files": int(stats.get("warc/files", 0)), "bytes": int(stats.get("warc/bytes", 0)),
                 "names": list(stats.get("warc/file_names", []))},
        "published": dict(sorted(items.published.items())),
    }


class ItemTally:
    """What the report counts item by item: versions (1 is new, more is changed) and publish days."""

    def __init__(self) -> None:
        self.new = 0
        self.changed = 0
        self.published: dict[str, int] = {}

    def merge(self, other: ItemTally) -> None:
        """Add another tally's counts to this one."""
        self.new += other.new
        self.changed += other.changed
        for day, count in other.published.items():
            self.published[day] = self.published.get(day, 0) + count

    def add(self, version: int | None, published_at: str | None) -> None:
        """Count one exported item; an item without `version` counts as new."""
        if version is not None and version > 1:
            self.changed += 1
        else:
            self.new += 1
        if published_at:
            day = published_at[:10]
            self.published[day] = self.published.get(day, 0) + 1


def article_row(fields: Mapping[str, Any], site: str) -> dict[str, Any]:
    """The report's line for one exported article."""
    return {"title": fields.get("title") or "", "site": site, "published_at": fields.get("published_at"),
            "url": fields.get("url") or "", "version": fields.get("version")}


def dropped_count(section: Mapping[str, Any]) -> int:
    """Items dropped for any reason but `unchanged` (which the report counts as unchanged)."""
    return sum(count for reason, count in section["dropped"].items() if reason != "unchanged")


def run_report(run: str, started: datetime, finished: datetime, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole run: its name, times, the sites in name order and their totals."""
    ordered = sorted(sections, key=lambda section: section["site"])
    return {
        "run": run,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - started).total_seconds(), 1),
        "sites": ordered,
        "totals": totals(ordered),
    }


def totals(sections: list[dict[str, Any]]) -> dict[str, int]:
    """Sums over the sites of the figures the summary row shows."""
    return {
        "exported": sum(s["items"]["exported"] for s in sections),
        "new": sum(s["items"]["new"] for s in sections),
        "changed": sum(s["items"]["changed"] for s in sections),
        "unchanged": sum(s["items"]["unchanged"] for s in sections),
        "dropped": sum(dropped_count(s) for s in sections),
        "responses": sum(s["responses"]["total"] for s in sections),
        "errors": sum(s["errors"]["logged"] for s in sections),
        "alarms": sum(s["alarms"] for s in sections),
        "warc_files": sum(s["warc"]["files"] for s in sections),
        "warc_bytes": sum(s["warc"]["bytes"] for s in sections),
    }
